import type { DuckDBListVector, DuckDBStructVector, DuckDBVector } from '@duckdb/node-api';
import { csvRelation, inspectCsv } from '../../sources/csv';
import { withConnection } from '../../sources/duckdb';
import { quoteIdent } from '../../sources/sql';
import type { ReturnsPanel } from './returns';

/**
 * The fast path for reading a price history: one DuckDB pass over the CSV types the cells and
 * gathers each ticker's days and closes (one row per ticker), so a 500 x 2,520 history never
 * becomes a million JavaScript objects; the returns are then computed here, on typed arrays, with
 * the same arithmetic as the careful reader (so both paths give the same numbers to the last
 * bit). It returns null when the file has any problem (a bad date, price or ticker, two prices on
 * a day, a ticker with one price, a missing column): the careful reader in inputs.ts then reports
 * the exact line.
 */
export async function scanReturns(file: string, includeWeekends: boolean): Promise<ReturnsPanel | null> {
  let table;
  try {
    table = await inspectCsv(file);
  } catch {
    return null;
  }
  const find = (name: string) => table.columns.find((c) => c.trim().toLowerCase() === name);
  const [d, t, c] = [find('date'), find('ticker'), find('close')];
  if (!d || !t || !c) return null;
  const histories = await withConnection(async (conn) => {
    const date = `trim(${quoteIdent(d)})`;
    const typed = `SELECT trim(${quoteIdent(t)}) AS t,
        CASE WHEN regexp_full_match(${date}, '\\d{4}-\\d{2}-\\d{2}') THEN TRY_CAST(${date} AS DATE) END AS d,
        TRY_CAST(trim(${quoteIdent(c)}) AS DOUBLE) AS c
      FROM ${csvRelation(table)}`;
    let chunks;
    try {
      // One struct per price keeps each day with its close (the list is in no particular order).
      const result = await conn.run(`
        SELECT t, count(*) FILTER (WHERE d IS NULL OR c IS NULL OR NOT isfinite(c) OR c <= 0) AS bad,
          list({'day': CAST(d - DATE '1970-01-01' AS INTEGER), 'close': c}) AS prices
        FROM (${typed}) GROUP BY t`);
      chunks = await result.fetchAllChunks();
    } catch {
      return null;
    }
    const out: PriceHistory[] = [];
    for (const chunk of chunks) {
      const [tickers, bad, prices] = [0, 1, 2].map((i) => chunk.getColumnVector(i));
      const list = prices as DuckDBListVector;
      const entries = list.childVector as DuckDBStructVector;
      const [days, closes] = [0, 1].map((i) => entries.entryVectorAt(i) as DuckDBVector<number>);
      for (let row = 0; row < chunk.rowCount; row++) {
        const ticker = tickers!.getItem(row) as string | null;
        if (!ticker || Number(bad!.getItem(row)) > 0) return null;
        const start = list.getEntryOffset(row);
        const history = { ticker, days: new Int32Array(list.getEntryLength(row)), closes: new Float64Array(list.getEntryLength(row)) };
        for (let i = 0; i < history.days.length; i++) {
          history.days[i] = days!.getItem(start + i)!;
          history.closes[i] = closes!.getItem(start + i)!;
        }
        out.push(history);
      }
    }
    return out;
  });
  return histories ? returnsPanel(histories, includeWeekends) : null;
}

interface PriceHistory {
  ticker: string;
  /** Days since 1970-01-01, in any order. */
  days: Int32Array;
  closes: Float64Array;
}

/** Day number (days since 1970-01-01) to its weekday, Sunday = 0 (1970-01-01 was a Thursday). */
const weekday = (day: number) => (((day + 4) % 7) + 7) % 7;

/**
 * Each ticker's log returns (keyed by the later day, weekends dropped first unless asked) laid
 * out over the union of their days; null for two prices on a day or a ticker with one price.
 * Prices are placed by day on one calendar, so no sorting is needed.
 */
function returnsPanel(histories: PriceHistory[], includeWeekends: boolean): ReturnsPanel | null {
  if (histories.length === 0) return null;
  histories.sort((a, b) => (a.ticker < b.ticker ? -1 : a.ticker > b.ticker ? 1 : 0));
  let first = Infinity;
  let last = -Infinity;
  for (const { days } of histories) {
    for (const day of days) {
      if (day < first) first = day;
      if (day > last) last = day;
    }
  }
  const span = last - first + 1;
  const open = new Uint8Array(span).map((_, offset) =>
    includeWeekends || (weekday(first + offset) !== 0 && weekday(first + offset) !== 6) ? 1 : 0,
  );
  // Per ticker, its return on each calendar day (NaN: none), and which days any ticker has one.
  const hasReturn = new Uint8Array(span);
  const byDay: Float64Array[] = [];
  const price = new Float64Array(span);
  for (const { days, closes } of histories) {
    price.fill(Number.NaN);
    for (let i = 0; i < days.length; i++) {
      const offset = days[i]! - first;
      if (!Number.isNaN(price[offset]!)) return null;
      price[offset] = closes[i]!;
    }
    const returns = new Float64Array(span).fill(Number.NaN);
    let previous = Number.NaN;
    let count = 0;
    for (let offset = 0; offset < span; offset++) {
      const p = price[offset]!;
      if (Number.isNaN(p) || open[offset] === 0) continue;
      count++;
      if (!Number.isNaN(previous)) {
        returns[offset] = Math.log(p / previous);
        hasReturn[offset] = 1;
      }
      previous = p;
    }
    if (count < 2) return null;
    byDay.push(returns);
  }
  const offsets = [...hasReturn.keys()].filter((offset) => hasReturn[offset] === 1);
  const columns = byDay.map((returns) => {
    const col = new Float64Array(offsets.length);
    for (let i = 0; i < offsets.length; i++) col[i] = returns[offsets[i]!]!;
    return col;
  });
  return {
    tickers: histories.map((h) => h.ticker),
    dates: offsets.map((offset) => new Date((first + offset) * 86_400_000).toISOString().slice(0, 10)),
    columns,
  };
}

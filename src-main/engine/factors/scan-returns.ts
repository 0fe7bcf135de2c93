import type { DuckDBListVector, DuckDBStructVector, DuckDBVector } from '@duckdb/node-api';
import { csvRelation, inspectCsv } from '../../sources/csv';
import { withConnection } from '../../sources/duckdb';
import { DATE_FORMS, type DayMonthOrder } from '../../sources/dates';
import { duckdbDialect } from '../../sources/dialect';
import { quoteIdent } from '../../sources/sql';
import { decideOrder, type AskedOrder, type OrderEvidence } from './date-order';
import { findPriceColumns, NO_NAMED_COLUMNS, type PriceColumnNames } from './price-columns';
import type { ReturnsPanel } from './returns';

/**
 * The fast path for reading a price history: one DuckDB pass over the CSV types the cells and
 * gathers each ticker's days and closes (one row per ticker), so a 500 x 2,520 history never
 * becomes a million JavaScript objects; the returns are then computed here, on typed arrays, with
 * the same arithmetic as the careful reader (so both paths give the same numbers to the last
 * bit). Dates are read by the rule of sources/dates.ts; a column of `13/02/2000` dates is read a
 * second time in the order its cells prove. It returns null when the file has any problem (a bad
 * date, price or ticker, a missing column): the careful reader in inputs.ts then reports the exact
 * line (and two prices on a day, or a ticker with one price, are left to returnsPanel's caller).
 */
export async function scanHistories(
  file: string,
  named: PriceColumnNames,
  asked: AskedOrder,
): Promise<{ histories: PriceHistory[]; dateNote: string | null } | null> {
  let table;
  try {
    table = await inspectCsv(file);
  } catch {
    return null;
  }
  let at;
  try {
    at = findPriceColumns(table.columns, named, file);
  } catch {
    return null;
  }
  const [t, d, c] = [table.columns[at.ticker]!, table.columns[at.date]!, table.columns[at.price]!];
  return withConnection(async (conn) => {
    const pass = async (order: DayMonthOrder) => {
      const cells = `SELECT trim(${quoteIdent(t)}) AS t, trim(${quoteIdent(d)}) AS fl_cell, TRY_CAST(trim(${quoteIdent(c)}) AS DOUBLE) AS c
        FROM ${csvRelation(table)}`;
      const typed = `SELECT t, c, fl_cell, ${duckdbDialect.date('fl_cell', order)} AS d, ${duckdbDialect.dayMonthProof('fl_cell')} AS proof,
          ${ambiguousSql('fl_cell')} AS amb
        FROM (${cells})`;
      try {
        // One struct per price keeps each day with its close (the list is in no particular order).
        const result = await conn.run(`
          SELECT t, count(*) FILTER (WHERE d IS NULL OR c IS NULL OR NOT isfinite(c) OR c <= 0) AS bad,
            list({'day': CAST(d - DATE '1970-01-01' AS INTEGER), 'close': c}) AS prices,
            bool_or(proof = 1) AS pd, bool_or(proof = 2) AS pm,
            min(fl_cell) FILTER (WHERE proof IS NOT NULL) AS proof_cell, min(fl_cell) FILTER (WHERE amb) AS ambiguous_cell
          FROM (${typed}) GROUP BY t`);
        return await result.fetchAllChunks();
      } catch {
        return null;
      }
    };
    let chunks = await pass(asked === 'auto' ? 'by-separator' : asked);
    if (!chunks) return null;
    const evidence: OrderEvidence = { dayFirst: false, monthFirst: false, ambiguous: null, proof: null };
    for (const chunk of chunks) {
      for (let row = 0; row < chunk.rowCount; row++) {
        const [pd, pm, proof, ambiguous] = [3, 4, 5, 6].map((i) => chunk.getColumnVector(i).getItem(row));
        evidence.dayFirst ||= pd === true;
        evidence.monthFirst ||= pm === true;
        // The first cell in text order, whatever order the tickers come in.
        evidence.proof = first(evidence.proof, proof as string | null);
        evidence.ambiguous = first(evidence.ambiguous, ambiguous as string | null);
      }
    }
    const decided = decideOrder(asked, evidence, file, d.trim());
    // A column that proves its order is read again in it (the first pass read each cell by its separator).
    if (asked === 'auto' && (evidence.dayFirst || evidence.monthFirst)) chunks = await pass(decided.order);
    if (!chunks) return null;
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
    return { histories: out, dateNote: decided.note };
  });
}

const first = (a: string | null, b: string | null) => (a === null ? b : b === null || a <= b ? a : b);

/** Whether a `01/02/2000` cell reads as two different dates in the two orders (see orderEvidence). */
function ambiguousSql(column: string): string {
  const q = quoteIdent(column);
  const parts = `translate(${q}, '.', '/')`;
  const [a, b] = [1, 2].map((i) => `TRY_CAST(split_part(${parts}, '/', ${i}) AS INTEGER)`);
  return `(CASE WHEN (contains(${q}, '/') OR contains(${q}, '.')) AND regexp_matches(lower(${q}), '${DATE_FORMS.dayMonth.test}')
    THEN ${a} BETWEEN 1 AND 12 AND ${b} BETWEEN 1 AND 12 AND ${a} <> ${b} ELSE false END)`;
}

export interface PriceHistory {
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
export function returnsPanel(histories: PriceHistory[], includeWeekends: boolean): ReturnsPanel | null {
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

/** The fast path in one call: the returns panel of a CSV price table, or null (see scanHistories). */
export async function scanReturns(
  file: string,
  includeWeekends: boolean,
  named: PriceColumnNames = NO_NAMED_COLUMNS,
  asked: AskedOrder = 'auto',
): Promise<ReturnsPanel | null> {
  const scanned = await scanHistories(file, named, asked);
  return scanned ? returnsPanel(scanned.histories, includeWeekends) : null;
}

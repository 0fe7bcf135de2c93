import { AppError } from '../../../src-shared/errors';

/**
 * Price returns for the factor commands: daily log returns per ticker from long-format prices,
 * weekend rows dropped before returns (so Monday's return spans Friday to Monday) unless asked.
 */
export interface PriceRow {
  date: string;
  ticker: string;
  close: number;
  /** Line in the prices file, for errors. */
  line?: number;
}

export function isWeekend(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 || d === 6;
}

/**
 * Log returns as a dense table: tickers in code-unit order, every date on which any ticker has a
 * return (ascending), and per ticker one column of returns over those dates, NaN where it has none.
 */
export interface ReturnsPanel {
  tickers: string[];
  dates: string[];
  columns: Float64Array[];
}

/** The panel of per-ticker returns (ticker -> date -> return, tickers already in order). */
export function panelOf(returns: Map<string, Map<string, number>>): ReturnsPanel {
  const all = new Set<string>();
  for (const m of returns.values()) for (const d of m.keys()) all.add(d);
  const dates = [...all].sort();
  const index = new Map(dates.map((d, i) => [d, i]));
  const columns = [...returns.values()].map((m) => {
    const col = new Float64Array(dates.length).fill(Number.NaN);
    for (const [d, v] of m) col[index.get(d)!] = v;
    return col;
  });
  return { tickers: [...returns.keys()], dates, columns };
}

/** ticker -> (date -> log return), each return keyed by the later date. */
export function logReturns(prices: PriceRow[], includeWeekends: boolean): Map<string, Map<string, number>> {
  const byTicker = new Map<string, PriceRow[]>();
  const weekend = new Map<string, boolean>();
  for (const p of prices) {
    if (!includeWeekends) {
      let w = weekend.get(p.date);
      if (w === undefined) weekend.set(p.date, (w = isWeekend(p.date)));
      if (w) continue;
    }
    const list = byTicker.get(p.ticker) ?? [];
    list.push(p);
    byTicker.set(p.ticker, list);
  }
  const out = new Map<string, Map<string, number>>();
  for (const [ticker, rows] of [...byTicker.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Rows in any order are sorted by date; two prices for one ticker on one day are an error.
    rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    if (rows.length < 2) {
      const where = rows[0]?.line ? ` (line ${rows[0].line})` : '';
      throw new AppError(
        'BAD_ARGUMENT',
        `ticker ${ticker} has only one price${where}${includeWeekends ? '' : ' on a weekday'}; a return needs two`,
        'Remove that ticker or add its price history.',
      );
    }
    const r = new Map<string, number>();
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      if (a.date === b.date)
        throw new AppError(
          'BAD_ARGUMENT',
          `ticker ${ticker} has two prices on ${b.date}${a.line && b.line ? ` (lines ${Math.min(a.line, b.line)} and ${Math.max(a.line, b.line)})` : ''}`,
          'Keep one close per ticker and day.',
        );
      r.set(b.date, Math.log(b.close / a.close));
    }
    out.set(ticker, r);
  }
  return out;
}

/** Weights over the given tickers, renormalised to sum 1 (equal weights when none are given). */
export function portfolioWeights(tickers: string[], given: Map<string, number> | null): number[] {
  if (!given) return tickers.map(() => 1 / tickers.length);
  checkWeightTickers(tickers, given);
  const raw = tickers.map((t) => given.get(t) ?? 0);
  const sum = raw.reduce((a, b) => a + b, 0);
  if (Math.abs(sum) < 1e-12)
    throw new AppError(
      'BAD_ARGUMENT',
      'the portfolio weights of the tickers in the prices sum to 0',
      'Check that the portfolio names the same tickers as the prices.',
    );
  return raw.map((w) => w / sum);
}

/** A weight for a ticker without prices is an error: its share of the portfolio would vanish unseen. */
export function checkWeightTickers(tickers: string[], given: Map<string, number>): void {
  const known = new Set(tickers);
  const absent = [...given.keys()].filter((t) => !known.has(t) && given.get(t) !== 0).sort();
  if (absent.length > 0) {
    throw new AppError(
      'BAD_ARGUMENT',
      `the portfolio holds ${absent.length === 1 ? 'a ticker' : 'tickers'} with no prices: ${absent.slice(0, 10).join(', ')}${absent.length > 10 ? ', ...' : ''}`,
      'Add their prices, or remove them from the portfolio (or give them weight 0).',
    );
  }
}

import { AppError } from '../../../src-shared/errors';

/**
 * Price returns for the factor commands: daily log returns per ticker from long-format prices,
 * weekend rows dropped before returns (so Monday's return spans Friday to Monday) unless asked.
 */
export interface PriceRow {
  date: string;
  ticker: string;
  close: number;
}

export function isWeekend(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 || d === 6;
}

/** ticker -> (date -> log return), each return keyed by the later date. */
export function logReturns(prices: PriceRow[], includeWeekends: boolean): Map<string, Map<string, number>> {
  const byTicker = new Map<string, PriceRow[]>();
  for (const p of prices) {
    if (!includeWeekends && isWeekend(p.date)) continue;
    const list = byTicker.get(p.ticker) ?? [];
    list.push(p);
    byTicker.set(p.ticker, list);
  }
  const out = new Map<string, Map<string, number>>();
  for (const [ticker, rows] of [...byTicker.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const r = new Map<string, number>();
    for (let i = 1; i < rows.length; i++) {
      const prev = rows[i - 1]!.close;
      if (prev > 0 && rows[i]!.close > 0) r.set(rows[i]!.date, Math.log(rows[i]!.close / prev));
    }
    out.set(ticker, r);
  }
  return out;
}

/** Weights over the given tickers, renormalised to sum 1 (equal weights when none are given). */
export function portfolioWeights(tickers: string[], given: Map<string, number> | null): number[] {
  if (!given) return tickers.map(() => 1 / tickers.length);
  const raw = tickers.map((t) => given.get(t) ?? 0);
  const sum = raw.reduce((a, b) => a + b, 0);
  if (Math.abs(sum) < 1e-12) throw new AppError('BAD_ARGUMENT', 'the portfolio weights of the tickers in the prices sum to 0', 'Check that the portfolio names the same tickers as the prices.');
  return raw.map((w) => w / sum);
}

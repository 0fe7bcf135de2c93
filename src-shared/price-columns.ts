/**
 * Column names that usually mean a long-form price table's ticker, date and price, most likely
 * first: the form's pickers start on them, and the engine's hint names them when a table lacks
 * the default `ticker`, `date` or `close` (it never takes one of them by itself).
 */
export const LIKELY_PRICE_COLUMNS = {
  ticker: ['ticker', 'symbol', 'asset', 'security', 'name'],
  date: ['date', 'day', 'time', 'timestamp', 'period'],
  price: ['close', 'adj_close', 'adj close', 'adjclose', 'price', 'last', 'value'],
} as const;

/** The first of the likely names among the columns (as written), or null. */
export function likelyPriceColumn(role: keyof typeof LIKELY_PRICE_COLUMNS, columns: readonly string[]): string | null {
  const lower = columns.map((c) => c.trim().toLowerCase());
  for (const name of LIKELY_PRICE_COLUMNS[role]) {
    const i = lower.indexOf(name);
    if (i >= 0) return columns[i]!;
  }
  return null;
}

/** The seed's name rule: price- and rate-like drivers are averaged, everything else summed. */
export function isRateLike(column: string): boolean {
  const l = column.toLowerCase();
  return (
    l.startsWith('avg_') ||
    ['rate', 'ratio', 'pct', 'percent', 'conversion', 'price', 'unit_price', 'arpu', 'cpc', 'cpm'].some((w) => l.includes(w))
  );
}

/** Number and text formatting for people; used by the Markdown/HTML renderings and the UI. */

const groupedCache = new Map<number, Intl.NumberFormat>();

function grouped(decimals: number): Intl.NumberFormat {
  let f = groupedCache.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals, useGrouping: true });
    groupedCache.set(decimals, f);
  }
  return f;
}

/** 4020509.65 -> "4,020,509.65" (fixed decimals, thousands separated by commas). */
export function formatNumber(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞';
  // Avoid "-0.00".
  const rounded = Number(value.toFixed(decimals));
  return grouped(decimals).format(rounded === 0 ? 0 : rounded);
}

/** Like formatNumber but always signed: "+77,765.73", "-6,146.70". */
export function formatSigned(value: number, decimals = 2): string {
  const text = formatNumber(value, decimals);
  return value >= 0 || text === formatNumber(0, decimals) ? `+${text.replace(/^-/, '')}` : text;
}

/** 29 -> "29.00%" with the given decimals. */
export function formatPercent(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return `${formatNumber(value, decimals)}%`;
}

/** A whole count: 1234 -> "1,234". */
export function formatCount(value: number): string {
  return formatNumber(value, 0);
}

/** Compact form for chart axes: 4020509.65 -> "4.02M". */
export function formatCompact(value: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 }).format(value);
}

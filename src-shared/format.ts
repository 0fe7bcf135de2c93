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

/** A log or simple return as a percent: 0.012345 -> "+1.23%". */
export function formatReturn(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return `${formatSigned(value * 100, decimals)}%`;
}

/**
 * Decimals of a column: none when every value is whole (counts, orders), else `decimals`, or 4
 * when every value is below 1 in size (rates, ratios), so one column shows one precision.
 */
export function columnDecimals(values: readonly (number | null | undefined)[], decimals = 2): number {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.every((v) => Number.isInteger(v))) return 0;
  return finite.every((v) => Math.abs(v) < 1) ? Math.max(decimals, 4) : decimals;
}

/**
 * Decimals that tell two different values apart: `decimals`, or more (up to `limit`) while both
 * read alike ("0.19 → 0.19" for 0.1912 and 0.1948 becomes "0.191 → 0.195").
 */
export function decimalsToTell(before: number | null | undefined, after: number | null | undefined, decimals = 2, limit = 6): number {
  if (typeof before !== 'number' || typeof after !== 'number' || before === after) return decimals;
  let d = decimals;
  while (d < limit && formatNumber(before, d) === formatNumber(after, d)) d++;
  return d;
}

/** Decimals of two columns read as pairs (base → new): the fewest that tell every changed pair apart. */
export function pairDecimals(pairs: readonly [number | null | undefined, number | null | undefined][], decimals = 2, limit = 6): number {
  return pairs.reduce((d, [x, y]) => Math.max(d, decimalsToTell(x, y, decimals, limit)), decimals);
}

/** "before → after" with the decimals that show the move: "0.191 → 0.195", "4,020,509.65 → 4,098,275.38". */
export function formatMove(before: number | null | undefined, after: number | null | undefined, decimals = 2, limit = 6): string {
  const d = decimalsToTell(before, after, decimals, limit);
  return `${formatNumber(before, d)} → ${formatNumber(after, d)}`;
}

/**
 * A change that is not zero but rounds to zero at `decimals` gets the decimals that show it
 * (+0.0004 rather than +0.00), up to `limit`; signed.
 */
export function formatChange(value: number, decimals = 2, limit = 6): string {
  return formatSigned(value, decimalsToTell(0, value, decimals, limit));
}

/** Series colours for charts, shared by the reports and the UI (the residual is grey). */
export const SERIES_COLORS = ['#3b6fd8', '#d9822b', '#2f9e6e', '#a34fd1', '#d14b4b', '#1d9bb2', '#8a6d3b', '#c2417f', '#5b6b8c', '#6f9a2e'];
export const RESIDUAL_COLOR = '#8a93a3';

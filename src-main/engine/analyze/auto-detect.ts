import type { ColumnProfile } from '../../sources/profile';

/**
 * Deterministic auto-detection of group columns and metrics from a column profile.
 * The seed's rules, with its weaknesses fixed: ties are broken by header order (never hash
 * order), date columns are never groups, and a 0/1 flag is never a default metric.
 */

const ID_SUFFIXES = ['_id', '_identifier', '_uuid', '_guid', '_key', '_hash'];
export const AUTO_GROUP_MIN_DISTINCT = 2;
export const AUTO_GROUP_MAX_DISTINCT = 60;
export const AUTO_GROUP_MIN_FILL = 0.2;
export const AUTO_METRIC_MIN_NUMERIC = 0.8;
export const AUTO_METRICS_MAX = 3;

export function isIdentifierLike(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return lower === 'id' || ID_SUFFIXES.some((s) => lower.endsWith(s));
}

/** Text columns with 2..60 distinct non-numeric values, filled in > 20% of sampled rows; fewest values first. */
export function autoGroupColumns(columns: ColumnProfile[], sampleRows: number, k: number): string[] {
  return columns
    .map((col, order) => ({ col, order }))
    .filter(
      ({ col }) =>
        col.type !== 'date' &&
        col.distinctText >= AUTO_GROUP_MIN_DISTINCT &&
        col.distinctText <= AUTO_GROUP_MAX_DISTINCT &&
        sampleRows > 0 &&
        col.filled / sampleRows > AUTO_GROUP_MIN_FILL &&
        !isIdentifierLike(col.name),
    )
    .sort((a, b) => a.col.distinctText - b.col.distinctText || a.order - b.order)
    .slice(0, k)
    .map(({ col }) => col.name);
}

/**
 * Numeric columns (>= 80% of filled cells are numbers, NaN and infinite ones included, and some
 * finite), not groups, dates, ids or 0/1 flags; most filled first.
 */
export function autoMetricColumns(columns: ColumnProfile[], groupBy: readonly string[], max = AUTO_METRICS_MAX): string[] {
  const groups = new Set(groupBy);
  return columns
    .map((col, order) => ({ col, order }))
    .filter(
      ({ col }) =>
        !groups.has(col.name) &&
        col.name.trim().toLowerCase() !== 'date' &&
        col.type !== 'date' &&
        !isIdentifierLike(col.name) &&
        col.numeric > 0 &&
        (col.numeric + col.nonFinite) / col.filled >= AUTO_METRIC_MIN_NUMERIC &&
        !col.isFlag,
    )
    .sort((a, b) => b.col.filled - a.col.filled || a.order - b.order)
    .slice(0, max)
    .map(({ col }) => col.name);
}

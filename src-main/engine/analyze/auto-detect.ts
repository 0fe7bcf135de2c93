import type { ColumnProfile } from '../../sources/profile';

/**
 * Deterministic auto-detection of group columns from a column profile (analyze-segments'
 * dimensions), and the thresholds analyze's own choice shares (see auto-choice.ts). The seed's
 * rules, with its weaknesses fixed: ties are broken by header order (never hash order), date
 * columns are never groups, and a 0/1 flag is never a default metric.
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

/** Text columns that may group (before the near-constant check), fewest values first, ties in header order. */
export function groupCandidates(columns: ColumnProfile[], sampleRows: number): ColumnProfile[] {
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
    .map(({ col }) => col);
}

/** The first `k` of the group candidates (analyze-segments' dimensions when none are named). */
export function autoGroupColumns(columns: ColumnProfile[], sampleRows: number, k: number): string[] {
  return groupCandidates(columns, sampleRows)
    .slice(0, k)
    .map((col) => col.name);
}

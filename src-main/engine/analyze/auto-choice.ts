import type { ColumnProfile, TableProfile } from '../../sources/profile';
import { SAMPLE_ROWS } from '../../sources/profile';
import type { Scan } from '../../sources/scan';
import { AUTO_METRIC_MIN_NUMERIC, AUTO_METRICS_MAX, groupCandidates, isIdentifierLike } from './auto-detect';

/**
 * What `analyze` groups by and measures when the analyst names nothing: choices that give a
 * readable result rather than every eligible column.
 *
 * Groups: text columns (not dates, not id-like, filled in more than 20% of the sample) with 2 to
 * 60 distinct values whose most common value holds at most 95% of the filled cells (near-constant
 * columns split nothing); fewest values first, ties in header order. The first is taken; each
 * next one only while the product of the distinct values (the most segments the grouping can
 * give) stays at most 50, and never more than --auto-group-k columns.
 *
 * Metrics: numeric columns (not groups, dates, id-like or 0/1 flags). Columns whose numbers are
 * mostly (at least half) non-zero come first, most filled first; then the mostly-zero ones, most
 * non-zero values first; ties in header order; at most 3. The first is the primary metric, so it
 * is a mostly-zero column only when the table has nothing else.
 */
export const AUTO_SEGMENT_BUDGET = 50;
export const NEAR_CONSTANT_SHARE = 0.95;
export const MOSTLY_NON_ZERO = 0.5;
/** Candidate group columns whose most common value is counted (fewest values first). */
const MAX_GROUP_CANDIDATES = 20;
/** Metric candidates whose zeros one query counts. */
const ZERO_COLUMNS_PER_QUERY = 32;

/** What the sample says beyond the profile: per text column its most common value's count, per numeric column its zeros. */
export interface SampleStats {
  topCount: Map<string, number>;
  zeros: Map<string, number>;
}

/** Numeric columns that may be metrics, in header order. */
export function metricCandidates(columns: ColumnProfile[], groupBy: readonly string[]): ColumnProfile[] {
  const groups = new Set(groupBy);
  return columns.filter(
    (col) =>
      !groups.has(col.name) &&
      col.name.trim().toLowerCase() !== 'date' &&
      col.type !== 'date' &&
      !isIdentifierLike(col.name) &&
      col.numeric > 0 &&
      (col.numeric + col.nonFinite) / col.filled >= AUTO_METRIC_MIN_NUMERIC &&
      !col.isFlag,
  );
}

const isNearConstant = (col: ColumnProfile, stats: SampleStats) => {
  const top = stats.topCount.get(col.name);
  return top !== undefined && col.filled > 0 && top / col.filled > NEAR_CONSTANT_SHARE;
};

/** The group columns analyze picks (see the rule above). */
export function chooseGroupBy(profile: TableProfile, stats: SampleStats, maxColumns: number): string[] {
  const chosen: string[] = [];
  let segments = 1;
  for (const col of groupCandidates(profile.columns, profile.sampleRows)) {
    if (chosen.length >= maxColumns) break;
    if (isNearConstant(col, stats)) continue;
    if (chosen.length > 0 && segments * col.distinctText > AUTO_SEGMENT_BUDGET) break;
    chosen.push(col.name);
    segments *= col.distinctText;
  }
  return chosen;
}

/** The metrics analyze picks (see the rule above); the first is the primary metric. */
export function chooseMetrics(profile: TableProfile, stats: SampleStats, groupBy: readonly string[], max = AUTO_METRICS_MAX): string[] {
  const ranked = metricCandidates(profile.columns, groupBy).map((col, order) => {
    const nonZero = col.numeric - (stats.zeros.get(col.name) ?? 0);
    return { col, order, nonZero, mostlyNonZero: nonZero >= MOSTLY_NON_ZERO * col.numeric };
  });
  return ranked
    .sort(
      (a, b) =>
        Number(b.mostlyNonZero) - Number(a.mostlyNonZero) ||
        (a.mostlyNonZero ? b.col.filled - a.col.filled : b.nonZero - a.nonZero) ||
        a.order - b.order,
    )
    .slice(0, max)
    .map(({ col }) => col.name);
}

/**
 * Counts, over the profile's sample (the first 2,000 rows), the most common value of the group
 * candidates and the zeros of the metric candidates: two small queries where the data lives.
 */
export async function sampleStats(scan: Scan, profile: TableProfile): Promise<SampleStats> {
  const d = scan.dialect;
  const sample = d.sub(scan.sample(SAMPLE_ROWS, null), 'fl_sample');
  const topCount = new Map<string, number>();
  const zeros = new Map<string, number>();
  const groups = groupCandidates(profile.columns, profile.sampleRows).slice(0, MAX_GROUP_CANDIDATES);
  if (groups.length > 0) {
    const value = (c: string) => `trim(coalesce(${d.text(c)}, ''))`;
    const parts = groups.map(
      (col, i) => `SELECT ${i} AS i, count(*) AS n FROM ${sample} WHERE ${value(col.name)} <> '' GROUP BY ${value(col.name)}`,
    );
    const rows = await scan.rows(`SELECT i, max(n) AS top FROM (${parts.join(' UNION ALL ')}) AS fl_counts GROUP BY i`);
    for (const row of rows) topCount.set(groups[Number(row.i)]!.name, Number(row.top));
  }
  // Most filled first, a few columns per query (a table may have thousands), until enough mostly
  // non-zero ones are found: any column not counted would rank after them.
  const metrics = metricCandidates(profile.columns, []).sort((a, b) => b.filled - a.filled);
  let mostlyNonZero = 0;
  for (let at = 0; at < metrics.length && mostlyNonZero < AUTO_METRICS_MAX; at += ZERO_COLUMNS_PER_QUERY) {
    const chunk = metrics.slice(at, at + ZERO_COLUMNS_PER_QUERY);
    const [row] = await scan.rows(
      `SELECT ${chunk.map((col, i) => `count(*) FILTER (WHERE ${d.number(col.name)} = 0) AS z${i}`).join(', ')} FROM ${sample}`,
    );
    chunk.forEach((col, i) => {
      const z = Number(row?.[`z${i}`] ?? 0);
      zeros.set(col.name, z);
      if (col.numeric - z >= MOSTLY_NON_ZERO * col.numeric) mostlyNonZero++;
    });
  }
  return { topCount, zeros };
}

/** What analyze would pick with nothing named, for a scan: the dataset description shows it before any run. */
export async function analyzeDefaults(
  scan: Scan,
  profile: TableProfile,
  maxGroups: number,
): Promise<{ groupBy: string[]; metrics: string[] }> {
  const stats = await sampleStats(scan, profile);
  const groupBy = chooseGroupBy(profile, stats, maxGroups);
  return { groupBy, metrics: chooseMetrics(profile, stats, groupBy) };
}

import { duckdbDialect, type SqlDialect } from '../../services/sources/dialect';
import type { SqlRow } from '../../services/sources/duckdb';
import { quoteLiteral } from '../../services/sources/sql';
import type { ResolvedAnalyze, ResolvedPeriod } from './resolve';

/**
 * The scan plans of `analyze`: GROUP BYs that the scan engine runs where the data lives, returning
 * the segment cube (one row per segment with its record count and, per metric, the sum, the
 * chosen aggregate and any percentiles). Rows never come back to JavaScript.
 */
export const BLANK = '(blank)';

export interface SegmentCell {
  values: string[];
  count: number;
  /** Per metric (same order as resolved.metrics): the sum of the numeric values (0 when none). */
  sums: number[];
  /** Per metric: the chosen aggregate (sum|mean|median) of the numeric values (0 when none). */
  values_agg: number[];
  /** Per metric, per requested percentile (0 when no numeric value). */
  percentiles: number[][];
}

export interface SegmentCube {
  /** Data rows read (before filters). */
  rows: number;
  /** Records after --where that were left out as all-blank (--exclude-blank-groups). */
  excludedBlank: number;
  cells: SegmentCell[];
}

/**
 * Lowercase, apostrophes dropped, other punctuation read as a space, single spaces: so
 * "Widget-Pro!" and "widget pro" are one value (the seed deleted punctuation: "widgetpro").
 */
function normalizeExpr(expr: string, d: SqlDialect): string {
  return `trim(regexp_replace(regexp_replace(regexp_replace(lower(${expr}), '[''’]', '', 'g'), '${d.notAlnumRun}', ' ', 'g'), '\\s+', ' ', 'g'))`;
}

/** A group value: trimmed (optionally normalised) text, or "(blank)" when it has no letter or digit. */
export function groupKeyExpr(expr: string, normalize: boolean, d: SqlDialect = duckdbDialect): string {
  const trimmed = `trim(coalesce(${expr}, ''))`;
  const v = normalize ? normalizeExpr(trimmed, d) : trimmed;
  return `(CASE WHEN ${d.matches(v, d.alnum)} THEN ${v} ELSE ${quoteLiteral(BLANK)} END)`;
}

export function whereExpr(resolved: Pick<ResolvedAnalyze, 'where'>, d: SqlDialect = duckdbDialect): string {
  if (resolved.where.length === 0) return 'true';
  return resolved.where.map((w) => `(trim(coalesce(${d.text(w.column)}, '')) = ${quoteLiteral(w.value)})`).join(' AND ');
}

const list = (...parts: (string | string[])[]) => parts.flat().filter((p) => p !== '').join(', ');

/** The quantiles the per-row scan computes per metric: the median first (if asked), then the percentiles. */
function quantilesOf(r: ResolvedAnalyze): number[] {
  const qs = [...(r.agg === 'median' ? [0.5] : []), ...r.percentiles.map((p) => p / 100)];
  return qs.length > 0 ? qs : [0.5];
}

/** Whether the scan must aggregate per row (medians and percentiles are not additive). */
export function needsPerRowScan(r: ResolvedAnalyze): boolean {
  return r.agg === 'median' || r.percentiles.length > 0;
}

/**
 * The segment scan. Sums and means are additive, so they take two stages: a GROUP BY on the raw
 * cell values over every row, then the key rules (trim, normalise, blank) applied to the few
 * distinct raw values, re-grouping the partial sums. Medians and percentiles are not additive:
 * they apply the key rules per row and aggregate once. Rows outside --where (and all-blank rows
 * with --exclude-blank-groups) land in keep = false groups, which only count as rows read.
 */
export function segmentScanSql(relation: string, r: ResolvedAnalyze, d: SqlDialect = duckdbDialect): string {
  const keep = whereExpr(r, d);
  const gi = r.groupBy.map((_, i) => `g${i}`);
  const key = (i: number, expr: string) => groupKeyExpr(expr, r.normalized.includes(r.groupBy[i]!), d);
  const allBlank = gi.map((g) => `${g} = ${quoteLiteral(BLANK)}`).join(' AND ');
  const keep2 = r.excludeBlankGroups ? `(keep AND NOT (${allBlank}))` : 'keep';
  const blankOut = r.excludeBlankGroups ? `, count(*) FILTER (WHERE keep AND ${allBlank}) AS blank_out` : '';
  const metricIdx = r.metrics.map((_, i) => i);
  if (needsPerRowScan(r)) {
    const inner = list(
      `${keep} AS keep`,
      r.groupBy.map((g, i) => `${key(i, d.text(g))} AS g${i}`),
      r.metrics.map((m, i) => `${d.summable(m)} AS m${i}`),
    );
    // One quantile state per metric serves the median and every percentile (a state holds the
    // segment's values, so one per metric rather than one per quantile keeps memory down).
    const qs = quantilesOf(r);
    const aggs = metricIdx.map((i) => {
      // The median is the first quantile of the list (read in cubeFromScan).
      const a = r.agg === 'median' ? '' : `coalesce(${r.agg === 'mean' ? `avg(m${i})` : d.sum(`m${i}`)}, 0) AS a${i}`;
      return list(`coalesce(${d.sum(`m${i}`)}, 0) AS s${i}`, a, `${d.quantiles(`m${i}`, qs)} AS q${i}`);
    });
    const grouped = list(`${keep2} AS kept`, gi.map((g, i) => `(CASE WHEN ${keep2} THEN ${g} END) AS k${i}`), 'count(*) AS n', aggs);
    return `SELECT ${grouped}${blankOut} FROM ${d.sub(`SELECT ${inner} FROM ${relation}`, 'fl_rows')} GROUP BY ${list('kept', r.groupBy.map((_, i) => `k${i}`))}`;
  }

  return segmentsFromRawSql(d.sub(rawCubeSql(relation, r, null, d), 'fl_raw'), r, d);
}

/** The window of a row's date (current, previous, or NULL), by the seed's date-like rule. */
function windowExpr(p: ResolvedPeriod, d: SqlDialect): string {
  const day = d.date(p.dateColumn);
  const { current, previous } = p.windows;
  return `(CASE WHEN ${day} BETWEEN DATE ${quoteLiteral(current.start)} AND DATE ${quoteLiteral(current.end)} THEN 'current' WHEN ${day} BETWEEN DATE ${quoteLiteral(previous.start)} AND DATE ${quoteLiteral(previous.end)} THEN 'previous' END)`;
}

/**
 * Stage one of the additive scan: every row once, grouped by the raw group values (and, for a
 * period comparison, the row's window), with count, sum and count of numbers per metric. Both
 * the segment table and the period comparison are derived from this one small result.
 */
export function rawCubeSql(relation: string, r: ResolvedAnalyze, period: ResolvedPeriod | null, d: SqlDialect = duckdbDialect): string {
  const keys = list('keep', period ? 'win' : '', r.groupBy.map((_, i) => `r${i}`));
  const inner = list(`${whereExpr(r, d)} AS keep`, period ? `${windowExpr(period, d)} AS win` : '', r.groupBy.map((g, i) => `${d.text(g)} AS r${i}`), r.metrics.map((m, i) => `${d.summable(m)} AS m${i}`));
  // The count of numbers per metric is only needed for means; a constant costs nothing per row.
  const count = (i: number) => (r.agg === 'mean' ? `count(m${i})` : '0');
  return `SELECT ${list(keys, 'count(*) AS n', r.metrics.map((_, i) => `${d.sum(`m${i}`)} AS s${i}, ${count(i)} AS c${i}`))} FROM ${d.sub(`SELECT ${inner} FROM ${relation}`, 'fl_rows')} GROUP BY ${keys}`;
}

/** Stage two: the key rules on the distinct raw values, re-grouping the partial sums into segments. */
export function segmentsFromRawSql(raw: string, r: ResolvedAnalyze, d: SqlDialect = duckdbDialect): string {
  const gi = r.groupBy.map((_, i) => `g${i}`);
  const allBlank = gi.map((g) => `${g} = ${quoteLiteral(BLANK)}`).join(' AND ');
  const keep2 = r.excludeBlankGroups ? `(keep AND NOT (${allBlank}))` : 'keep';
  const metricIdx = r.metrics.map((_, i) => i);
  const key = (i: number, expr: string) => groupKeyExpr(expr, r.normalized.includes(r.groupBy[i]!), d);
  const mapped = list('keep', r.groupBy.map((_, i) => `${key(i, `r${i}`)} AS g${i}`), 'n', metricIdx.map((i) => `s${i}, c${i}`));
  const regrouped = list(
    `${keep2} AS kept`,
    gi.map((g, i) => `(CASE WHEN ${keep2} THEN ${g} END) AS k${i}`),
    'sum(n) AS n',
    metricIdx.map((i) => `coalesce(${d.sum(`s${i}`)}, 0) AS s${i}, sum(c${i}) AS c${i}`),
  );
  const blankOutSum = r.excludeBlankGroups ? `, sum(n) FILTER (WHERE keep AND ${allBlank}) AS blank_out` : '';
  const final = list(
    'kept',
    r.groupBy.map((_, i) => `k${i}`),
    'n',
    metricIdx.map((i) => `s${i}`),
    metricIdx.map((i) => (r.agg === 'sum' ? `s${i} AS a${i}` : `(CASE WHEN c${i} > 0 THEN s${i} / c${i} ELSE 0 END) AS a${i}`)),
    r.excludeBlankGroups ? 'blank_out' : '',
  );
  const groupCols = ['kept', ...gi.map((_, i) => `k${i}`)];
  return `SELECT ${final} FROM ${d.sub(`SELECT ${regrouped}${blankOutSum} FROM ${d.sub(`SELECT ${mapped} FROM ${raw}`, 'fl_keys')} ${d.groupBy(groupCols)}`, 'fl_segments')}`;
}

/** The period comparison from the raw cube (which was grouped by window too). */
export function periodFromRawSql(raw: string, r: ResolvedAnalyze, p: ResolvedPeriod, d: SqlDialect = duckdbDialect): string {
  const idx = p.groupBy.map((g) => r.groupBy.indexOf(g));
  const gi = idx.map((_, j) => `g${j}`);
  const keys = idx.map((i, j) => `${groupKeyExpr(`r${i}`, r.normalized.includes(r.groupBy[i]!), d)} AS g${j}`);
  const allBlank = gi.map((g) => `${g} = ${quoteLiteral(BLANK)}`).join(' AND ');
  const cond = ['keep', 'win IS NOT NULL', ...(r.excludeBlankGroups && gi.length > 0 ? [`NOT (${allBlank})`] : [])].join(' AND ');
  const primary = r.metrics.length > 0 ? 's0' : d.double('0');
  return `SELECT ${list('win', gi, 'sum(n) AS n', `coalesce(${d.sum('m')}, 0) AS s`)} FROM ${d.sub(`SELECT ${list('keep', 'win', keys, 'n', `${primary} AS m`)} FROM ${raw}`, 'fl_keys')} WHERE ${cond} ${d.groupBy(['win', ...gi])}`;
}

/** Folds the scan result into the cube: rows outside the filters only count towards `rows`. */
export function cubeFromScan(rows: SqlRow[], r: ResolvedAnalyze): SegmentCube {
  let total = 0;
  let excludedBlank = 0;
  const cells: SegmentCell[] = [];
  for (const row of rows) {
    const n = Number(row.n);
    total += n;
    excludedBlank += Number(row.blank_out ?? 0);
    if (row.kept !== true) continue;
    cells.push({
      values: r.groupBy.map((_, i) => String(row[`k${i}`])),
      count: n,
      sums: r.metrics.map((_, i) => Number(row[`s${i}`])),
      values_agg: r.metrics.map((_, i) => (r.agg === 'median' ? Number((row[`q${i}`] as (number | null)[] | null)?.[0] ?? 0) : Number(row[`a${i}`]))),
      percentiles: r.metrics.map((_, i) => {
        const q = (row[`q${i}`] ?? null) as (number | null)[] | null;
        const offset = r.agg === 'median' ? 1 : 0;
        return r.percentiles.map((_p, j) => Number(q?.[offset + j] ?? 0));
      }),
    });
  }
  // The scan engine returns groups in any order; fix one so totals add up the same every time.
  cells.sort((a, b) => compareKeys(a.values, b.values));
  return { rows: total, excludedBlank, cells };
}

export interface PeriodCell {
  window: 'current' | 'previous';
  values: string[];
  count: number;
  /** Sum of the raw primary metric (whatever --agg says), 0 with count-only. */
  primary: number;
}

/** The period comparison: per window and segment (date column left out), records and the primary sum. */
export function periodScanSql(relation: string, r: ResolvedAnalyze, p: ResolvedPeriod, d: SqlDialect = duckdbDialect): string {
  const gi = p.groupBy.map((_, i) => `g${i}`);
  const keys = p.groupBy.map((g, i) => `${groupKeyExpr(d.text(g), r.normalized.includes(g), d)} AS g${i}`);
  const allBlank = gi.map((g) => `${g} = ${quoteLiteral(BLANK)}`).join(' AND ');
  const primary = r.metrics[0] ? d.summable(r.metrics[0]) : d.double('NULL');
  const inner = list(`${whereExpr(r, d)} AS keep`, `${windowExpr(p, d)} AS win`, keys, `${primary} AS m`);
  const cond = ['keep', 'win IS NOT NULL', ...(r.excludeBlankGroups && gi.length > 0 ? [`NOT (${allBlank})`] : [])].join(' AND ');
  return `SELECT ${list('win', gi, 'count(*) AS n', `coalesce(${d.sum('m')}, 0) AS s`)} FROM ${d.sub(`SELECT ${inner} FROM ${relation}`, 'fl_rows')} WHERE ${cond} ${d.groupBy(['win', ...gi])}`;
}

export function periodCellsFromScan(rows: SqlRow[], p: ResolvedPeriod): PeriodCell[] {
  return rows
    .map((row) => ({
      window: row.win as 'current' | 'previous',
      values: p.groupBy.map((_, i) => String(row[`g${i}`])),
      count: Number(row.n),
      primary: Number(row.s),
    }))
    .sort((a, b) => compareKeys(a.values, b.values) || (a.window < b.window ? -1 : 1));
}

export function compareKeys(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Neumaier's compensated sum: the same total, to the last bit, whatever the magnitudes. */
export function preciseSum(values: Iterable<number>): number {
  let sum = 0;
  let compensation = 0;
  for (const v of values) {
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

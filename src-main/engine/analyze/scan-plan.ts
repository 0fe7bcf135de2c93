import { duckdbDialect, type SqlDialect } from '../../sources/dialect';
import type { SqlRow } from '../../sources/duckdb';
import { filterMatchSql } from '../../sources/column-values';
import { quoteLiteral } from '../../sources/sql';
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
  /** Per metric: filled cells that are no number (text, NaN, 1e309, …), left out of the aggregates. */
  notNumbers: number[];
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

export function whereExpr(resolved: Pick<ResolvedAnalyze, 'where' | 'whereIgnoreCase'>, d: SqlDialect = duckdbDialect): string {
  if (resolved.where.length === 0) return 'true';
  return resolved.where.map((w) => filterMatchSql(w.column, w.value, resolved.whereIgnoreCase, d)).join(' AND ');
}

const list = (...parts: (string | string[])[]) =>
  parts
    .flat()
    .filter((p) => p !== '')
    .join(', ');

/**
 * The distinct quantiles the scan computes per metric (the median and p50 are one), and where
 * each asked value sits in that list: the median (when asked) and then every percentile.
 */
export function quantilePlan(r: Pick<ResolvedAnalyze, 'agg' | 'percentiles'>): { qs: number[]; median: number; percentiles: number[] } {
  const qs: number[] = [];
  const at = (q: number) => {
    const i = qs.indexOf(q);
    return i >= 0 ? i : qs.push(q) - 1;
  };
  const median = r.agg === 'median' ? at(0.5) : -1;
  const percentiles = r.percentiles.map((p) => at(p / 100));
  if (qs.length === 0) at(0.5);
  return { qs, median, percentiles };
}

/** Whether the scan must aggregate per row (medians and percentiles are not additive). */
export function needsPerRowScan(r: ResolvedAnalyze): boolean {
  return r.agg === 'median' || r.percentiles.length > 0;
}

/**
 * The segment scan. Sums and means are additive, so they take two stages: a GROUP BY on the raw
 * cell values over every row, then the key rules (trim, normalise, blank) applied to the few
 * distinct raw values, re-grouping the partial sums. Medians and percentiles are not additive:
 * see quantileScanSql. Rows outside --where (and all-blank rows with --exclude-blank-groups) land
 * in keep = false groups, which only count as rows read.
 */
export function segmentScanSql(relation: string, r: ResolvedAnalyze, d: SqlDialect = duckdbDialect, keysPerRow = false): string {
  if (needsPerRowScan(r)) return quantileScanSql(relation, r, d, keysPerRow || r.normalized.length > 0);
  return segmentsFromRawSql(d.sub(rawCubeSql(relation, r, null, d), 'fl_raw'), r, d);
}

/**
 * Medians and percentiles, one quantile aggregate per metric (a quantile state holds every value
 * of its group, so one per metric rather than one per quantile). By default the rows are grouped
 * by their raw cell values and the key rules run once per distinct value afterwards: exact as
 * long as no two raw values give one segment key ("US" and " US"), which segmentKeysCollide()
 * checks; the caller then runs the plan again with keysPerRow, which applies the key rules to
 * every row before grouping. Normalised columns always take that path (merging spellings is
 * their point).
 */
function quantileScanSql(relation: string, r: ResolvedAnalyze, d: SqlDialect, keysPerRow: boolean): string {
  const gi = r.groupBy.map((_, i) => `g${i}`);
  const key = (i: number, expr: string) => groupKeyExpr(expr, r.normalized.includes(r.groupBy[i]!), d);
  const allBlank = gi.map((g) => `${g} = ${quoteLiteral(BLANK)}`).join(' AND ');
  const keep2 = r.excludeBlankGroups ? `(keep AND NOT (${allBlank}))` : 'keep';
  const { qs } = quantilePlan(r);
  const aggs = r.metrics.map((_, i) => {
    const a = r.agg === 'median' ? '' : `coalesce(${r.agg === 'mean' ? `avg(m${i})` : d.sum(`m${i}`)}, 0) AS a${i}`;
    return list(`coalesce(${d.sum(`m${i}`)}, 0) AS s${i}`, a, `${d.quantiles(`m${i}`, qs)} AS q${i}`, `sum(u${i}) AS u${i}`);
  });
  const metricCols = r.metrics.map((_, i) => list(`s${i}`, r.agg === 'median' ? '' : `a${i}`, `q${i}`, `u${i}`));
  const metrics = r.metrics.flatMap((m, i) => metricColumnsSql(m, i, d));
  const kept = (n: string) =>
    list(
      `${keep2} AS kept`,
      gi.map((g, i) => `(CASE WHEN ${keep2} THEN ${g} END) AS k${i}`),
      `${n} AS n`,
    );
  if (keysPerRow) {
    const inner = list(
      `${whereExpr(r, d)} AS keep`,
      r.groupBy.map((g, i) => `${key(i, d.text(g))} AS g${i}`),
      metrics,
    );
    const blankOut = r.excludeBlankGroups ? `, count(*) FILTER (WHERE keep AND ${allBlank}) AS blank_out` : '';
    return `SELECT ${list(kept('count(*)'), aggs)}${blankOut} FROM ${d.sub(`SELECT ${inner} FROM ${relation}`, 'fl_rows')} GROUP BY ${list(
      'kept',
      r.groupBy.map((_, i) => `k${i}`),
    )}`;
  }
  const ri = r.groupBy.map((_, i) => `r${i}`);
  const inner = list(
    `${whereExpr(r, d)} AS keep`,
    r.groupBy.map((g, i) => `${d.text(g)} AS r${i}`),
    metrics,
  );
  const raw = `SELECT ${list('keep', ri, 'count(*) AS n', aggs)} FROM ${d.sub(`SELECT ${inner} FROM ${relation}`, 'fl_rows')} ${d.groupBy(['keep', ...ri])}`;
  const keyed = `SELECT ${list(
    'keep',
    ri.map((x, i) => `${key(i, x)} AS g${i}`),
    'n',
    metricCols,
  )} FROM ${d.sub(raw, 'fl_raw')}`;
  const blankOut = r.excludeBlankGroups ? `, (CASE WHEN keep AND ${allBlank} THEN n ELSE 0 END) AS blank_out` : '';
  return `SELECT ${list(kept('n'), metricCols)}${blankOut} FROM ${d.sub(keyed, 'fl_keys')}`;
}

/**
 * Whether two kept rows of a quantile scan share a segment key (raw values that the key rules
 * merge): their quantiles cannot be combined, so the plan must run again with keysPerRow.
 */
export function segmentKeysCollide(rows: SqlRow[], r: ResolvedAnalyze): boolean {
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.kept !== true) continue;
    const key = JSON.stringify(r.groupBy.map((_, i) => row[`k${i}`]));
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/**
 * A metric per row: its number (m) and whether its cell is filled but no number (u, 0 or 1: a
 * cheap count; which of those are NaN or infinite is counted afterwards, only when there are any).
 */
function metricColumnsSql(metric: string, i: number, d: SqlDialect): string[] {
  return [
    `${d.summable(metric)} AS m${i}`,
    `(CASE WHEN ${d.number(metric)} IS NULL AND ${d.text(metric)} IS NOT NULL THEN 1 ELSE 0 END) AS u${i}`,
  ];
}

/** Per metric, its cells that are numbers but not finite (z0, z1, …), over the rows --where keeps. */
export function nonFiniteCountsSql(relation: string, r: ResolvedAnalyze, d: SqlDialect = duckdbDialect): string {
  return `SELECT ${r.metrics.map((m, i) => `coalesce(sum(CASE WHEN ${d.nonFinite(m)} THEN 1 ELSE 0 END), 0) AS z${i}`).join(', ')} FROM ${relation} WHERE ${whereExpr(r, d)}`;
}

/** Per row, for a period comparison: the date, read once (fl_day), and the cell itself (fl_cell). */
function dateColumnsSql(p: ResolvedPeriod, d: SqlDialect): string[] {
  return [`${d.date(p.dateColumn, p.dateOrder)} AS fl_day`, `${d.text(p.dateColumn)} AS fl_cell`];
}

/**
 * A row's window from fl_day: current, previous, 'unreadable' (a filled date cell that reads as
 * no date: in no window, and counted), else NULL (no date, or outside both windows).
 */
function windowSql(p: ResolvedPeriod, d: SqlDialect): string {
  const { current, previous } = p.windows;
  return `(CASE WHEN fl_day BETWEEN DATE ${quoteLiteral(current.start)} AND DATE ${quoteLiteral(current.end)} THEN 'current' WHEN fl_day BETWEEN DATE ${quoteLiteral(previous.start)} AND DATE ${quoteLiteral(previous.end)} THEN 'previous' WHEN fl_day IS NULL AND NOT ${d.blank('fl_cell')} THEN 'unreadable' END)`;
}

/** Aggregates of what the date cells prove about the day/month order (pd: day first, pm: month first; 0 or 1). */
const proofAggregates = (proof: string) => [
  `max(CASE WHEN ${proof} = 1 THEN 1 ELSE 0 END) AS pd`,
  `max(CASE WHEN ${proof} = 2 THEN 1 ELSE 0 END) AS pm`,
];

/** What the period scan found about its date column. */
export interface PeriodCheck {
  /** Whether some cell proves day first (pd) and some month first (pm). */
  proof: { dayFirst: boolean; monthFirst: boolean };
  /** Filled date cells of the kept rows that read as no date. */
  unreadable: number;
}

/**
 * Stage one of the additive scan: every row once, grouped by the raw group values (and, for a
 * period comparison, the row's window), with count, sum and count of numbers per metric. Both
 * the segment table and the period comparison are derived from this one small result.
 */
export function rawCubeSql(relation: string, r: ResolvedAnalyze, period: ResolvedPeriod | null, d: SqlDialect = duckdbDialect): string {
  const keys = list(
    'keep',
    period ? 'win' : '',
    r.groupBy.map((_, i) => `r${i}`),
  );
  const ri = r.groupBy.map((_, i) => `r${i}`);
  const mi = r.metrics.map((_, i) => `m${i}, u${i}`);
  const inner = list(
    `${whereExpr(r, d)} AS keep`,
    period ? dateColumnsSql(period, d) : [],
    r.groupBy.map((g, i) => `${d.text(g)} AS r${i}`),
    r.metrics.flatMap((m, i) => metricColumnsSql(m, i, d)),
  );
  let rows = d.sub(`SELECT ${inner} FROM ${relation}`, 'fl_rows');
  // With periods: the window and the day/month proof from the date read once per row.
  if (period)
    rows = d.sub(
      `SELECT ${list('keep', `${windowSql(period, d)} AS win`, `${d.dayMonthProof('fl_cell')} AS fl_proof`, ri, mi)} FROM ${rows}`,
      'fl_dated',
    );
  // The count of numbers per metric is only needed for means; a constant costs nothing per row.
  const count = (i: number) => (r.agg === 'mean' ? `count(m${i})` : '0');
  return `SELECT ${list(
    keys,
    'count(*) AS n',
    r.metrics.map((_, i) => `${d.sum(`m${i}`)} AS s${i}, ${count(i)} AS c${i}, sum(u${i}) AS u${i}`),
    period ? proofAggregates('fl_proof') : [],
  )} FROM ${rows} GROUP BY ${keys}`;
}

/** Stage two: the key rules on the distinct raw values, re-grouping the partial sums into segments. */
export function segmentsFromRawSql(raw: string, r: ResolvedAnalyze, d: SqlDialect = duckdbDialect): string {
  const gi = r.groupBy.map((_, i) => `g${i}`);
  const allBlank = gi.map((g) => `${g} = ${quoteLiteral(BLANK)}`).join(' AND ');
  const keep2 = r.excludeBlankGroups ? `(keep AND NOT (${allBlank}))` : 'keep';
  const metricIdx = r.metrics.map((_, i) => i);
  const key = (i: number, expr: string) => groupKeyExpr(expr, r.normalized.includes(r.groupBy[i]!), d);
  const mapped = list(
    'keep',
    r.groupBy.map((_, i) => `${key(i, `r${i}`)} AS g${i}`),
    'n',
    metricIdx.map((i) => `s${i}, c${i}, u${i}`),
  );
  const regrouped = list(
    `${keep2} AS kept`,
    gi.map((g, i) => `(CASE WHEN ${keep2} THEN ${g} END) AS k${i}`),
    'sum(n) AS n',
    metricIdx.map((i) => `coalesce(${d.sum(`s${i}`)}, 0) AS s${i}, sum(c${i}) AS c${i}, sum(u${i}) AS u${i}`),
  );
  const blankOutSum = r.excludeBlankGroups ? `, sum(n) FILTER (WHERE keep AND ${allBlank}) AS blank_out` : '';
  const final = list(
    'kept',
    r.groupBy.map((_, i) => `k${i}`),
    'n',
    metricIdx.map((i) => `s${i}`),
    metricIdx.map((i) => (r.agg === 'sum' ? `s${i} AS a${i}` : `(CASE WHEN c${i} > 0 THEN s${i} / c${i} ELSE 0 END) AS a${i}`)),
    metricIdx.map((i) => `u${i}`),
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
  const cond = ['keep', `win IN ('current', 'previous')`, ...(r.excludeBlankGroups && gi.length > 0 ? [`NOT (${allBlank})`] : [])].join(
    ' AND ',
  );
  const primary = r.metrics.length > 0 ? 's0' : d.double('0');
  return `SELECT ${list('win', gi, 'sum(n) AS n', `coalesce(${d.sum('m')}, 0) AS s`)} FROM ${d.sub(`SELECT ${list('keep', 'win', keys, 'n', `${primary} AS m`)} FROM ${raw}`, 'fl_keys')} WHERE ${cond} ${d.groupBy(['win', ...gi])}`;
}

/** The date column's check from the raw cube: the day/month proof of every row, and the unreadable dates of the kept rows. */
export function periodCheckFromRawSql(raw: string): string {
  return `SELECT max(pd) AS pd, max(pm) AS pm, coalesce(sum(CASE WHEN keep AND win = 'unreadable' THEN n ELSE 0 END), 0) AS unreadable FROM ${raw}`;
}

/** Reads a period check from rows carrying pd, pm and (per window) n: the raw cube's check, or the period scan's groups. */
export function periodCheckFromRows(rows: SqlRow[]): PeriodCheck {
  let dayFirst = false;
  let monthFirst = false;
  let unreadable = 0;
  for (const row of rows) {
    dayFirst ||= Number(row.pd) === 1;
    monthFirst ||= Number(row.pm) === 1;
    unreadable += row.unreadable !== undefined ? Number(row.unreadable) : row.win === 'unreadable' ? Number(row.n) : 0;
  }
  return { proof: { dayFirst, monthFirst }, unreadable };
}

/** Folds the scan result into the cube: rows outside the filters only count towards `rows`. */
export function cubeFromScan(rows: SqlRow[], r: ResolvedAnalyze): SegmentCube {
  const plan = quantilePlan(r);
  const quantile = (row: SqlRow, metric: number, at: number) =>
    Number((row[`q${metric}`] as (number | null)[] | null | undefined)?.[at] ?? 0);
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
      values_agg: r.metrics.map((_, i) => (r.agg === 'median' ? quantile(row, i, plan.median) : Number(row[`a${i}`]))),
      percentiles: r.metrics.map((_, i) => plan.percentiles.map((at) => quantile(row, i, at))),
      notNumbers: r.metrics.map((_, i) => Number(row[`u${i}`] ?? 0)),
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

/**
 * The period comparison: per window and segment (date column left out), records and the primary
 * sum. Every row is read, so that the day/month proof (pd, pm) covers the whole column; rows in
 * no window of the comparison fall into one group without segment, and filled date cells of kept
 * rows that read as no date into the 'unreadable' group.
 */
export function periodScanSql(relation: string, r: ResolvedAnalyze, p: ResolvedPeriod, d: SqlDialect = duckdbDialect): string {
  const gi = p.groupBy.map((_, i) => `g${i}`);
  const ri = p.groupBy.map((_, i) => `r${i}`);
  const primary = r.metrics[0] ? d.summable(r.metrics[0]) : d.double('NULL');
  const inner = list(
    `${whereExpr(r, d)} AS keep`,
    dateColumnsSql(p, d),
    p.groupBy.map((g, i) => `${d.text(g)} AS r${i}`),
    `${primary} AS m`,
  );
  const dated = list('keep', `${windowSql(p, d)} AS win`, `${d.dayMonthProof('fl_cell')} AS fl_proof`, ri, 'm');
  // The segment keys only for rows in a window of the comparison.
  const keys = p.groupBy.map(
    (g, i) => `(CASE WHEN keep AND win IN ('current', 'previous') THEN ${groupKeyExpr(`r${i}`, r.normalized.includes(g), d)} END) AS g${i}`,
  );
  const keyed = list('keep', 'win', keys, 'm', 'fl_proof');
  const allBlank = gi.map((g) => `${g} = ${quoteLiteral(BLANK)}`).join(' AND ');
  const counted = r.excludeBlankGroups && gi.length > 0 ? `(win = 'unreadable' OR NOT (${allBlank}))` : 'true';
  const win = `(CASE WHEN keep AND win IS NOT NULL AND ${counted} THEN win END)`;
  const grouped = list(
    `${win} AS win`,
    gi.map((g) => `(CASE WHEN ${win} IN ('current', 'previous') THEN ${g} END) AS ${g}`),
    'm',
    'fl_proof',
  );
  const rows = d.sub(
    `SELECT ${grouped} FROM ${d.sub(`SELECT ${keyed} FROM ${d.sub(`SELECT ${dated} FROM ${d.sub(`SELECT ${inner} FROM ${relation}`, 'fl_rows')}`, 'fl_dated')}`, 'fl_keyed')}`,
    'fl_windows',
  );
  return `SELECT ${list('win', gi, 'count(*) AS n', `coalesce(${d.sum('m')}, 0) AS s`, proofAggregates('fl_proof'))} FROM ${rows} ${d.groupBy(['win', ...gi])}`;
}

export function periodCellsFromScan(rows: SqlRow[], p: ResolvedPeriod): PeriodCell[] {
  return rows
    .filter((row) => row.win === 'current' || row.win === 'previous')
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

import type { SegmentsOptions } from '../../../src-shared/analysis-options';
import type { Scan } from '../../sources/scan';
import type { OnScanProgress } from '../../sources/scan-progress';
import type { DayMonthOrder } from '../../sources/dates';
import { DATE_CHECK_AGGREGATES, dateCheckOf } from '../analyze/date-reading';
import type { Leaf } from './cube';

/** How each row counts: the numerator and denominator of the metric on one side. */
export interface MetricSql {
  num: string;
  den: string;
}

/** The metric's numerator and denominator of a row, in SQL: a sum counts rows, a mean its filled cells, a ratio its denominator. */
export function metricSql(
  scan: Pick<Scan, 'dialect'>,
  o: Pick<SegmentsOptions, 'aggregate'>,
  columns: { metric: string; numerator: string | null; denominator: string | null },
): MetricSql {
  const d = scan.dialect;
  if (columns.numerator && columns.denominator) return { num: d.number(columns.numerator), den: d.number(columns.denominator) };
  const value = d.number(columns.metric);
  return o.aggregate === 'mean' ? { num: value, den: `(CASE WHEN ${value} IS NULL THEN 0 ELSE 1 END)` } : { num: value, den: '1' };
}

/** A dimension's cell as its text (trimmed); a blank cell is the value "(blank)". */
export function dimensionSql(scan: Pick<Scan, 'dialect'>, column: string): string {
  const d = scan.dialect;
  return `(CASE WHEN ${d.blank(column)} THEN '(blank)' ELSE trim(${d.text(column)}) END)`;
}

export interface ScannedCube {
  leaves: Leaf[];
  rows: { base: number; current: number };
  /** The query stopped at `maxGroups` groups: the cube is incomplete and only fit to be refused. */
  truncated: boolean;
  /** With `checkDates`: the day/month order the whole date column proves, and its filled cells that read as no date. */
  dates: { order: DayMonthOrder; unreadable: number } | null;
}

/**
 * One pass over the rows of both sides: a leaf per combination of the dimensions' values, with
 * the metric's sums on each side. `sides` is a FROM item whose rows carry fl_side ('base', 'new',
 * or NULL for a row in neither period) and, for a forecast, both sides on one row (`expected`).
 * With `checkDates` the rows also carry the date check of datedRowsSql, aggregated in passing, so
 * the date column needs no pass of its own.
 *
 * The rows are grouped by their cells as written (cheap to hash), and the cells read as
 * dimension values (trimmed, blank) only once per group in an outer query: a group of the inner
 * query may merge with another there (` EU` and `EU`), so the outer one sums again.
 * `progress` hears how far the pass has read.
 */
export async function scanCube(
  scan: Pick<Scan, 'dialect' | 'rows'>,
  sides: string,
  dimensions: string[],
  metric: MetricSql,
  expected: { base: string } | null,
  options: { checkDates?: boolean; maxGroups?: number; progress?: OnScanProgress } = {},
): Promise<ScannedCube> {
  const d = scan.dialect;
  const raw = dimensions.map((c, i) => `${d.text(c)} AS fl_c${i}`);
  const rawKeys = dimensions.map((_, i) => `fl_c${i}`);
  const read = dimensions.map((_, i) => `${dimensionSql(scan, `fl_c${i}`)} AS fl_d${i}`);
  const keys = dimensions.map((_, i) => `fl_d${i}`);
  const zero = d.double('0');
  const sum = (e: string) => `coalesce(sum(${e}), ${zero})`;
  // A forecast compares two columns of the same rows: every row is on both sides.
  const inner = expected
    ? `${sum(expected.base)} AS fl_n0, ${sum(metric.den)} AS fl_w0, ${sum(metric.num)} AS fl_n1, ${sum(metric.den)} AS fl_w1, count(*) AS fl_r0, count(*) AS fl_r1`
    : `${sum(`CASE WHEN fl_side = 'base' THEN ${metric.num} END`)} AS fl_n0, ${sum(`CASE WHEN fl_side = 'base' THEN ${metric.den} END`)} AS fl_w0, ` +
      `${sum(`CASE WHEN fl_side = 'new' THEN ${metric.num} END`)} AS fl_n1, ${sum(`CASE WHEN fl_side = 'new' THEN ${metric.den} END`)} AS fl_w1, ` +
      `count(*) FILTER (WHERE fl_side = 'base') AS fl_r0, count(*) FILTER (WHERE fl_side = 'new') AS fl_r1`;
  const check = options.checkDates ? `, ${DATE_CHECK_AGGREGATES}` : '';
  const totals = ['fl_n0', 'fl_w0', 'fl_n1', 'fl_w1', 'fl_r0', 'fl_r1'].map((k) => `sum(${k}) AS ${k}`).join(', ');
  const outerCheck = options.checkDates ? ', max(pd) AS pd, max(pm) AS pm, sum(fl_u) AS fl_u' : '';
  const grouped = `SELECT ${raw.length ? `${raw.join(', ')}, ` : ''}${inner}${check} FROM ${sides}${rawKeys.length ? ` GROUP BY ${rawKeys.join(', ')}` : ''}`;
  const rows = await scan.rows(
    `SELECT ${keys.length ? `${keys.join(', ')}, ` : ''}${totals}${outerCheck} FROM (SELECT ${read.length ? `${read.join(', ')}, ` : ''}* FROM ${d.sub(grouped, 'fl_raw')}) AS fl_cube${keys.length ? ` GROUP BY ${keys.join(', ')}` : ''}${options.maxGroups ? ` LIMIT ${options.maxGroups + 1}` : ''}`,
    options.progress,
  );
  const truncated = options.maxGroups !== undefined && rows.length > options.maxGroups;
  let base = 0;
  let current = 0;
  const leaves: Leaf[] = [];
  for (const r of rows) {
    const r0 = Number(r.fl_r0 ?? 0);
    const r1 = Number(r.fl_r1 ?? 0);
    base += r0;
    current += r1;
    // A group of rows in neither period (read for the date check only) is no leaf.
    if (r0 === 0 && r1 === 0) continue;
    leaves.push({
      values: keys.map((k) => String(r[k])),
      num0: Number(r.fl_n0 ?? 0),
      den0: Number(r.fl_w0 ?? 0),
      num1: Number(r.fl_n1 ?? 0),
      den1: Number(r.fl_w1 ?? 0),
    });
  }
  return { leaves, rows: { base, current }, truncated, dates: options.checkDates ? dateCheckOf(rows) : null };
}

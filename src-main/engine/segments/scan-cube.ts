import type { SegmentsOptions } from '../../../src-shared/analysis-options';
import type { Scan } from '../../sources/scan';
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

/**
 * One pass over the rows of both sides: a leaf per combination of the dimensions' values, with
 * the metric's sums on each side. `sides` is a FROM item whose rows carry fl_side ('base' or
 * 'new') and, for a forecast, both sides on one row (`expected`).
 */
export async function scanCube(
  scan: Pick<Scan, 'dialect' | 'rows'>,
  sides: string,
  dimensions: string[],
  metric: MetricSql,
  expected: { base: string } | null,
): Promise<{ leaves: Leaf[]; rows: { base: number; current: number } }> {
  const d = scan.dialect;
  const dims = dimensions.map((c, i) => `${dimensionSql(scan, c)} AS fl_d${i}`);
  const keys = dimensions.map((_, i) => `fl_d${i}`);
  const zero = d.double('0');
  const sum = (e: string) => `coalesce(sum(${e}), ${zero})`;
  // A forecast compares two columns of the same rows: every row is on both sides.
  const select = expected
    ? `${sum(expected.base)} AS fl_n0, ${sum(metric.den)} AS fl_w0, ${sum(metric.num)} AS fl_n1, ${sum(metric.den)} AS fl_w1, count(*) AS fl_r0, count(*) AS fl_r1`
    : `${sum(`CASE WHEN fl_side = 'base' THEN ${metric.num} END`)} AS fl_n0, ${sum(`CASE WHEN fl_side = 'base' THEN ${metric.den} END`)} AS fl_w0, ` +
      `${sum(`CASE WHEN fl_side = 'new' THEN ${metric.num} END`)} AS fl_n1, ${sum(`CASE WHEN fl_side = 'new' THEN ${metric.den} END`)} AS fl_w1, ` +
      `count(*) FILTER (WHERE fl_side = 'base') AS fl_r0, count(*) FILTER (WHERE fl_side = 'new') AS fl_r1`;
  const rows = await scan.rows(
    `SELECT ${keys.length ? `${keys.join(', ')}, ` : ''}${select} FROM (SELECT ${dims.length ? `${dims.join(', ')}, ` : ''}* FROM ${sides}) AS fl_cube${keys.length ? ` GROUP BY ${keys.join(', ')}` : ''}`,
  );
  let base = 0;
  let current = 0;
  const leaves: Leaf[] = rows.map((r) => {
    base += Number(r.fl_r0 ?? 0);
    current += Number(r.fl_r1 ?? 0);
    return {
      values: keys.map((k) => String(r[k])),
      num0: Number(r.fl_n0 ?? 0),
      den0: Number(r.fl_w0 ?? 0),
      num1: Number(r.fl_n1 ?? 0),
      den1: Number(r.fl_w1 ?? 0),
    };
  });
  // Each group of the GROUP BY holds at least one row of a side, so every leaf is seen somewhere.
  return { leaves, rows: { base, current } };
}

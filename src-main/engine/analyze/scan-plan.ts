import { numericExpr } from '../../services/sources/csv';
import { quoteIdent, quoteLiteral, type SqlRow } from '../../services/sources/duckdb';
import type { ResolvedAnalyze } from './resolve';

/**
 * The scan plan of `analyze`: one GROUP BY that the scan engine runs where the data lives and
 * that returns the segment cube (one row per segment with its record count and, per metric, the
 * sum and the chosen aggregate). Rows never come back to JavaScript.
 */
export const BLANK = '(blank)';

export interface SegmentCell {
  values: string[];
  count: number;
  /** Per metric (same order as resolved.metrics): the sum of the numeric values (0 when none). */
  sums: number[];
  /** Per metric: the chosen aggregate (sum|mean|median) of the numeric values (0 when none). */
  values_agg: number[];
}

export interface SegmentCube {
  /** Data rows read (before filters). */
  rows: number;
  cells: SegmentCell[];
}

const AGG_SQL = { sum: 'fsum', mean: 'avg', median: 'median' } as const;

/** A group value: trimmed text, or "(blank)" when empty or without any letter or digit. */
function groupKeyExpr(column: string): string {
  const v = `trim(coalesce(${quoteIdent(column)}, ''))`;
  return `(CASE WHEN regexp_matches(${v}, '[\\p{L}\\p{N}]') THEN ${v} ELSE ${quoteLiteral(BLANK)} END)`;
}

function whereExpr(resolved: ResolvedAnalyze): string {
  if (resolved.where.length === 0) return 'true';
  return resolved.where.map((w) => `(trim(coalesce(${quoteIdent(w.column)}, '')) = ${quoteLiteral(w.value)})`).join(' AND ');
}

export function segmentScanSql(relation: string, resolved: ResolvedAnalyze): string {
  const keep = whereExpr(resolved);
  const inner = [
    `${keep} AS keep`,
    ...resolved.groupBy.map((g, i) => `(CASE WHEN ${keep} THEN ${groupKeyExpr(g)} END) AS g${i}`),
    ...resolved.metrics.map((m, i) => `(CASE WHEN ${keep} THEN ${numericExpr(m)} END) AS m${i}`),
  ];
  const agg = AGG_SQL[resolved.agg];
  const outer = [
    'keep',
    ...resolved.groupBy.map((_, i) => `g${i}`),
    'count(*) AS n',
    ...resolved.metrics.flatMap((_, i) => [`coalesce(fsum(m${i}), 0) AS s${i}`, `coalesce(${agg}(m${i}), 0) AS a${i}`]),
  ];
  const keys = ['keep', ...resolved.groupBy.map((_, i) => `g${i}`)].join(', ');
  return `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${relation}) GROUP BY ${keys}`;
}

/** Folds the scan result into the cube: rows outside the filters only count towards `rows`. */
export function cubeFromScan(rows: SqlRow[], resolved: ResolvedAnalyze): SegmentCube {
  let total = 0;
  const cells: SegmentCell[] = [];
  for (const row of rows) {
    const n = Number(row.n);
    total += n;
    if (row.keep !== true) continue;
    cells.push({
      values: resolved.groupBy.map((_, i) => String(row[`g${i}`])),
      count: n,
      sums: resolved.metrics.map((_, i) => Number(row[`s${i}`])),
      values_agg: resolved.metrics.map((_, i) => Number(row[`a${i}`])),
    });
  }
  // The scan engine returns groups in any order; fix one so totals add up the same every time.
  cells.sort((a, b) => compareKeys(a.values, b.values));
  return { rows: total, cells };
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

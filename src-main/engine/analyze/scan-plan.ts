import { numericExpr } from '../../services/sources/csv';
import type { SqlRow } from '../../services/sources/duckdb';
import { quoteIdent, quoteLiteral } from '../../services/sources/sql';
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

/** A group value: trimmed text, or "(blank)" when empty or without any letter or digit. */
function blankRule(expr: string): string {
  const v = `trim(coalesce(${expr}, ''))`;
  return `(CASE WHEN regexp_matches(${v}, '[\\p{L}\\p{N}]') THEN ${v} ELSE ${quoteLiteral(BLANK)} END)`;
}

function whereExpr(resolved: ResolvedAnalyze): string {
  if (resolved.where.length === 0) return 'true';
  return resolved.where.map((w) => `(trim(coalesce(${quoteIdent(w.column)}, '')) = ${quoteLiteral(w.value)})`).join(' AND ');
}

/**
 * The segment scan. Sums and means are additive, so they are computed in two stages: a GROUP BY
 * on the raw cell values over every row, then the blank rule and trimming applied to the few
 * distinct raw values, re-grouping the partial sums. A median is not additive: it applies the
 * blank rule per row and aggregates once. Rows outside --where land in one keep=false group.
 */
export function segmentScanSql(relation: string, resolved: ResolvedAnalyze): string {
  const keep = whereExpr(resolved);
  const only = (expr: string) => (resolved.where.length === 0 ? expr : `(CASE WHEN ${keep} THEN ${expr} END)`);
  const gKeys = resolved.groupBy.map((_, i) => `g${i}`);
  const keys = ['keep', ...gKeys].join(', ');

  if (resolved.agg === 'median') {
    const inner = [
      `${keep} AS keep`,
      ...resolved.groupBy.map((g, i) => `${only(blankRule(quoteIdent(g)))} AS g${i}`),
      ...resolved.metrics.map((m, i) => `${only(numericExpr(m))} AS m${i}`),
    ];
    const outer = ['keep', ...gKeys, 'count(*) AS n', ...resolved.metrics.flatMap((_, i) => [`coalesce(fsum(m${i}), 0) AS s${i}`, `coalesce(median(m${i}), 0) AS a${i}`])];
    return `SELECT ${outer.join(', ')} FROM (SELECT ${inner.join(', ')} FROM ${relation}) GROUP BY ${keys}`;
  }

  const rawInner = [
    `${keep} AS keep`,
    ...resolved.groupBy.map((g, i) => `${only(quoteIdent(g))} AS r${i}`),
    ...resolved.metrics.map((m, i) => `${only(numericExpr(m))} AS m${i}`),
  ];
  const rawKeys = ['keep', ...resolved.groupBy.map((_, i) => `r${i}`)].join(', ');
  const raw = `SELECT ${rawKeys}, count(*) AS n, ${resolved.metrics.map((_, i) => `fsum(m${i}) AS s${i}, count(m${i}) AS c${i}`).join(', ')} FROM (SELECT ${rawInner.join(', ')} FROM ${relation}) GROUP BY ${rawKeys}`;
  const mapped = ['keep', ...resolved.groupBy.map((_, i) => `(CASE WHEN keep THEN ${blankRule(`r${i}`)} END) AS g${i}`), 'n', ...resolved.metrics.flatMap((_, i) => [`s${i}`, `c${i}`])];
  const sums = resolved.metrics.map((_, i) => `coalesce(fsum(s${i}), 0) AS s${i}, sum(c${i}) AS c${i}`);
  const aggs = resolved.metrics.map((_, i) => (resolved.agg === 'sum' ? `s${i} AS a${i}` : `(CASE WHEN c${i} > 0 THEN s${i} / c${i} ELSE 0 END) AS a${i}`));
  return (
    `SELECT ${keys}, n, ${resolved.metrics.map((_, i) => `s${i}`).join(', ')}, ${aggs.join(', ')} FROM (` +
    `SELECT ${keys}, sum(n) AS n, ${sums.join(', ')} FROM (SELECT ${mapped.join(', ')} FROM (${raw})) GROUP BY ${keys})`
  );
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

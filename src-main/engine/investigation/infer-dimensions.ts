import { cellNumber, isDateCell } from '../../sources/cells';
import { isIdentifierLike } from '../analyze/auto-detect';

/**
 * The dimensions of an investigation when none are named (SPEC 9): read from samples of both
 * sides, the columns an analyst would split a change by, in header order. Left out: the metric and
 * the comparison's columns, identifier-like names, dates, quantities (numbers, unless a code with
 * few values such as a tier), and text with so many values that it is an identifier (unless a few
 * values hold much of the rows or of the metric).
 */
export const SAMPLE_ROWS_PER_SIDE = 300;
/** Dimensions inferred at most (the first in header order): more would make the cube too fine. */
export const MAX_INFERRED_DIMENSIONS = 8;

const DATE_SHARE = 0.8;
const NUMERIC_SHARE = 0.9;
const CODE_MAX_UNIQUE = 20;
const CODE_MAX_UNIQUE_RATIO = 0.2;
const WIDE_MIN_UNIQUE = 64;
const WIDE_MIN_UNIQUE_RATIO = 0.35;
const TOP1_COUNT_SHARE = 0.12;
const TOP5_COUNT_SHARE = 0.35;
const TOP1_METRIC_SHARE = 0.12;
const TOP5_METRIC_SHARE = 0.4;

export interface Sample {
  columns: string[];
  /** The cells of both sides' sampled rows, as text (null for a missing cell). */
  rows: (string | null)[][];
}

export interface Inferred {
  dimensions: string[];
  /** Why each other column is no dimension. */
  skipped: { column: string; reason: string }[];
}

/** The share of the `n` largest values of a tally in its total. */
function topShare(tally: Map<string, number>, n: number): number {
  const values = [...tally.values()].sort((a, b) => b - a);
  const total = values.reduce((s, x) => s + x, 0);
  return total === 0 ? 0 : values.slice(0, n).reduce((s, x) => s + x, 0) / total;
}

/** Why a column is no dimension (null: it is one). */
function columnProblem(sample: Sample, c: number, metric: number): string | null {
  const counts = new Map<string, number>();
  const weights = new Map<string, number>();
  let filled = 0;
  let dates = 0;
  let numbers = 0;
  for (const row of sample.rows) {
    const cell = row[c]?.trim() ?? '';
    if (cell === '') continue;
    filled++;
    if (isDateCell(cell)) dates++;
    if (typeof cellNumber(cell) === 'number') numbers++;
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
    const m = cellNumber(row[metric] ?? '');
    weights.set(cell, (weights.get(cell) ?? 0) + (typeof m === 'number' ? Math.abs(m) : 0));
  }
  if (filled === 0) return 'empty in the samples';
  const unique = counts.size;
  if (unique < 2) return 'one value in the samples';
  if (dates / filled >= DATE_SHARE) return 'dates';
  if (numbers / filled >= NUMERIC_SHARE) {
    return unique <= CODE_MAX_UNIQUE && unique / filled <= CODE_MAX_UNIQUE_RATIO
      ? null
      : `numbers with ${unique} values (a quantity, not a code)`;
  }
  if (unique >= WIDE_MIN_UNIQUE && unique / filled >= WIDE_MIN_UNIQUE_RATIO) {
    const concentrated =
      topShare(counts, 1) >= TOP1_COUNT_SHARE ||
      topShare(counts, 5) >= TOP5_COUNT_SHARE ||
      topShare(weights, 1) >= TOP1_METRIC_SHARE ||
      topShare(weights, 5) >= TOP5_METRIC_SHARE;
    return concentrated ? null : `text with ${unique} values in ${filled} rows, none of them holding much (an identifier)`;
  }
  return null;
}

export function inferDimensions(sample: Sample, metric: string, exclude: readonly string[]): Inferred {
  const m = sample.columns.indexOf(metric);
  const left = new Set(exclude);
  const dimensions: string[] = [];
  const skipped: Inferred['skipped'] = [];
  sample.columns.forEach((column, c) => {
    if (c === m || left.has(column)) return;
    const problem = isIdentifierLike(column) ? 'an identifier by its name' : columnProblem(sample, c, m);
    if (problem) skipped.push({ column, reason: problem });
    else if (dimensions.length < MAX_INFERRED_DIMENSIONS) dimensions.push(column);
    else skipped.push({ column, reason: `beyond the first ${MAX_INFERRED_DIMENSIONS} dimensions` });
  });
  return { dimensions, skipped };
}

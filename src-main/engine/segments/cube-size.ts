import { AppError } from '../../../src-shared/errors';
import { formatCount } from '../../../src-shared/format';
import type { Scan } from '../../sources/scan';
import type { Leaf } from './cube';
import { dimensionSql } from './scan-cube';

/**
 * How fine a cube the segment search takes. A dimension with more values than this is no
 * dimension but an identifier (an order id, a customer, a timestamp): its segments are single
 * rows, and its split in the tree would list each of them. Such a run is refused, never capped,
 * so a result never silently lumps values together.
 */
export const MAX_DIMENSION_VALUES = 1_000;
/** Combinations of the dimensions' values (leaves) a run searches at most. */
export const MAX_LEAVES = 100_000;
/** Groups the cube's query returns at most (groups in neither period included), so memory stays bounded before the check. */
export const MAX_CUBE_GROUPS = 2 * MAX_LEAVES;

/**
 * Refuses a cube too fine to search, naming the dimension at fault: the distinct values of each
 * dimension, from the leaves (exact) or, when the query stopped at MAX_CUBE_GROUPS, from one more
 * count over the rows.
 */
export async function refuseTooFine(
  scan: Pick<Scan, 'dialect' | 'rows'>,
  sides: string,
  dimensions: string[],
  cube: { leaves: Leaf[]; truncated: boolean },
  auto: boolean,
): Promise<void> {
  if (dimensions.length === 0) return;
  let counts: number[];
  if (cube.truncated) {
    const picks = dimensions.map((c, i) => `count(DISTINCT ${dimensionSql(scan, c)}) AS fl_n${i}`);
    const [row] = await scan.rows(`SELECT ${picks.join(', ')} FROM ${sides}`);
    counts = dimensions.map((_, i) => Number(row?.[`fl_n${i}`] ?? 0));
  } else {
    counts = dimensions.map((_, d) => new Set(cube.leaves.map((l) => l.values[d])).size);
  }
  const worst = counts.indexOf(Math.max(...counts));
  const where = auto ? 'it was picked as a dimension' : 'it is one of --dimensions';
  if (counts[worst]! > MAX_DIMENSION_VALUES) {
    const name = dimensions[worst]!;
    throw new AppError(
      'BAD_ARGUMENT',
      `'${name}' has ${formatCount(counts[worst]!)} distinct values, more than the ${formatCount(MAX_DIMENSION_VALUES)} a dimension may have; the run is refused (not capped), as ${where}`,
      auto
        ? `Name the dimensions to search with --dimensions, leaving '${name}' out (a column with that many values is an identifier, not a dimension).`
        : `Leave '${name}' out of --dimensions (a column with that many values is an identifier, not a dimension), or search a coarser column in its place.`,
      ['dimensions'],
    );
  }
  if (cube.truncated || cube.leaves.length > MAX_LEAVES) {
    throw new AppError(
      'BAD_ARGUMENT',
      `the dimensions ${dimensions.join(', ')} combine into ${cube.truncated ? 'more than ' : ''}${formatCount(cube.truncated ? MAX_LEAVES : cube.leaves.length)} combinations of values, more than the ${formatCount(MAX_LEAVES)} a run searches; the run is refused (not capped)`,
      `Search fewer dimensions at once with --dimensions (the one with the most values: '${dimensions[worst]}', ${formatCount(counts[worst]!)} values).`,
      ['dimensions'],
    );
  }
}

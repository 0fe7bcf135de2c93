import type { SegmentCondition, SegmentPart } from '../../src-shared/artifacts/segments';
import { AppError } from '../../src-shared/errors';
import type { SegmentSplit } from '../../src-shared/segment-split';
import { contributionOf } from '../engine/segments/contribution';
import { addSums, sumsOf, ZERO, type Segment, type Sums } from '../engine/segments/cube';
import { unpackCube } from '../engine/segments/packed-cube';
import { rankedSplits } from '../engine/segments/tree';

/**
 * One step of the decomposition tree: a node of a run split by a dimension, from the cube kept
 * with the run (a segments run's, or a guided investigation's). `dimensions` are the run's, as its
 * artifact names them, in the cube's order (a check that the kept data is this run's). The node is
 * named by its dimension = value pairs (any order); the children are tree.ts's, so they cover the
 * node exactly once and their contributions add up to the node's.
 */
export function splitSegment(
  dimensions: readonly string[],
  packed: unknown,
  node: readonly SegmentCondition[],
  dimension: string | undefined,
): SegmentSplit {
  if (packed === null)
    throw new AppError(
      'NOT_FOUND',
      'this run keeps no data for the decomposition tree (runs saved before the tree existed have none)',
      'Run it again: a new run keeps what the tree needs.',
    );
  const cube = unpackCube(packed);
  if (dimensions.join('\u0000') !== cube.dimensions.join('\u0000'))
    throw new AppError('INTERNAL', 'the data kept with this run does not match its dimensions', 'Run the analysis again.');
  const indexOf = (name: string, what: string): number => {
    const d = cube.dimensions.indexOf(name);
    if (d < 0)
      throw new AppError(
        'BAD_REQUEST',
        `'${name}' is not a dimension of this run (${what}); its dimensions are ${cube.dimensions.join(', ')}`,
        'Pick one of the run’s dimensions.',
      );
    return d;
  };
  const pairs = node.map((c) => ({ d: indexOf(c.dimension, 'in the node'), value: c.value })).sort((a, b) => a.d - b.d);
  for (let i = 1; i < pairs.length; i++)
    if (pairs[i]!.d === pairs[i - 1]!.d)
      throw new AppError(
        'BAD_REQUEST',
        `the node fixes '${cube.dimensions[pairs[i]!.d]}' twice`,
        'Give each dimension at most once in the node.',
      );
  const segment: Segment = { dims: pairs.map((p) => p.d), values: pairs.map((p) => p.value) };
  const whole = cube.leaves.reduce<Sums>((a, l) => addSums(a, l), ZERO);
  const change = contributionOf(cube.kind, whole, whole).contribution;
  const conditions = (s: Segment): SegmentCondition[] => s.dims.map((d, i) => ({ dimension: cube.dimensions[d]!, value: s.values[i]! }));
  const partOf = (s: Segment, sums: Sums): SegmentPart => {
    const c = contributionOf(cube.kind, sums, whole);
    return {
      segment: conditions(s),
      base: c.base,
      current: c.current,
      contribution: c.contribution,
      rate: c.rate,
      mix: c.mix,
      share: change === 0 ? null : c.contribution / change,
      status: c.status,
      base_weight: sums.den0,
      current_weight: sums.den1,
    };
  };

  const ranked = rankedSplits(cube.kind, cube.leaves, segment, cube.dimensions.length);
  let chosen = ranked[0] ?? null;
  if (dimension !== undefined) {
    const d = indexOf(dimension, 'to split by');
    if (segment.dims.includes(d))
      throw new AppError(
        'BAD_REQUEST',
        `the node already fixes '${dimension}', so it cannot be split by it`,
        'Split by a dimension the node does not fix.',
      );
    chosen = ranked.find((r) => r.dimension === d)!;
  }
  const childOf = (value: string): Segment => {
    const at = segment.dims.findIndex((d) => d > chosen!.dimension);
    const dims = [...segment.dims];
    const values = [...segment.values];
    dims.splice(at < 0 ? dims.length : at, 0, chosen!.dimension);
    values.splice(at < 0 ? values.length : at, 0, value);
    return { dims, values };
  };
  return {
    node: partOf(segment, sumsOf(cube.leaves, segment)),
    ranked: ranked.map((r) => ({
      dimension: cube.dimensions[r.dimension]!,
      largest: r.children[0]?.contribution ?? 0,
      parts: r.children.length,
    })),
    dimension: chosen ? cube.dimensions[chosen.dimension]! : null,
    children: chosen ? chosen.children.map((c) => partOf(childOf(c.value), c.sums)) : [],
  };
}

import type { InvestigationArtifact } from '../../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';
import type { Leaf } from '../segments/cube';
import { packCube, unpackCube, type PackedCube } from '../segments/packed-cube';

/**
 * What an investigation computes on: the two sides' rows summed into one cube (a leaf per
 * combination of the dimensions' values: num = the metric's sum, den = the row count), read in
 * one pass. Every step of the drill-down is arithmetic on these leaves.
 */
export interface InvestigationCube {
  input: InvestigationArtifact['input'];
  metric: string;
  /** The top dimension first, then the drill fields (the order of a leaf's values). */
  dimensions: string[];
  dimensionsInferred: boolean;
  /** False for analyze artifacts: they hold one dimension, so there is nothing to drill into. */
  drillable: boolean;
  /** The rows investigated (--where): its columns are not dimensions of the cube. */
  where: SegmentCondition[];
  leaves: Leaf[];
  warnings: string[];
}

/** The cube as the engine process sends it to the host (where the planner runs). */
export interface PackedInvestigationCube extends Omit<InvestigationCube, 'leaves'> {
  kind: 'investigation_cube';
  cube: PackedCube;
}

export function packInvestigationCube(c: InvestigationCube): PackedInvestigationCube {
  const { leaves, ...rest } = c;
  return { kind: 'investigation_cube', ...rest, cube: packCube('sum', c.dimensions, leaves) };
}

export function unpackInvestigationCube(p: PackedInvestigationCube): InvestigationCube {
  const { kind: _kind, cube, ...rest } = p;
  return { ...rest, leaves: unpackCube(cube).leaves };
}

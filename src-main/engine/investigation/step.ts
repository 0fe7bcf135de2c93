import type { InvestigationMode } from '../../../src-shared/analysis-options';
import type { Concentration, InvestigationStep, Mover } from '../../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';
import type { Leaf } from '../segments/cube';

/**
 * One step of an investigation, computed from the cube's leaves: the scope's rows split by one
 * dimension, each value a mover with its records and metric on both sides. A leaf's den is its
 * row count and its num the metric's sum, so every number here is a sum of leaves.
 */
export interface CubeLeaves {
  /** The cube's dimensions, in the order of a leaf's values. */
  dimensions: readonly string[];
  leaves: readonly Leaf[];
}

export interface StepContext {
  mode: InvestigationMode;
  /** The whole table's change of the metric (the scale of the change modes' score). */
  wholeDelta: number;
  /** How many movers the step keeps: max(top_movers, max_branches). */
  keep: number;
  depth: number;
  parent: string | null;
  scoreImprovement: number | null;
  chosenBy: InvestigationStep['chosen_by'];
}

/** "d1:channel:region=US", the step's node id; the whole table's scope reads "all". */
export function stepId(depth: number, dimension: string, scope: readonly SegmentCondition[]): string {
  const where = scope.length === 0 ? 'all' : scope.map((c) => `${c.dimension}=${c.value}`).join('&');
  return `d${depth}:${dimension}:${where}`;
}

/** The leaves inside a scope (every condition met). */
export function leavesIn(cube: CubeLeaves, scope: readonly SegmentCondition[]): Leaf[] {
  const at = scope.map((c) => ({ d: dimensionIndex(cube, c.dimension), value: c.value }));
  return cube.leaves.filter((leaf) => at.every(({ d, value }) => leaf.values[d] === value));
}

export function dimensionIndex(cube: CubeLeaves, dimension: string): number {
  const d = cube.dimensions.indexOf(dimension);
  if (d < 0) throw new Error(`'${dimension}' is not a dimension of the cube`);
  return d;
}

interface Totals {
  base_records: number;
  new_records: number;
  base_metric: number;
  new_metric: number;
}

function totalsOf(leaves: readonly Leaf[]): Totals {
  const t = { base_records: 0, new_records: 0, base_metric: 0, new_metric: 0 };
  for (const l of leaves) {
    t.base_records += l.den0;
    t.new_records += l.den1;
    t.base_metric += l.num0;
    t.new_metric += l.num1;
  }
  return t;
}

/** The whole table's records and metric on both sides. */
export function wholeTotals(cube: CubeLeaves): Totals & { delta_metric: number; delta_pct: number | null } {
  const t = totalsOf(cube.leaves);
  const delta = t.new_metric - t.base_metric;
  return { ...t, delta_metric: delta, delta_pct: t.base_metric === 0 ? null : (delta / Math.abs(t.base_metric)) * 100 };
}

const pct = (part: number, whole: number): number => (whole === 0 ? 0 : (part / whole) * 100);

/** By score, largest first; equal scores by the value's name. */
export const byScore = (a: Mover, b: Mover): number => b.score - a.score || (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0);

/** Every value of `dimension` within the scope, as a mover, ranked by the mode's score (all of them, not cut). */
export function allMovers(
  cube: CubeLeaves,
  scope: readonly SegmentCondition[],
  dimension: string,
  mode: InvestigationMode,
  wholeDelta: number,
): Mover[] {
  const inScope = leavesIn(cube, scope);
  const scopeTotals = totalsOf(inScope);
  const d = dimensionIndex(cube, dimension);
  const groups = new Map<string, Leaf[]>();
  for (const leaf of inScope) {
    const v = leaf.values[d]!;
    const g = groups.get(v);
    if (g) g.push(leaf);
    else groups.set(v, [leaf]);
  }
  const movers: Mover[] = [];
  for (const [segment, leaves] of groups) {
    const t = totalsOf(leaves);
    const baseShare = pct(t.base_records, scopeTotals.base_records);
    const newShare = pct(t.new_records, scopeTotals.new_records);
    const delta = t.new_metric - t.base_metric;
    const ofWhole = wholeDelta === 0 ? null : (delta / wholeDelta) * 100;
    const deltaShare = newShare - baseShare;
    movers.push({
      segment,
      ...t,
      base_share_pct: baseShare,
      new_share_pct: newShare,
      delta_share_pp: deltaShare,
      delta_metric: delta,
      delta_pct_of_total: ofWhole,
      score: mode === 'concentration_drivers' ? Math.abs(deltaShare) : Math.abs(ofWhole ?? 0),
    });
  }
  return movers.sort(byScore);
}

/** The share of a side's records held by its `n` largest segments (by that side's records). */
function topShare(movers: readonly Mover[], side: 'base' | 'new', n: number): number {
  const key = side === 'base' ? 'base_share_pct' : 'new_share_pct';
  return [...movers]
    .map((m) => m[key])
    .sort((a, b) => b - a)
    .slice(0, n)
    .reduce((s, x) => s + x, 0);
}

export function concentrationOf(movers: readonly Mover[]): Concentration {
  const of = (n: number) => {
    const base = topShare(movers, 'base', n);
    const current = topShare(movers, 'new', n);
    return { base, new: current, delta_pp: current - base };
  };
  return { segments: movers.length, top1_share_pct: of(1), top5_share_pct: of(5) };
}

/** A difference of sums that is only the float rounding of adding them in another order reads 0. */
const noiseless = (x: number, scale: number): number => (x <= 1e-9 * Math.max(1, scale) ? 0 : x);

/** The step: the scope split by the dimension, its largest movers kept. */
export function stepOf(cube: CubeLeaves, scope: readonly SegmentCondition[], dimension: string, ctx: StepContext): InvestigationStep {
  const all = allMovers(cube, scope, dimension, ctx.mode, ctx.wholeDelta);
  const t = totalsOf(leavesIn(cube, scope));
  const movers = all.slice(0, ctx.keep);
  const delta = t.new_metric - t.base_metric;
  const reported = movers.reduce((s, m) => s + m.delta_metric, 0);
  return {
    id: stepId(ctx.depth, dimension, scope),
    depth: ctx.depth,
    dimension,
    scope: scope.map((c) => ({ ...c })),
    parent: ctx.parent,
    ...t,
    delta_metric: delta,
    movers,
    concentration: concentrationOf(all),
    residual_abs: noiseless(Math.abs(delta - reported), Math.abs(delta)),
    score_improvement: ctx.scoreImprovement,
    chosen_by: ctx.chosenBy,
  };
}

import type { InvestigationMode } from '../../../src-shared/analysis-options';
import type { InvestigationStep, Mover } from '../../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';
import { formatNumber } from '../../../src-shared/format';
import { dimensionIndex, leavesIn, stepOf, type CubeLeaves, type StepContext } from './step';

/**
 * The deterministic rule of a drill-down: which movers of a step are branches worth following,
 * which dimension splits a branch best, and when a split found nothing worth reporting. Every
 * threshold is on the scale of the score it tests (share points, or percent of the whole change).
 */
export interface Thresholds {
  mode: InvestigationMode;
  maxBranches: number;
  minContribution: number;
  minDeltaAbs: number;
  minScoreImprovement: number;
  minSliceRows: number;
}

const BLANK_VALUES = new Set(['', '(blank)', 'unknown', '(unknown)', 'null', 'none', 'n/a', 'na']);

export const isBlankValue = (value: string): boolean => BLANK_VALUES.has(value.trim().toLowerCase());

export const scoreText = (score: number, mode: InvestigationMode): string =>
  mode === 'concentration_drivers' ? `${formatNumber(score)} share points` : `${formatNumber(score)}% of the whole change`;

/** Why a mover is no branch (null: it is one). */
export function branchProblem(m: Mover, t: Thresholds): string | null {
  if (isBlankValue(m.segment)) return `'${m.segment}' is blank or unknown`;
  const rows = Math.max(m.base_records, m.new_records);
  if (rows < t.minSliceRows) return `'${m.segment}' holds ${rows} rows, fewer than min_slice_rows ${t.minSliceRows}`;
  if (m.score < t.minContribution)
    return `'${m.segment}' scores ${scoreText(m.score, t.mode)}, below min_contribution ${formatNumber(t.minContribution)}`;
  if (t.mode !== 'concentration_drivers' && Math.abs(m.delta_metric) < t.minDeltaAbs)
    return `'${m.segment}' moved the metric by ${formatNumber(m.delta_metric)}, less than min_delta_abs ${formatNumber(t.minDeltaAbs)}`;
  return null;
}

/** The movers a step branches into (at most maxBranches, in rank order), and those passed over before the last of them. */
export function branchesOf(step: InvestigationStep, t: Thresholds): { branches: Mover[]; skipped: { mover: Mover; reason: string }[] } {
  const branches: Mover[] = [];
  const skipped: { mover: Mover; reason: string }[] = [];
  for (const m of step.movers) {
    if (branches.length === t.maxBranches) break;
    const problem = branchProblem(m, t);
    if (problem) skipped.push({ mover: m, reason: problem });
    else branches.push(m);
  }
  return { branches, skipped };
}

/** A branch's scope: the step's scope and its segment. */
export const branchScope = (step: InvestigationStep, m: Mover): SegmentCondition[] => [
  ...step.scope,
  { dimension: step.dimension, value: m.segment },
];

/** The dimensions of `order` not on the path to a scope that still split it (two or more values inside). */
export function splittingDimensions(cube: CubeLeaves, scope: readonly SegmentCondition[], order: readonly string[]): string[] {
  const used = new Set(scope.map((c) => c.dimension));
  const inside = leavesIn(cube, scope);
  return order.filter((dim) => {
    if (used.has(dim)) return false;
    const d = dimensionIndex(cube, dim);
    const first = inside[0]?.values[d];
    return inside.some((l) => l.values[d] !== first);
  });
}

export interface Drill {
  child: InvestigationStep;
  /** The child's top score minus the branch mover's score. */
  gain: number;
}

/** Of two drills, the better: larger gain, then larger |change| of the child's top mover, larger score, then the dimension's name. */
function better(a: Drill, b: Drill): boolean {
  const ta = a.child.movers[0]!;
  const tb = b.child.movers[0]!;
  if (a.gain !== b.gain) return a.gain > b.gain;
  if (Math.abs(ta.delta_metric) !== Math.abs(tb.delta_metric)) return Math.abs(ta.delta_metric) > Math.abs(tb.delta_metric);
  if (ta.score !== tb.score) return ta.score > tb.score;
  return a.child.dimension < b.child.dimension;
}

/** Every splitting dimension tried within the branch; the best drill kept (null when none splits it). */
export function bestDrill(
  cube: CubeLeaves,
  parent: InvestigationStep,
  m: Mover,
  dimensions: readonly string[],
  ctx: Omit<StepContext, 'depth' | 'parent' | 'scoreImprovement'>,
): Drill | null {
  const scope = branchScope(parent, m);
  let best: Drill | null = null;
  for (const dim of splittingDimensions(cube, scope, dimensions)) {
    const child = stepOf(cube, scope, dim, { ...ctx, depth: parent.depth + 1, parent: parent.id, scoreImprovement: null });
    const gain = child.movers[0]!.score - m.score;
    const drill = { child: { ...child, score_improvement: gain }, gain };
    if (!best || better(drill, best)) best = drill;
  }
  return best;
}

/**
 * Why a drill's child is not kept (null: kept): its top mover is no finding by the branch
 * thresholds, or it does not beat the parent's score by min_score_improvement. A gain is asked
 * only when min_score_improvement is above 0: in the change modes a child's score is on the whole
 * change's scale, so it reaches its parent's only when the parent's change sits in one child.
 */
export function childProblem(d: Drill, t: Thresholds): string | null {
  const top = d.child.movers[0]!;
  if (t.mode !== 'concentration_drivers' && Math.abs(top.delta_metric) < t.minDeltaAbs)
    return `its top mover '${top.segment}' moved the metric by ${formatNumber(top.delta_metric)}, less than min_delta_abs ${formatNumber(t.minDeltaAbs)}`;
  if (top.score < t.minContribution)
    return `its top mover '${top.segment}' scores ${scoreText(top.score, t.mode)}, below min_contribution ${formatNumber(t.minContribution)}`;
  if (t.minScoreImprovement > 0 && d.gain < t.minScoreImprovement)
    return `its top mover '${top.segment}' improves on the parent's score by ${formatNumber(d.gain)}, less than min_score_improvement ${formatNumber(t.minScoreImprovement)}`;
  return null;
}

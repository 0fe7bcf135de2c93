import type { InvestigationStep } from '../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../src-shared/artifacts/segments';

/**
 * How a running investigation says where it is: one line per step ("Step 3: plan_tier within
 * region = APAC") and a fraction that rises with each step, against the steps it could take at
 * most. The deterministic rule drills every step into max_branches segments until max_depth (or
 * until the dimensions run out); a model follows one path. A run that stops early (a threshold not
 * met) jumps from where it is to done.
 */

/** The engine's part (one pass summing the rows) comes before the first step. */
const ROWS_SUMMED = 0.1;
/** The last step leaves a little for the summary and the report. */
const LAST_STEP = 0.95;

/** The most steps a run can take: 1 + b + b² + … over the levels it can reach (one per level for a model). */
export function expectedSteps(maxDepth: number, maxBranches: number, dimensions: number, singlePath: boolean): number {
  const levels = Math.max(1, Math.min(maxDepth, dimensions));
  if (singlePath) return levels;
  let steps = 0;
  for (let level = 0; level < levels; level++) steps += maxBranches ** level;
  return steps;
}

/** "Step 3: plan_tier within region = APAC"; the top step of a --where run is within its rows. */
export function stepLabel(
  number: number,
  step: Pick<InvestigationStep, 'dimension' | 'scope'>,
  where: readonly SegmentCondition[],
): string {
  const within = [...where, ...step.scope].map((c) => `${c.dimension} = ${c.value}`).join(', ');
  return `Step ${number}: ${step.dimension} ${within ? `within ${within}` : 'across the whole table'}`;
}

/** The fraction done once `taken` steps of at most `expected` are. */
export function stepFraction(taken: number, expected: number): number {
  return ROWS_SUMMED + (LAST_STEP - ROWS_SUMMED) * Math.min(1, taken / Math.max(1, expected));
}

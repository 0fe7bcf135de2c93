import type { InvestigationMode } from '../../../src-shared/analysis-options';
import type { InvestigationStep } from '../../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';

/**
 * The planner of a guided investigation: what to look at next. The deterministic planner is a
 * rule on the steps so far; the model planner (src-main/explain) asks a language model for one
 * action and checks it against the same state, falling back to the rule's action when the model's
 * is not valid. Both see the same state and answer the same actions.
 */
export type PlannerAction =
  /** The first step: the whole table by one dimension. */
  | { action: 'analyze_compare'; reason: string; groupBy: string }
  /** Split a segment of an earlier step (its scope plus one more condition) by another dimension. */
  | { action: 'drill_down'; reason: string; groupBy: string; filters: SegmentCondition[] }
  | { action: 'stop'; reason: string };

export interface PlannerState {
  question: string;
  mode: InvestigationMode;
  metric: string;
  /** The top dimension first, then the drill fields. */
  dimensions: string[];
  /** Dimensions not yet used on the path being extended. */
  availableDimensions: string[];
  steps: InvestigationStep[];
  depth: number;
  maxDepth: number;
  constraints: {
    maxBranches: number;
    minContribution: number;
    minContributionUnit: 'share_pp' | 'pct_of_total_change';
    minDeltaAbs: number;
    minScoreImprovement: number;
    minSliceRows: number;
  };
}

export interface PlannerDecision {
  action: PlannerAction;
  chosenBy: 'deterministic' | 'llm' | 'fallback';
  /** Why the model's action was replaced, for the trace. */
  note?: string;
}

/** A planner proposes the next action; `rule` is the deterministic action for the same state (the fallback). */
export interface Planner {
  readonly kind: 'deterministic' | 'llm';
  next(state: PlannerState, rule: PlannerAction): Promise<PlannerDecision>;
  /** Two to four lines summarising the finished investigation, or null to use the deterministic summary. */
  summarize?(artifactWithoutSummary: unknown): Promise<{ text: string[] } | { rejected: string } | null>;
}

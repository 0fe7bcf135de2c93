import type { InvestigationMode } from '../analysis-options';
import type { Windows } from '../periods';
import type { SegmentCondition } from './segments';

/**
 * `factorlens investigate`: the guided drill-down (the original's `investigate`, SPEC 9), computed
 * on one segment cube of the two sides. Every step is one dimension within a scope (the segment the
 * path has reached), its movers ranked by the mode's score.
 */
export const INVESTIGATION_SCHEMA = 'factorlens.investigation/1';

/** One value of the step's dimension within its scope, on both sides. */
export interface Mover {
  /** The dimension's value, as the cells wrote it. */
  segment: string;
  base_records: number;
  new_records: number;
  /** Percent of the scope's records on each side, and the move in share points. */
  base_share_pct: number;
  new_share_pct: number;
  delta_share_pp: number;
  base_metric: number;
  new_metric: number;
  delta_metric: number;
  /** delta_metric as percent of the whole table's change of the metric (null when the whole did not change). */
  delta_pct_of_total: number | null;
  /** What the mode ranks by: |delta_share_pp| (concentration), else |delta_pct_of_total| (percent of the whole change). */
  score: number;
}

/** How concentrated the scope's records are in its segments. */
export interface Concentration {
  segments: number;
  top1_share_pct: { base: number; new: number; delta_pp: number };
  top5_share_pct: { base: number; new: number; delta_pp: number };
}

export interface InvestigationStep {
  /** "d<depth>:<dimension>:<scope>", the node id in the branch graph. */
  id: string;
  depth: number;
  dimension: string;
  /** The path from the whole table ([] at depth 0). */
  scope: SegmentCondition[];
  /** The step this one drills from (null at depth 0). */
  parent: string | null;
  /** The scope's totals. */
  base_records: number;
  new_records: number;
  base_metric: number;
  new_metric: number;
  delta_metric: number;
  /** The largest movers (at least max_branches), by score then name. */
  movers: Mover[];
  concentration: Concentration;
  /** |scope's change − the reported movers' changes|: what the listed movers leave out. */
  residual_abs: number;
  /** The child's top score minus the parent mover's score (null at depth 0). */
  score_improvement: number | null;
  /** Who chose this step: the deterministic rule, the model, or the rule standing in for an invalid model action. */
  chosen_by: 'deterministic' | 'llm' | 'fallback';
}

export interface TraceEntry {
  depth: number;
  /** "analyze_compare", "drill_down", "stop", "skip", "fallback". */
  action: string;
  /** Why, in words (a threshold not met, the dimension with the best gain, the model's reason, why the model's action was refused). */
  reason: string;
  step: string | null;
}

export interface InvestigationArtifact {
  schema: typeof INVESTIGATION_SCHEMA;
  kind: 'investigation';
  question: string;
  mode: InvestigationMode;
  /** How the mode was chosen: given, or routed from the question's words. */
  mode_source: 'option' | 'question';
  planner: 'deterministic' | 'llm';
  planner_backend: 'local' | 'bedrock' | null;
  planner_model: string | null;
  input: {
    kind: 'datasets_csv' | 'artifacts_json' | 'postgres_query' | 'table_periods';
    base: string;
    new: string;
    date_column: string | null;
    windows: Windows | null;
  };
  metric: string;
  /** The rows investigated (--where; empty: the whole table). Steps' scopes are within it. */
  where: SegmentCondition[];
  top_dimension: string;
  drill_fields: string[];
  dimensions_inferred: boolean;
  /** The settings the run used (after config and defaults), for the report. */
  config: {
    max_depth: number;
    max_branches: number;
    min_contribution: number;
    min_contribution_unit: 'share_pp' | 'pct_of_total_change';
    min_delta_abs: number;
    min_score_improvement: number;
    min_slice_rows: number;
    top_movers: number;
  };
  /** The whole table. */
  totals: { base_records: number; new_records: number; base_metric: number; new_metric: number; delta_metric: number; delta_pct: number | null };
  steps: InvestigationStep[];
  /** The top mover of each dimension over the whole table, by score (at most clamp(#dimensions, 3, 10)). */
  major_global_changes: { dimension: string; mover: Mover }[];
  coverage: {
    /** The top-level step's movers' changes over the whole change (percent; null when the whole did not change). */
    top_level_reported_pct: number | null;
    strongest_segment: { dimension: string; segment: string; share_of_abs_change_pct: number } | null;
    steps: { id: string; reported_abs: number; residual_abs: number }[];
  };
  branch_graph: {
    nodes: { id: string; dimension: string; scope: SegmentCondition[]; depth: number; top_segment: string | null; top_score: number | null }[];
    edges: { from: string; to: string; via: SegmentCondition; score_improvement: number }[];
  };
  trace: TraceEntry[];
  stopping_reason: string;
  recommended_next_question: string;
  /** The same question as an investigation to start: its rows (where) and its dimensions, the top one first. */
  recommended_next: { question: string; where: SegmentCondition[]; dimensions: string[] };
  /** Two to four lines; from the model (every number checked against the steps) or built from the steps. */
  final_summary: { text: string[]; source: 'llm' | 'deterministic'; replaced_reason: string | null } | null;
  warnings: string[];
}

import type { PlannerState } from '../engine/investigation/planner';
import type { InvestigationStep, Mover } from '../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../src-shared/artifacts/segments';

/**
 * What the model planner is told at each step (SPEC 9's payload): the question, the dimensions
 * it may use, the steps so far with their top mover, the last step's movers, the limits and
 * thresholds, and the metric. The numbers come from the steps; the model only picks the next one.
 */
export const PLANNER_SYSTEM = [
  'You plan a drill-down investigation of why a metric changed between two snapshots.',
  'Each step splits a scope (the whole table, or a segment found earlier) by one dimension and ranks the segments that moved.',
  'Reply with exactly one JSON object and nothing else:',
  '{"action": "analyze_compare" | "drill_down" | "stop", "reason": "<one sentence>", "params": {"group_by": ["<dimension>"], "filters": {"<dimension>": "<segment>"}}}',
  'Rules: the first action is analyze_compare with one dimension and no filters.',
  'drill_down opens one segment listed among the movers of an earlier step: filters are that step\'s filters plus {"<its dimension>": "<the segment>"}; group_by is one dimension from available_dimensions not in the filters.',
  'stop when no segment moves enough to explain more (see constraints) or max_depth is reached.',
  'Use only dimension names from available_dimensions and segment names exactly as listed. Do not compute numbers.',
].join('\n');

const r2 = (v: number | null) => (v === null ? null : Number(v.toFixed(2)));
const filtersOf = (scope: SegmentCondition[]) => Object.fromEntries(scope.map((c) => [c.dimension, c.value]));

function moverView(m: Mover) {
  return {
    segment: m.segment,
    records: [m.base_records, m.new_records],
    delta_share_pp: r2(m.delta_share_pp),
    delta_metric: r2(m.delta_metric),
    pct_of_total_change: r2(m.delta_pct_of_total),
    score: r2(m.score),
  };
}

function historyView(s: InvestigationStep) {
  const top = s.movers[0];
  return {
    step: s.id,
    group_by: s.dimension,
    filters: filtersOf(s.scope),
    top_mover: top ? { segment: top.segment, score: r2(top.score), delta_metric: r2(top.delta_metric) } : null,
  };
}

/** How much of the state the payload carries: fewer movers and less history when the model's context is small. */
export interface PayloadDetail {
  movers: number;
  history: number;
}

export const PAYLOAD_DETAILS: PayloadDetail[] = [
  { movers: 8, history: 12 },
  { movers: 5, history: 6 },
  { movers: 3, history: 2 },
  { movers: 2, history: 0 },
];

export function plannerPayload(state: PlannerState, detail: PayloadDetail = PAYLOAD_DETAILS[0]!): string {
  const last = state.steps.at(-1) ?? null;
  const c = state.constraints;
  const payload = {
    question: state.question,
    mode: state.mode,
    required_metric: state.metric,
    available_dimensions: state.availableDimensions.length > 0 ? state.availableDimensions : state.dimensions,
    all_dimensions: state.dimensions,
    history: (detail.history === 0 ? [] : state.steps.slice(-detail.history)).map(historyView),
    last_result: last
      ? {
          step: last.id,
          group_by: last.dimension,
          filters: filtersOf(last.scope),
          delta_metric: r2(last.delta_metric),
          movers: last.movers.slice(0, detail.movers).map(moverView),
        }
      : null,
    constraints: {
      depth: state.depth,
      max_depth: state.maxDepth,
      remaining_depth: Math.max(0, state.maxDepth - state.depth),
      max_branches: c.maxBranches,
      min_contribution: c.minContribution,
      min_contribution_unit: c.minContributionUnit === 'share_pp' ? 'share points (score)' : 'percent of the total change (score)',
      min_delta_abs: c.minDeltaAbs,
      min_score_improvement: c.minScoreImprovement,
      min_slice_rows: c.minSliceRows,
    },
  };
  return `${JSON.stringify(payload)}\nReply with one JSON action.`;
}

import type { PlannerAction, PlannerState } from '../../src-main/engine/investigation/planner';
import type { InvestigationStep, Mover } from '../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../src-shared/artifacts/segments';
import type { ChatBackend, ChatRequest, ChatResult } from '../../src-main/explain/chat';
import type { InvestigationForSummary } from '../../src-main/explain/investigation-summary';

/**
 * Hand-built investigation states for the model planner's tests: a revenue change of +1,000
 * (10,000 → 11,000) split by region, then West by channel.
 */
const TOTAL_CHANGE = 1000;

function mover(
  segment: string,
  base: [records: number, metric: number],
  now: [records: number, metric: number],
  scope: [records: number, records: number],
): Mover {
  const baseShare = (100 * base[0]) / scope[0];
  const newShare = (100 * now[0]) / scope[1];
  const delta = now[1] - base[1];
  return {
    segment,
    base_records: base[0],
    new_records: now[0],
    base_share_pct: baseShare,
    new_share_pct: newShare,
    delta_share_pp: newShare - baseShare,
    base_metric: base[1],
    new_metric: now[1],
    delta_metric: delta,
    delta_pct_of_total: (100 * delta) / TOTAL_CHANGE,
    score: Math.abs((100 * delta) / TOTAL_CHANGE),
  };
}

function step(id: string, dimension: string, scope: SegmentCondition[], parent: string | null, movers: Mover[]): InvestigationStep {
  const sum = (f: (m: Mover) => number) => movers.reduce((s, m) => s + f(m), 0);
  return {
    id,
    depth: scope.length,
    dimension,
    scope,
    parent,
    base_records: sum((m) => m.base_records),
    new_records: sum((m) => m.new_records),
    base_metric: sum((m) => m.base_metric),
    new_metric: sum((m) => m.new_metric),
    delta_metric: sum((m) => m.delta_metric),
    movers,
    concentration: {
      segments: movers.length,
      top1_share_pct: { base: 50, new: 55, delta_pp: 5 },
      top5_share_pct: { base: 100, new: 100, delta_pp: 0 },
    },
    residual_abs: 0,
    score_improvement: parent ? 10 : null,
    chosen_by: 'llm',
  };
}

/** Depth 0: the whole table by region. West +600 (60 % of the change), East +300, North +100 on 3 rows. */
export const byRegion = step('d0:region:all', 'region', [], null, [
  mover('West', [100, 5000], [120, 5600], [183, 223]),
  mover('East', [80, 4000], [100, 4300], [183, 223]),
  mover('North', [3, 1000], [3, 1100], [183, 223]),
]);

/** Depth 1: West by channel. Online +500, Retail +100. */
export const westByChannel = step('d1:channel:region=West', 'channel', [{ dimension: 'region', value: 'West' }], 'd0:region:all', [
  mover('Online', [40, 2000], [70, 2500], [100, 120]),
  mover('Retail', [60, 3000], [50, 3100], [100, 120]),
]);

export const DIMENSIONS = ['region', 'channel', 'product_line', 'plan_tier'];

export function plannerState(steps: InvestigationStep[], over: Partial<PlannerState> = {}): PlannerState {
  const used = new Set(steps.flatMap((s) => [s.dimension, ...s.scope.map((c) => c.dimension)]));
  return {
    question: 'Why did revenue rise?',
    mode: 'change_drivers',
    metric: 'revenue',
    dimensions: DIMENSIONS,
    availableDimensions: DIMENSIONS.filter((d) => !used.has(d)),
    steps,
    depth: steps.length === 0 ? 0 : Math.max(...steps.map((s) => s.depth)) + 1,
    maxDepth: 3,
    constraints: {
      maxBranches: 3,
      minContribution: 5,
      minContributionUnit: 'pct_of_total_change',
      minDeltaAbs: 0,
      minScoreImprovement: 0,
      minSliceRows: 5,
    },
    ...over,
  };
}

export const RULE_FIRST: PlannerAction = { action: 'analyze_compare', reason: 'the top dimension over the whole table', groupBy: 'region' };
export const RULE_DRILL: PlannerAction = {
  action: 'drill_down',
  reason: 'West moves 60% of the change; channel gains the most',
  groupBy: 'channel',
  filters: [{ dimension: 'region', value: 'West' }],
};
export const RULE_STOP: PlannerAction = { action: 'stop', reason: 'no branch passes the thresholds' };

/** The artifact without its summary, as the engine hands it to summarize(). */
export function investigationArtifact(steps: InvestigationStep[] = [byRegion, westByChannel]): InvestigationForSummary {
  return {
    schema: 'factorlens.investigation/1',
    kind: 'investigation',
    question: 'Why did revenue rise?',
    mode: 'change_drivers',
    mode_source: 'question',
    planner: 'llm',
    planner_backend: 'local',
    planner_model: 'tiny.gguf',
    input: { kind: 'datasets_csv', base: 'base.csv', new: 'new.csv', date_column: null, windows: null },
    metric: 'revenue',
    where: [],
    top_dimension: 'region',
    drill_fields: ['channel', 'product_line', 'plan_tier'],
    dimensions_inferred: false,
    config: {
      max_depth: 3,
      max_branches: 3,
      min_contribution: 5,
      min_contribution_unit: 'pct_of_total_change',
      min_delta_abs: 0,
      min_score_improvement: 0,
      min_slice_rows: 5,
      top_movers: 12,
    },
    totals: { base_records: 183, new_records: 223, base_metric: 10000, new_metric: 11000, delta_metric: 1000, delta_pct: 10 },
    steps,
    major_global_changes: [],
    coverage: {
      top_level_reported_pct: 100,
      strongest_segment: { dimension: 'region', segment: 'West', share_of_abs_change_pct: 60 },
      steps: [],
    },
    branch_graph: { nodes: [], edges: [] },
    trace: [],
    stopping_reason: 'max depth reached',
    recommended_next_question: 'Why did Online revenue rise in West?',
    recommended_next: {
      question: 'Why did Online revenue rise in West?',
      where: [{ dimension: 'region', value: 'West' }],
      dimensions: ['channel'],
    },
    warnings: [],
  };
}

/** A model that answers from a script (the replies in order) and keeps every request. */
export function scriptedChat(replies: (string | Partial<ChatResult> | Error)[]): ChatBackend & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = [];
  return {
    label: 'scripted',
    requests,
    promptBudget: async () => 24_000,
    async chat(request) {
      requests.push(request);
      const next = replies.shift();
      if (next === undefined) throw new Error('the script has no more replies');
      if (next instanceof Error) throw next;
      return typeof next === 'string'
        ? { text: next, stopped: false, truncated: false }
        : { text: '', stopped: false, truncated: false, ...next };
    },
    close: async () => {},
  };
}

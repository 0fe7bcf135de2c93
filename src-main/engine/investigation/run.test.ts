import { describe, expect, it } from 'vitest';
import { InvestigationOptionsSchema, type InvestigationOptions } from '../../../src-shared/analysis-options';
import { AppError } from '../../../src-shared/errors';
import { branchProblem } from './drill';
import type { InvestigationCube } from './investigation-cube';
import type { Planner, PlannerAction, PlannerState } from './planner';
import { checkBranchLimit, deterministicPlanner, runInvestigation } from './run';

/** The hand-summed table of step.test.ts: US +200 (Web +200, Store 0), EU -100 (Web -100, Store 0); whole +100. */
const tiny: InvestigationCube = {
  input: { kind: 'datasets_csv', base: 'a.csv', new: 'b.csv', date_column: null, windows: null },
  metric: 'revenue',
  dimensions: ['region', 'channel'],
  dimensionsInferred: false,
  drillable: true,
  where: [],
  leaves: [
    { values: ['US', 'Web'], num0: 100, den0: 10, num1: 300, den1: 20 },
    { values: ['US', 'Store'], num0: 100, den0: 10, num1: 100, den1: 10 },
    { values: ['EU', 'Web'], num0: 200, den0: 10, num1: 100, den1: 5 },
    { values: ['EU', 'Store'], num0: 100, den0: 10, num1: 100, den1: 5 },
  ],
  warnings: [],
};
const options = (over: Partial<InvestigationOptions> = {}) =>
  InvestigationOptionsSchema.parse({ question: 'Why did revenue change?', metric: 'revenue', ...over });
const ids = (a: { steps: { id: string }[] }) => a.steps.map((s) => s.id);

describe('the deterministic drill-down and why it stops', () => {
  it('max depth: both regions pass the thresholds and are split by channel, then the depth limit ends it', async () => {
    const a = await runInvestigation(tiny, options(), deterministicPlanner);
    expect(ids(a)).toEqual(['d0:region:all', 'd1:channel:region=US', 'd1:channel:region=EU']);
    expect(a.stopping_reason).toBe('the maximum depth (2) was reached');
    // US's top child (Web +200) scores 200% of the whole change, as US did: gain 0.
    expect(a.steps[1]!.score_improvement).toBe(0);
    expect(a.branch_graph.edges).toEqual([
      { from: 'd0:region:all', to: 'd1:channel:region=US', via: { dimension: 'region', value: 'US' }, score_improvement: 0 },
      { from: 'd0:region:all', to: 'd1:channel:region=EU', via: { dimension: 'region', value: 'EU' }, score_improvement: 0 },
    ]);
    expect(a.config.min_contribution_unit).toBe('pct_of_total_change');
    expect(a.mode).toBe('change_drivers');
    expect(a.mode_source).toBe('question');
    expect(a.coverage.top_level_reported_pct).toBe(100);
    expect(a.coverage.strongest_segment).toEqual({ dimension: 'region', segment: 'US', share_of_abs_change_pct: 200 });
    expect(a.recommended_next_question).toBe(
      'What else changed in region = US, channel = Web (revenue +200.00, 200.00% of the whole change): more orders, higher prices, or new accounts?',
    );
    expect(a.final_summary).toEqual({
      text: [
        'revenue went from 500.00 to 600.00 (+100.00, +20.00%); records 40 to 40.',
        'The largest mover by region is region = US: +200.00, 200.00% of the whole change.',
        'Within region = US, the largest mover is channel = Web: +200.00, 200.00% of the whole change.',
        'It stopped because the maximum depth (2) was reached.',
      ],
      source: 'deterministic',
      replaced_reason: null,
    });
  });

  it('no remaining dimension: at depth 2 the channel branches have no dimension left', async () => {
    const a = await runInvestigation(tiny, options({ maxDepth: 3 }), deterministicPlanner);
    expect(ids(a)).toEqual(['d0:region:all', 'd1:channel:region=US', 'd1:channel:region=EU']);
    expect(a.stopping_reason).toBe('no dimension is left to drill into');
    // Store (no change) is passed over by the contribution threshold, Web has nothing left to split by.
    expect(a.trace.filter((t) => t.depth === 2).map((t) => t.action)).toEqual(['skip', 'stop', 'skip', 'stop']);
  });

  it('thresholds: with min_contribution 250 (percent of the whole change) no region is a branch', async () => {
    const a = await runInvestigation(tiny, options({ minContribution: 250 }), deterministicPlanner);
    expect(ids(a)).toEqual(['d0:region:all']);
    expect(a.stopping_reason).toBe('no further segment passed the thresholds');
    expect(a.trace.at(-1)!.reason).toBe(
      "no segment of region in the whole table passed the thresholds ('US' scores 200.00% of the whole change, below min_contribution 250.00)",
    );
  });

  it('thresholds: min_slice_rows and min_delta_abs pass over EU; a gain asked for refuses the US child', async () => {
    const rows = await runInvestigation(tiny, options({ minSliceRows: 25 }), deterministicPlanner);
    expect(ids(rows)).toEqual(['d0:region:all', 'd1:channel:region=US']);
    expect(rows.trace.find((t) => t.action === 'skip')!.reason).toContain("'EU' holds 20 rows, fewer than min_slice_rows 25");
    const delta = await runInvestigation(tiny, options({ minDeltaAbs: 150 }), deterministicPlanner);
    expect(ids(delta)).toEqual(['d0:region:all', 'd1:channel:region=US']);
    const gain = await runInvestigation(tiny, options({ minScoreImprovement: 1 }), deterministicPlanner);
    expect(ids(gain)).toEqual(['d0:region:all']);
    expect(gain.stopping_reason).toBe('no further segment passed the thresholds');
    expect(gain.trace.filter((t) => t.action === 'skip').map((t) => t.reason)).toEqual([
      "region = US by channel: its top mover 'Web' improves on the parent's score by 0.00, less than min_score_improvement 1.00",
      "region = EU by channel: its top mover 'Web' improves on the parent's score by 0.00, less than min_score_improvement 1.00",
    ]);
  });

  it('concentration mode: share points as the score and the threshold unit', async () => {
    const a = await runInvestigation(
      tiny,
      options({ question: 'Is revenue more concentrated?', minContribution: 20 }),
      deterministicPlanner,
    );
    expect(a.mode).toBe('concentration_drivers');
    expect(a.config.min_contribution_unit).toBe('share_pp');
    // EU and US both move 25 points (EU first by name); within each region channel moves 16.67 points, below 20.
    expect(ids(a)).toEqual(['d0:region:all']);
    expect(a.steps[0]!.movers.map((m) => [m.segment, m.score])).toEqual([
      ['EU', 25],
      ['US', 25],
    ]);
    expect(a.recommended_next_question).toBe('Which channel moved region = EU from 50.00% to 25.00% of the records?');
  });

  it('analyze artifacts hold one dimension: it stops with the reason', async () => {
    const json: InvestigationCube = {
      ...tiny,
      dimensions: ['region'],
      drillable: false,
      leaves: tiny.leaves.map((l) => ({ ...l, values: [l.values[0]!] })),
    };
    const a = await runInvestigation(json, options(), deterministicPlanner);
    expect(ids(a)).toEqual(['d0:region:all']);
    expect(a.stopping_reason).toBe('the inputs are analyze artifacts, which hold one dimension: there is nothing to drill into');
  });

  it('max_branches^(max_depth-1) above 256 is refused before any step', async () => {
    expect(() => checkBranchLimit({ maxBranches: 4, maxDepth: 5 })).not.toThrow();
    const err = await runInvestigation(tiny, options({ maxBranches: 5, maxDepth: 5 }), deterministicPlanner).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BAD_ARGUMENT');
    expect((err as AppError).message).toBe(
      'max_branches 5 at max_depth 5 could open 625 branches, more than the 256 an investigation follows',
    );
  });

  it('blank and unknown segments are never branches', () => {
    const t = {
      mode: 'change_drivers' as const,
      maxBranches: 3,
      minContribution: 0,
      minDeltaAbs: 0,
      minScoreImprovement: 0,
      minSliceRows: 1,
    };
    const m = {
      segment: '(blank)',
      base_records: 9,
      new_records: 9,
      base_share_pct: 0,
      new_share_pct: 0,
      delta_share_pp: 0,
      base_metric: 0,
      new_metric: 9,
      delta_metric: 9,
      delta_pct_of_total: 90,
      score: 90,
    };
    expect(branchProblem(m, t)).toBe("'(blank)' is blank or unknown");
    expect(branchProblem({ ...m, segment: 'Unknown' }, t)).toBe("'Unknown' is blank or unknown");
    expect(branchProblem({ ...m, segment: 'EU' }, t)).toBeNull();
  });
});

/** A planner that answers from a list, one action per call, recording what it was asked. */
function scripted(actions: (PlannerAction | 'rule')[], summary: Awaited<ReturnType<NonNullable<Planner['summarize']>>> = null) {
  const states: PlannerState[] = [];
  const planner: Planner = {
    kind: 'llm',
    next: async (state, rule) => {
      states.push(state);
      const a = actions.shift() ?? 'rule';
      return a === 'rule' ? { action: rule, chosenBy: 'fallback', note: 'the model gave no JSON' } : { action: a, chosenBy: 'llm' };
    },
    summarize: async () => summary,
  };
  return { planner, states };
}

describe('a model planner: one path, one action per depth, checked', () => {
  it("the model's valid actions are taken and marked llm; the state lists what is left", async () => {
    const { planner, states } = scripted([
      { action: 'analyze_compare', reason: 'start with regions', groupBy: 'region' },
      { action: 'drill_down', reason: 'EU fell', groupBy: 'channel', filters: [{ dimension: 'region', value: 'EU' }] },
    ]);
    const a = await runInvestigation(tiny, options({ planner: 'llm', plannerModel: 'm.gguf' }), planner);
    expect(ids(a)).toEqual(['d0:region:all', 'd1:channel:region=EU']);
    expect(a.steps.map((s) => s.chosen_by)).toEqual(['llm', 'llm']);
    expect(a.steps[1]!.parent).toBe('d0:region:all');
    expect(a.steps[1]!.score_improvement).toBe(0);
    expect(a.planner).toBe('llm');
    expect(a.planner_backend).toBe('local');
    expect(a.planner_model).toBe('m.gguf');
    expect(states.map((s) => [s.depth, s.availableDimensions])).toEqual([
      [0, ['region', 'channel']],
      [1, ['channel']],
    ]);
    expect(a.trace.map((t) => [t.action, t.reason])).toEqual([
      ['analyze_compare', 'start with regions'],
      ['drill_down', 'EU fell'],
    ]);
    expect(a.stopping_reason).toBe('the maximum depth (2) was reached');
  });

  it('an action that does not fit falls back to the rule, with the reason in the trace', async () => {
    const { planner } = scripted([
      { action: 'drill_down', reason: 'skip ahead', groupBy: 'channel', filters: [{ dimension: 'region', value: 'US' }] },
      { action: 'drill_down', reason: 'by colour', groupBy: 'colour', filters: [{ dimension: 'region', value: 'US' }] },
    ]);
    const a = await runInvestigation(tiny, options({ planner: 'llm' }), planner);
    expect(ids(a)).toEqual(['d0:region:all', 'd1:channel:region=US']);
    expect(a.steps.map((s) => s.chosen_by)).toEqual(['fallback', 'fallback']);
    expect(a.trace.filter((t) => t.action === 'fallback').map((t) => t.reason)).toEqual([
      "the planner's drill_down was refused (the first action must be analyze_compare); the rule's action was taken",
      "the planner's drill_down was refused ('colour' is not one of the dimensions (region, channel)); the rule's action was taken",
    ]);
  });

  it("the planner's own fallback note is traced; a model's stop ends the path with its reason", async () => {
    const { planner } = scripted(['rule', { action: 'stop', reason: 'regions explain it' }]);
    const a = await runInvestigation(tiny, options({ planner: 'llm', maxDepth: 3 }), planner);
    expect(ids(a)).toEqual(['d0:region:all']);
    expect(a.steps[0]!.chosen_by).toBe('fallback');
    expect(a.trace[0]).toEqual({ depth: 0, action: 'fallback', reason: 'the model gave no JSON', step: null });
    expect(a.stopping_reason).toBe('the model stopped: regions explain it');
  });

  it('the rule on a path drills its first branch by the best dimension, then finds nothing left', async () => {
    const { planner, states } = scripted(['rule', 'rule', 'rule']);
    const a = await runInvestigation(tiny, options({ planner: 'llm', maxDepth: 3 }), planner);
    expect(ids(a)).toEqual(['d0:region:all', 'd1:channel:region=US']);
    expect(states).toHaveLength(3);
    expect(a.stopping_reason).toBe("the rule (in the model's place) stopped: no dimension is left to drill into");
  });

  it("a model summary is kept; a rejected one is replaced by the steps' summary, with the reason", async () => {
    const kept = await runInvestigation(tiny, options({ planner: 'llm' }), scripted([], { text: ['Revenue rose by 100.'] }).planner);
    expect(kept.final_summary).toEqual({ text: ['Revenue rose by 100.'], source: 'llm', replaced_reason: null });
    const replaced = await runInvestigation(
      tiny,
      options({ planner: 'llm' }),
      scripted([], { rejected: 'the number 7 is in no step' }).planner,
    );
    expect(replaced.final_summary!.source).toBe('deterministic');
    expect(replaced.final_summary!.replaced_reason).toBe('the number 7 is in no step');
    expect(replaced.final_summary!.text[0]).toBe('revenue went from 500.00 to 600.00 (+100.00, +20.00%); records 40 to 40.');
  });
});

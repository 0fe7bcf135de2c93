import { describe, expect, it } from 'vitest';
import { InvestigationOptionsSchema } from '../../src-shared/analysis-options';
import type { InvestigationCube } from '../engine/investigation/investigation-cube';
import { runInvestigation } from '../engine/investigation/run';
import {
  byRegion,
  investigationArtifact,
  plannerState,
  RULE_DRILL,
  RULE_FIRST,
  RULE_STOP,
  scriptedChat,
  westByChannel,
} from '../../tests/llm/planner-fixtures';
import { ACTION_TOKENS, createModelPlanner, SUMMARY_TOKENS } from './investigation-planner';
import { checkSummary, investigationEvidence } from './investigation-summary';
import { jsonObjectsIn } from './planner-action';
import { PLANNER_SYSTEM } from './planner-prompt';

const action = (a: object) => JSON.stringify(a);
const planner = (...replies: Parameters<typeof scriptedChat>[0]) => {
  const chat = scriptedChat(replies);
  return { chat, p: createModelPlanner({ backend: 'local', chat }) };
};

describe('the model planner: what the model is asked', () => {
  it('sends the question, dimensions, history, last result, constraints and metric as JSON, at temperature 0 and a small budget', async () => {
    const { chat, p } = planner(
      action({ action: 'drill_down', reason: 'West leads', params: { group_by: ['product_line'], filters: { region: 'West' } } }),
    );
    await p.next(plannerState([byRegion, westByChannel]), RULE_DRILL);
    const req = chat.requests[0]!;
    expect(req.system).toBe(PLANNER_SYSTEM);
    expect(req.temperature).toBe(0);
    expect(req.maxTokens).toBe(ACTION_TOKENS);
    const payload = JSON.parse(req.messages[0]!.text.split('\n')[0]!);
    expect(payload).toMatchObject({
      question: 'Why did revenue rise?',
      mode: 'change_drivers',
      required_metric: 'revenue',
      available_dimensions: ['product_line', 'plan_tier'],
      history: [
        { step: 'd0:region:all', group_by: 'region', filters: {}, top_mover: { segment: 'West', score: 60, delta_metric: 600 } },
        { step: 'd1:channel:region=West', group_by: 'channel', filters: { region: 'West' }, top_mover: { segment: 'Online', score: 50 } },
      ],
      last_result: {
        step: 'd1:channel:region=West',
        delta_metric: 600,
        movers: [{ segment: 'Online', records: [40, 70], delta_metric: 500 }, { segment: 'Retail' }],
      },
      constraints: { depth: 2, max_depth: 3, remaining_depth: 1, max_branches: 3, min_contribution: 5, min_slice_rows: 5 },
    });
  });
});

describe('the model planner: every action is checked against the investigation so far', () => {
  it('takes a valid first action, from the last JSON object of a chatty reply', async () => {
    const { p } = planner(
      `Let me think. An example would be {"action": "stop"}. My answer:\n${action({ action: 'analyze_compare', reason: 'start with channel', params: { group_by: ['Channel'], filters: {} } })}`,
    );
    expect(await p.next(plannerState([]), RULE_FIRST)).toEqual({
      action: { action: 'analyze_compare', reason: 'start with channel', groupBy: 'channel' },
      chosenBy: 'llm',
    });
  });

  it('the first action must be analyze_compare', async () => {
    const { p } = planner(action({ action: 'drill_down', reason: 'go', params: { group_by: ['channel'], filters: { region: 'West' } } }));
    expect(await p.next(plannerState([]), RULE_FIRST)).toEqual({
      action: RULE_FIRST,
      chosenBy: 'fallback',
      note: 'the first action must be analyze_compare (the model answered drill_down)',
    });
  });

  it('refuses a dimension the investigation does not have', async () => {
    const { p } = planner(
      action({ action: 'drill_down', reason: 'by country', params: { group_by: ['country'], filters: { region: 'West' } } }),
    );
    expect(await p.next(plannerState([byRegion]), RULE_DRILL)).toEqual({
      action: RULE_DRILL,
      chosenBy: 'fallback',
      note: "the model named a dimension the investigation does not have: 'country' (available: region, channel, product_line, plan_tier)",
    });
  });

  it('garbage text falls back to the rule, quoting the reply', async () => {
    const { p } = planner('revenue revenue {{ west west ]] the the', { text: '{"action": "drill_do', truncated: true });
    expect(await p.next(plannerState([]), RULE_FIRST)).toEqual({
      action: RULE_FIRST,
      chosenBy: 'fallback',
      note: 'the model\'s reply held no JSON action ("revenue revenue {{ west west ]] the the")',
    });
    expect((await p.next(plannerState([]), RULE_FIRST)).note).toBe(
      `the model's reply held no JSON action ("{\\"action\\": \\"drill_do") (the reply reached the ${ACTION_TOKENS}-token limit)`.replaceAll(
        '\\"',
        '"',
      ),
    );
  });

  it('a stop after the first step, while the rule still drills, follows the rule; a stop the rule agrees with stands', async () => {
    const stop = action({ action: 'stop', reason: 'enough', params: {} });
    const { p } = planner(stop, stop);
    expect(await p.next(plannerState([byRegion]), RULE_DRILL)).toEqual({
      action: RULE_DRILL,
      chosenBy: 'fallback',
      note: "the model stopped at depth 1 while a branch still passes the thresholds; the rule's drill-down is followed",
    });
    expect(await p.next(plannerState([byRegion]), RULE_STOP)).toEqual({ action: { action: 'stop', reason: 'enough' }, chosenBy: 'llm' });
  });

  it('a path already taken pivots to the next unused dimension', async () => {
    const { p } = planner(
      action({ action: 'drill_down', reason: 'West by channel', params: { group_by: ['channel'], filters: { region: 'west' } } }),
    );
    expect(await p.next(plannerState([byRegion, westByChannel]), RULE_STOP)).toEqual({
      action: {
        action: 'drill_down',
        reason: 'West by channel',
        groupBy: 'product_line',
        filters: [{ dimension: 'region', value: 'West' }],
      },
      chosenBy: 'llm',
      note: 'region=West by channel was already taken; pivoted to product_line, the next unused dimension',
    });
  });

  it('drill_down without filters inherits the last top mover; a filter on a deeper mover finds its whole path', async () => {
    const path = [
      { dimension: 'region', value: 'West' },
      { dimension: 'channel', value: 'Online' },
    ];
    const { p } = planner(
      action({ action: 'drill_down', reason: 'follow Online', params: { group_by: ['plan_tier'] } }),
      action({ action: 'drill_down', reason: 'Online again', params: { group_by: ['product_line'], filters: { channel: 'ONLINE' } } }),
    );
    const state = plannerState([byRegion, westByChannel]);
    expect(await p.next(state, RULE_STOP)).toEqual({
      action: { action: 'drill_down', reason: 'follow Online', groupBy: 'plan_tier', filters: path },
      chosenBy: 'llm',
    });
    expect((await p.next(state, RULE_STOP)).action).toEqual({
      action: 'drill_down',
      reason: 'Online again',
      groupBy: 'product_line',
      filters: path,
    });
  });

  it('refuses segments no step found, scope conflicts, splitting by a fixed dimension, too deep, too small, and a second analyze_compare', async () => {
    const drill = (group_by: string[], filters: Record<string, string>) =>
      action({ action: 'drill_down', reason: 'r', params: { group_by, filters } });
    const { p } = planner(
      drill(['channel'], { region: 'Atlantis' }),
      drill(['channel'], { region: 'West', Region: 'East' }),
      drill(['region'], { region: 'West' }),
      drill(['plan_tier'], { region: 'West', channel: 'Online' }),
      drill(['channel'], { region: 'North' }),
      action({ action: 'analyze_compare', reason: 'again', params: { group_by: ['channel'] } }),
      action({ action: 'explode', reason: 'r' }),
    );
    const notes: (string | undefined)[] = [];
    for (let i = 0; i < 7; i++) {
      const d = await p.next(plannerState([byRegion, westByChannel], { maxDepth: 2 }), RULE_STOP);
      expect(d.chosenBy).toBe('fallback');
      expect(d.action).toEqual(RULE_STOP);
      notes.push(d.note);
    }
    expect(notes).toEqual([
      'the filters region=Atlantis name no segment among the movers of the steps so far',
      "the model's filters conflict: region is both 'West' and 'East'",
      'the scope already fixes region (region=West); it cannot also be split by it',
      'drilling into region=West, channel=Online would go beyond the maximum depth of 2',
      'region=North holds 3 rows on its larger side, fewer than the minimum slice of 5',
      'analyze_compare is only the first step; later steps drill down or stop',
      "the model's action 'explode' is not analyze_compare, drill_down or stop",
    ]);
  });

  it('finds the outermost JSON object, not the nested one, and skips braces in prose', () => {
    expect(jsonObjectsIn('x {not json} {"a": {"b": 1}} y')).toEqual([{ b: 1 }, { a: { b: 1 } }]);
  });
});

describe('the model planner: which model answers', () => {
  it('names the environment variables when the local planner has no model', () => {
    expect(() => createModelPlanner({ backend: 'local', env: {} })).toThrow(
      expect.objectContaining({
        code: 'MODEL_MISSING',
        message:
          'the local planner needs a model: no --planner-model was given and neither FACTORLENS_PLANNER_LOCAL_MODEL nor FACTORLENS_LOCAL_MODEL is set',
        options: ['plannerModel'],
      }),
    );
    expect(() => createModelPlanner({ backend: 'local', env: { FACTORLENS_LOCAL_MODEL: '/no/such/model.gguf' } })).toThrow(
      expect.objectContaining({
        code: 'MODEL_MISSING',
        message: 'the planner model /no/such/model.gguf (from the environment) does not exist',
      }),
    );
  });

  it('uses the app default Bedrock model and the environment fallback model', () => {
    const p = createModelPlanner({
      backend: 'bedrock',
      env: { FACTORLENS_LOCAL_MODEL: 'models/x.gguf', FACTORLENS_PLANNER_LOCAL_MODEL: '/m/planner.gguf' },
    });
    expect(p.model).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(p.fallbackModel).toBe('/m/planner.gguf');
    expect(createModelPlanner({ backend: 'bedrock', model: 'm2', env: {} })).toMatchObject({ model: 'm2', fallbackModel: null });
  });

  it('a model failing before it ever answered is an error; a failure later leaves the step to the rule; a second model takes over', async () => {
    const denied = Object.assign(new Error('no access'), { code: 'LLM_ACCESS_DENIED' });
    const first = createModelPlanner({ backend: 'local', chat: scriptedChat([denied]) });
    await expect(first.next(plannerState([]), RULE_FIRST)).rejects.toBe(denied);

    const later = createModelPlanner({
      backend: 'local',
      chat: scriptedChat([
        action({ action: 'analyze_compare', reason: 'r', params: { group_by: ['region'] } }),
        new Error('socket hang up'),
      ]),
    });
    expect((await later.next(plannerState([]), RULE_FIRST)).chosenBy).toBe('llm');
    expect(await later.next(plannerState([byRegion]), RULE_DRILL)).toEqual({
      action: RULE_DRILL,
      chosenBy: 'fallback',
      note: 'no model answered: scripted failed: socket hang up',
    });
    expect(later.warnings).toEqual(['scripted failed: socket hang up; it was not asked again']);

    const backup = scriptedChat([action({ action: 'analyze_compare', reason: 'backup', params: { group_by: ['region'] } })]);
    const both = createModelPlanner({ backend: 'bedrock', chat: [scriptedChat([denied]), { ...backup, label: 'local: backup.gguf' }] });
    expect(await both.next(plannerState([]), RULE_FIRST)).toMatchObject({ chosenBy: 'llm', action: { reason: 'backup' } });
    expect(both.warnings).toEqual([
      'scripted failed (LLM_ACCESS_DENIED): no access; it was not asked again',
      "the planner's fallback model local: backup.gguf answered because scripted failed",
    ]);
  });
});

describe('the model summary passes the number check or is not used', () => {
  const a = investigationArtifact();
  const evidence = investigationEvidence(a);
  const ok = (text: string, more: object = {}) => checkSummary({ text, stopped: false, truncated: false, ...more }, evidence);

  it('accepts a summary whose every number is in the steps', async () => {
    const text =
      'Revenue rose by 1,000 (10%) from 10,000 to 11,000.\n- West drove 60% of the change (+600) [E3].\n- Within West, Online added 500 as its share rose from 40% to 58.33%.';
    expect(ok(text)).toEqual({
      text: [
        'Revenue rose by 1,000 (10%) from 10,000 to 11,000.',
        'West drove 60% of the change (+600).',
        'Within West, Online added 500 as its share rose from 40% to 58.33%.',
      ],
    });
    const { chat, p } = planner(text);
    expect(await p.summarize(a)).toMatchObject({ text: expect.arrayContaining(['West drove 60% of the change (+600).']) });
    expect(chat.requests[0]).toMatchObject({ temperature: 0, maxTokens: SUMMARY_TOKENS });
    expect(chat.requests[0]!.messages[0]!.text).toContain(
      '"Online" (step d1:channel:region=West): metric 2000 -> 2500 (change 500, 50% of the total change)',
    );
  });

  it('refuses wrong numbers, truncation, code fences, prompt text, long decimals and the wrong number of lines', () => {
    expect(ok('Revenue rose by 1,000.\nWest drove 75% of it.')).toEqual({
      rejected: 'the summary states a number not found in the steps: 75%',
    });
    expect(ok('Revenue rose by 1,000.\nWest drove 60% of it.', { truncated: true })).toEqual({
      rejected: 'the summary reached the token limit and may end mid-sentence (truncated)',
    });
    expect(ok('```\nRevenue rose by 1,000.\n```')).toEqual({ rejected: 'the summary contains a code fence' });
    expect(ok('<|im_start|>assistant\nRevenue rose by 1,000.\nWest led.')).toEqual({
      rejected: 'the summary contains prompt text (<|im_start|>)',
    });
    expect(ok('Revenue rose by 1,000.\nWest is 58.333% of West records.')).toEqual({
      rejected: 'the summary states a number with more than 2 decimals (58.333)',
    });
    expect(ok('Revenue rose by 1,000.')).toEqual({ rejected: 'the summary has 1 line; 2 to 4 were asked for' });
    expect(ok('a\nb\nc\nd\ne')).toEqual({ rejected: 'the summary has 5 lines; 2 to 4 were asked for' });
    expect(ok('', { stopped: false })).toEqual({ rejected: 'the model returned no summary' });
  });
});

describe('the model planner through runInvestigation', () => {
  /** revenue 500 -> 600: US +200 (Web +200, Store 0), EU -100 (Web -100, Store 0). */
  const cube: InvestigationCube = {
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
  const options = InvestigationOptionsSchema.parse({
    question: 'Why did revenue change?',
    metric: 'revenue',
    planner: 'llm',
    plannerModel: 'scripted.gguf',
  });

  it("the model's actions make the steps; a summary with a number not in the steps is replaced, and the report says why", async () => {
    const { p } = planner(
      action({ action: 'analyze_compare', reason: 'regions first', params: { group_by: ['region'], filters: {} } }),
      action({ action: 'drill_down', reason: 'US carries the rise', params: { group_by: ['channel'], filters: { region: 'US' } } }),
      'Revenue rose from 500 to 600 (+100).\nUS added 250 of it.',
    );
    const a = await runInvestigation(cube, options, p);
    expect(a.steps.map((s) => [s.id, s.chosen_by])).toEqual([
      ['d0:region:all', 'llm'],
      ['d1:channel:region=US', 'llm'],
    ]);
    expect(a.trace.map((t) => [t.action, t.reason])).toEqual([
      ['analyze_compare', 'regions first'],
      ['drill_down', 'US carries the rise'],
    ]);
    expect(a.final_summary).toMatchObject({
      source: 'deterministic',
      replaced_reason: 'the summary states a number not found in the steps: 250',
    });
  });

  it('garbage and a premature stop fall back to the rule with the reasons in the trace; a checked summary is kept', async () => {
    const { p } = planner(
      'The data suggests looking at things.',
      action({ action: 'stop', reason: 'done' }),
      'Revenue rose from 500 to 600 (+100, 20%).\nUS added 200 while EU lost 100.',
    );
    const a = await runInvestigation(cube, options, p);
    expect(a.steps.map((s) => [s.id, s.chosen_by])).toEqual([
      ['d0:region:all', 'fallback'],
      ['d1:channel:region=US', 'fallback'],
    ]);
    expect(a.trace.filter((t) => t.action === 'fallback').map((t) => [t.depth, t.reason])).toEqual([
      [0, 'the model\'s reply held no JSON action ("The data suggests looking at things.")'],
      [1, "the model stopped at depth 1 while a branch still passes the thresholds; the rule's drill-down is followed"],
    ]);
    expect(a.final_summary).toEqual({
      text: ['Revenue rose from 500 to 600 (+100, 20%).', 'US added 200 while EU lost 100.'],
      source: 'llm',
      replaced_reason: null,
    });
  });
});

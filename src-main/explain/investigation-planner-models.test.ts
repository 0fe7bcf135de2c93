import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from '../../tests/llm/fake-bedrock';
import { writeTinyLlama } from '../../tests/llm/gguf';
import { byRegion, investigationArtifact, plannerState, RULE_DRILL, RULE_FIRST, westByChannel } from '../../tests/llm/planner-fixtures';
import { InvestigationOptionsSchema } from '../../src-shared/analysis-options';
import { runInvestigation } from '../engine/investigation/run';
import { ACTION_TOKENS, createModelPlanner } from './investigation-planner';
import { PLANNER_SYSTEM } from './planner-prompt';

/**
 * The model planner through real models: the tiny GGUF of the tests in its own llama.cpp process
 * (it answers nonsense, so every action falls back), and Bedrock's SDK against the loopback
 * ConverseStream server.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-planner-'));
const tiny = path.join(dir, 'tiny.gguf');
writeTinyLlama(tiny, { name: 'FactorLens tiny planner' });
let fake: FakeBedrock;
const saved = { ...process.env };

beforeAll(async () => {
  fake = await startFakeBedrock();
  // The SDK's default credential chain reads these; nothing leaves the machine (endpoint override).
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST', AWS_SECRET_ACCESS_KEY: 'secret-for-tests', AWS_REGION: 'eu-west-1' });
  delete process.env.AWS_PROFILE;
});
afterAll(async () => {
  await fake.close();
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

const NO_JSON = /^the model's reply held no JSON action( \(".*"\)| \(it was empty\))( \(the reply reached the \d+-token limit\))?$/s;

describe('the model planner with the tiny GGUF in its own process', () => {
  it('whatever the model answers, an invalid action falls back to the rule and the note says why; its summary is refused', async () => {
    // The model named by the environment, started by the default launcher (the model worker beside the source).
    const p = createModelPlanner({ backend: 'local', env: { FACTORLENS_PLANNER_LOCAL_MODEL: tiny }, threads: 1 });
    expect(p.model).toBe(tiny);
    try {
      const first = await p.next(plannerState([]), RULE_FIRST);
      expect(first).toMatchObject({ action: RULE_FIRST, chosenBy: 'fallback', note: expect.stringMatching(NO_JSON) });
      const second = await p.next(plannerState([byRegion, westByChannel]), RULE_DRILL);
      expect(second).toMatchObject({ action: RULE_DRILL, chosenBy: 'fallback', note: expect.stringMatching(NO_JSON) });
      // The same nonsense at temperature 0 from a clean sequence: the same note for the same prompt.
      expect(await p.next(plannerState([]), RULE_FIRST)).toEqual(first);
      const summary = await p.summarize(investigationArtifact());
      // Two hundred tokens of nonsense never end a summary.
      expect(summary).toEqual({ rejected: 'the summary reached the token limit and may end mid-sentence (truncated)' });
      expect(p.warnings).toEqual([]);
    } finally {
      await p.close();
    }
  }, 120_000);

  it('through runInvestigation: every step is the rule standing in, the trace says why, the deterministic summary stands', async () => {
    const cube = {
      input: { kind: 'datasets_csv' as const, base: 'a.csv', new: 'b.csv', date_column: null, windows: null },
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
      plannerModel: tiny,
    });
    const p = createModelPlanner({ backend: 'local', model: tiny, env: {}, threads: 1 });
    try {
      const a = await runInvestigation(cube, options, p);
      expect(a.steps.map((s) => [s.id, s.chosen_by])).toEqual([
        ['d0:region:all', 'fallback'],
        ['d1:channel:region=US', 'fallback'],
      ]);
      const fallbacks = a.trace.filter((t) => t.action === 'fallback');
      expect(fallbacks.map((t) => t.depth)).toEqual([0, 1]);
      for (const t of fallbacks) expect(t.reason).toMatch(NO_JSON);
      expect(a.final_summary).toMatchObject({
        source: 'deterministic',
        replaced_reason: 'the summary reached the token limit and may end mid-sentence (truncated)',
      });
    } finally {
      await p.close();
    }
  }, 120_000);

  it('a model file llama.cpp cannot run is a typed error, not a silent fallback', async () => {
    const hostile = path.join(dir, 'hostile.gguf');
    writeTinyLlama(hostile, { heads: 0, ropeDimensions: 16 });
    const p = createModelPlanner({ backend: 'local', model: hostile, env: {} });
    await expect(p.next(plannerState([]), RULE_FIRST)).rejects.toMatchObject({ code: 'MODEL_CRASHED' });
    await p.close();
  }, 60_000);
});

describe('the model planner on Bedrock (loopback ConverseStream server)', () => {
  it('takes a valid JSON action, and refuses a summary with a number that is not in the steps', async () => {
    const p = createModelPlanner({ backend: 'bedrock', bedrock: { endpoint: fake.url }, env: {} });
    fake.reply({
      kind: 'answer',
      chunks: [
        '{"action": "drill_down", "reason": "West carries 60% of the change", ',
        '"params": {"group_by": ["channel"], "filters": {"region": "West"}}}',
      ],
    });
    expect(await p.next(plannerState([byRegion]), RULE_DRILL)).toEqual({
      action: {
        action: 'drill_down',
        reason: 'West carries 60% of the change',
        groupBy: 'channel',
        filters: [{ dimension: 'region', value: 'West' }],
      },
      chosenBy: 'llm',
    });
    const req = fake.requests.at(-1)!;
    expect(req.modelId).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(req.body.system).toEqual([{ text: PLANNER_SYSTEM }]);
    expect(req.body.inferenceConfig).toEqual({ maxTokens: ACTION_TOKENS, temperature: 0 });
    expect(JSON.parse(req.body.messages[0]!.content[0]!.text.split('\n')[0]!)).toMatchObject({
      question: 'Why did revenue rise?',
      required_metric: 'revenue',
    });

    // 1,200 is not a number of the steps (the change was 1,000).
    fake.reply({ kind: 'answer', chunks: ['Revenue rose by 1,200 (10%).\n', 'West drove 60% of the change.'] });
    expect(await p.summarize(investigationArtifact())).toEqual({ rejected: 'the summary states a number not found in the steps: 1,200' });
    fake.reply({ kind: 'answer', chunks: ['Revenue rose by 1,000 (10%).\n', 'West drove 60% of the change, Online 500 of it.'] });
    expect(await p.summarize(investigationArtifact())).toEqual({
      text: ['Revenue rose by 1,000 (10%).', 'West drove 60% of the change, Online 500 of it.'],
    });
    expect(p.warnings).toEqual([]);
    await p.close();
  });

  it('when Bedrock refuses, the local model from the environment answers (nonsense here, so the rule decides) and the warnings say so', async () => {
    const p = createModelPlanner({
      backend: 'bedrock',
      model: 'anthropic.claude-3-opus',
      bedrock: { endpoint: fake.url },
      env: { FACTORLENS_LOCAL_MODEL: tiny },
      threads: 1,
    });
    expect(p.fallbackModel).toBe(tiny);
    fake.reply({
      kind: 'error',
      status: 403,
      type: 'AccessDeniedException',
      message: "You don't have access to the model with the specified model ID.",
    });
    const before = fake.requests.length;
    try {
      expect(await p.next(plannerState([]), RULE_FIRST)).toMatchObject({
        action: RULE_FIRST,
        chosenBy: 'fallback',
        note: expect.stringMatching(NO_JSON),
      });
      // Bedrock is not asked again.
      expect(await p.next(plannerState([byRegion]), RULE_DRILL)).toMatchObject({ chosenBy: 'fallback' });
      expect(fake.requests.length - before).toBe(1);
      expect(p.warnings).toEqual([
        expect.stringMatching(
          /^bedrock: anthropic\.claude-3-opus failed \(LLM_ACCESS_DENIED\): your AWS identity may not use anthropic\.claude-3-opus in eu-west-1: .*; it was not asked again$/,
        ),
        "the planner's fallback model local: tiny.gguf answered because bedrock: anthropic.claude-3-opus failed",
      ]);
    } finally {
      await p.close();
    }
  }, 120_000);
});

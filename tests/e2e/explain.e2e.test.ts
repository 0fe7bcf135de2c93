import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from '../llm/fake-bedrock';
import { writeTinyLlama } from '../llm/gguf';
import { useWorkbench } from './fixture';

/** The Explain pane through the real UI, answered by the real Bedrock SDK against a loopback server. */
let fake: FakeBedrock;

beforeAll(async () => {
  fake = await startFakeBedrock();
  return () => fake.close();
});

const app = useWorkbench({
  name: 'explain',
  demo: ['factorlens_demo_sales.csv'],
  // The served app's SDK finds these through its default credential chain.
  env: { AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST', AWS_SECRET_ACCESS_KEY: 'secret-for-tests', AWS_REGION: 'us-west-2', AWS_PROFILE: '' },
  // The model file is added by path from the temp folder: the web host reads only allowed folders.
  allowDirs: ({ dir }) => [dir],
  viewport: { width: 1600, height: 900 },
  setupTimeout: 90_000,
});

/** An Analyze run of the demo sales by region, ranked by revenue: the run the pane explains. */
beforeAll(async () => {
  const { shell, analyze } = app;
  await shell.openDataset('factorlens_demo_sales.csv');
  await analyze.open();
  await analyze.fill({ groupBy: ['region'], metrics: ['revenue_usd'], rankBy: { typed: 'revenue', value: 'revenue_usd' } });
  await analyze.run();
}, 90_000);

describe('the Explain pane in a real browser', () => {
  it('without a model, says how to add one and offers a labelled summary built from the evidence', async () => {
    const { explain } = app;
    await explain.pane.waitFor();
    await expect(explain.backend.innerText()).resolves.toBe('No model set up');
    await explain.noModel.waitFor();
    const summary = await explain.summary.innerText();
    expect(summary.toLowerCase()).toContain('deterministic summary · no model involved');
    expect(summary).toContain('group="US" records=29 record_share_pct=29 "revenue_usd"=4020509.65 [E2]');
    await expect(explain.input.isDisabled()).resolves.toBe(true);
    await app.shot('60-explain-no-model');
  });

  it('sets up Bedrock in the settings and tests it with a Converse call', async () => {
    const { explain } = app;
    await explain.openSettings('AWS Bedrock');
    await explain.fillBedrock({ model: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-west-2', endpoint: fake.url });
    fake.reply({ kind: 'answer', chunks: ['OK'] });
    await explain.test();
    await expect(explain.testResult.innerText()).resolves.toContain('bedrock: anthropic.claude-3-haiku-20240307-v1:0: answered "OK"');
    expect(fake.requests.at(-1)).toMatchObject({ operation: 'converse', modelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
    await app.shot('61-explain-settings-bedrock');
    await explain.save();
    await explain.settingsClosed();
    await expect(explain.backend.innerText()).resolves.toBe('Bedrock · claude-3-haiku-20240307');
  });

  it('streams an answer, marks verified numbers with their evidence and flags an invented one', async () => {
    const { explain } = app;
    fake.reply({
      kind: 'answer',
      chunks: [
        'US leads ',
        'with 29 records ',
        '[E2] and ',
        '4,020,509.65 ',
        'in revenue [E2]; ',
        'APAC follows ',
        'with 27 records [E3].',
      ],
      delayMs: 250,
    });
    await explain.ask('Which region leads?');
    // Mid-stream: part of the answer is on screen, with a Stop button.
    await explain.streamed('with 29 records');
    await explain.stopButton().waitFor();
    await app.shot('62-explain-streaming');
    const answer = explain.answer('last');
    await answer.check.waitFor();
    await expect(answer.verified.allInnerTexts()).resolves.toEqual(['29✓', '4,020,509.65✓']);
    await expect(answer.unverified.allInnerTexts()).resolves.toEqual(['27?']);
    await expect(answer.check.innerText()).resolves.toBe('1 of 3 numbers not in the evidence');
    await answer.verified.first().hover();
    await expect(explain.focus.innerText()).resolves.toContain('E2 group="US" records=29');
    // The request: the evidence in the system prompt, the question as the user turn.
    const req = fake.requests.at(-1)!;
    expect(req.operation).toBe('converse-stream');
    expect(req.body.system![0]!.text).toContain('[E2] group="US" records=29 record_share_pct=29 "revenue_usd"=4020509.65');
    expect(req.body.messages.at(-1)).toEqual({ role: 'user', content: [{ text: 'Question: Which region leads?' }] });
    await app.shot('63-explain-answer-checked');
  });

  it('stops an answer half-way, keeps it, and finds the conversation again after a reload', async () => {
    const { page, shell, explain } = app;
    fake.reply({ kind: 'answer', chunks: ['EU ', 'has ', '22 ', 'records ', '[E4] ', 'and ', 'more ', 'words ', 'follow.'], delayMs: 300 });
    await explain.ask('And EU?', 'send');
    await explain.streamed('EU has');
    await explain.stop();
    const last = explain.answers.last();
    await last.getByText('stopped').waitFor();
    expect((await last.innerText()).length).toBeLessThan('EU has 22 records [E4] and more words follow.'.length + 80);
    await expect(explain.answers.count()).resolves.toBe(2);
    await page.reload();
    await shell.openRun(0);
    await explain.answers.nth(1).waitFor();
    await expect(explain.questions.allInnerTexts()).resolves.toEqual(['Which region leads?', 'And EU?']);
    await shell.toggleThemeByKey();
    await expect(shell.theme()).resolves.toBe('dark');
    await shell.settleTheme();
    await app.shot('64-explain-after-reload');
  });

  it('adds a local GGUF model in the model manager, shows its header, loads it and answers offline', async () => {
    const { explain } = app;
    const model = path.join(app.dir, 'tiny-test.gguf');
    writeTinyLlama(model, { name: 'FactorLens tiny test model' });
    await explain.openSettings('Local model (offline)');
    await explain.addModel(model);
    const row = explain.models.filter({ hasText: 'tiny-test.gguf' });
    // 118,080 weights (F32), trained context 4,096: read from the file's GGUF header.
    await expect(row.innerText()).resolves.toMatch(
      /FactorLens tiny test model\s+tiny-test\.gguf · added\s+llama\s+118k\s+F32\s+4,096\s+48\d kB/,
    );
    // One thread and a short answer: the browser and the server share this machine's cores, and
    // llama.cpp's threads spin while they wait.
    await explain.localLimits(1, 48);
    await explain.test();
    await expect(explain.testResult.innerText()).resolves.toBe('local: tiny-test.gguf: loaded with a context of 4,096 tokens on 1 thread');
    await app.shot('65-explain-model-manager');
    await explain.save();
    await expect(explain.backend.innerText()).resolves.toBe('Local · tiny-test.gguf');
    await explain.ask('Which region leads?');
    const third = explain.answer(2);
    await third.settled(60_000);
    expect(await third.error.count(), await third.root.innerText()).toBe(0);
    await expect(third.root.innerText()).resolves.toContain('local: tiny-test.gguf');
  }, 90_000);
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Conversation, ExplainSettings, JobEvent, ModelInfo } from '../src-shared/contract';
import { startFakeBedrock, type FakeBedrock } from './llm/fake-bedrock';
import { writeTinyLlama } from './llm/gguf';
import { openWorkbench } from '../src-main/hosts/open-workbench';
import type { Workbench } from '../src-main/services/workbench';

/** The explain calls of the Workbench service (what the pane and the web host use), on a real SQLite file. */
const data = path.resolve(__dirname, '../data');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-wb-explain-'));
const workspaceFile = path.join(dir, 'w.flworkspace');
const open = () =>
  openWorkbench({ workspaceFile, dataDir: dir, engineEntryUrl: pathToFileURL(__filename).href, bundledModels: path.join(dir, 'bundled') });
let wb: Workbench;
let fake: FakeBedrock;
let runId = '';
const saved = { ...process.env };

/** Collects an answer's streamed pieces until it ends. */
function answer(jobId: string): Promise<{ pieces: string[]; end: JobEvent }> {
  const pieces: string[] = [];
  return new Promise((resolve) => {
    const on = (e: JobEvent) => {
      if (e.jobId !== jobId) return;
      if (e.type === 'text') pieces.push(e.text);
      else if (e.type === 'answered' || e.type === 'failed') {
        wb.off('job', on);
        resolve({ pieces, end: e });
      }
    };
    wb.on('job', on);
  });
}

async function settings(patch: Partial<ExplainSettings>): Promise<void> {
  const current = (await wb.handle('explain.settings', {})) as ExplainSettings;
  await wb.handle('explain.saveSettings', { ...current, ...patch });
}

beforeAll(async () => {
  fake = await startFakeBedrock();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'secret-for-tests',
    AWS_REGION: 'eu-central-1',
  });
  wb = await open();
  const ds = await wb.addFile(path.join(data, 'factorlens_demo_sales.csv'));
  const { jobId } = (await wb.handle('analyze.start', {
    datasetId: ds.id,
    options: { groupBy: ['region'], metrics: ['revenue_usd'], rankBy: 'revenue_usd' },
  })) as { jobId: string };
  runId = await new Promise<string>((resolve, reject) =>
    wb.on('job', (e) => {
      if (e.jobId === jobId && e.type === 'done') resolve(e.runId);
      if (e.jobId === jobId && e.type === 'failed') reject(new Error(e.error.message));
    }),
  );
}, 60_000);
afterAll(async () => {
  wb?.shutdown();
  await fake.close();
  process.env = saved;
});

describe('workbench: explain', () => {
  it('offers the evidence and a labelled deterministic summary before any model is set up', async () => {
    const c = (await wb.handle('explain.conversation', { runId })) as Conversation;
    expect(c.messages).toEqual([]);
    expect(c.evidence[1]).toMatchObject({ id: 'E2', text: 'group="US" records=29 record_share_pct=29 "revenue_usd"=4020509.65' });
    expect(c.summary.split('\n')[1]).toBe('- group="US" records=29 record_share_pct=29 "revenue_usd"=4020509.65 [E2]');
    // No model anywhere: the question fails with what to do, and the question is kept.
    const { jobId } = (await wb.handle('explain.ask', { runId, question: 'Which region leads?' })) as { jobId: string };
    const { end } = await answer(jobId);
    expect(end).toMatchObject({ type: 'failed', error: { code: 'MODEL_MISSING', hint: expect.stringContaining('Add a GGUF model') } });
    const after = (await wb.handle('explain.conversation', { runId })) as Conversation;
    expect(after.messages.map((m) => [m.role, m.error?.code ?? null])).toEqual([
      ['user', null],
      ['assistant', 'MODEL_MISSING'],
    ]);
    await wb.handle('explain.clear', { runId });
  });

  it('streams a Bedrock answer, checks its numbers and saves the conversation in the workspace', async () => {
    await settings({
      backend: 'bedrock',
      bedrock: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'eu-central-1', profile: '', endpoint: fake.url },
    });
    fake.reply({ kind: 'answer', chunks: ['US leads ', 'with 29 records ', '[E2], ahead of APAC with 27 [E3].'] });
    const { jobId } = (await wb.handle('explain.ask', { runId, question: 'Which region leads?' })) as { jobId: string };
    const { pieces, end } = await answer(jobId);
    expect(pieces).toEqual(['US leads ', 'with 29 records ', '[E2], ahead of APAC with 27 [E3].']);
    const message = (end as { message: ChatMessage }).message;
    expect(message).toMatchObject({
      role: 'assistant',
      backend: 'bedrock: anthropic.claude-3-haiku-20240307-v1:0',
      stopped: false,
      grounded: false,
    });
    // 29 is US's record count (E2); APAC has 26, so 27 is flagged.
    expect(message.checks!.map((c) => [c.text, c.verified, c.evidence])).toEqual([
      ['29', true, ['E2']],
      ['27', false, []],
    ]);

    // A follow-up sends the earlier turns.
    fake.reply({ kind: 'answer', chunks: ['EU has 22 records [E4].'] });
    const second = (await wb.handle('explain.ask', { runId, question: 'And EU?' })) as { jobId: string };
    await answer(second.jobId);
    expect(fake.requests.at(-1)!.body.messages.map((m) => [m.role, m.content[0]!.text])).toEqual([
      ['user', 'Which region leads?'],
      ['assistant', 'US leads with 29 records [E2], ahead of APAC with 27 [E3].'],
      ['user', 'Question: And EU?'],
    ]);

    // Saved with the run: a new session on the same file sees it.
    wb.shutdown();
    wb = await open();
    const c = (await wb.handle('explain.conversation', { runId })) as Conversation;
    expect(c.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(c.messages[3]).toMatchObject({ text: 'EU has 22 records [E4].', grounded: true });
  }, 30_000);

  it("focuses a factor model answer on the factors asked about, with that answer's own evidence", async () => {
    const prices = await wb.addFile(path.join(data, 'prices.csv'));
    const { jobId: fit } = (await wb.handle('factors.start', { datasetId: prices.id, k: 2 })) as { jobId: string };
    const factorRun = await new Promise<string>((resolve, reject) =>
      wb.on('job', (e) => {
        if (e.jobId === fit && e.type === 'done') resolve(e.runId);
        if (e.jobId === fit && e.type === 'failed') reject(new Error(e.error.message));
      }),
    );
    fake.reply({ kind: 'answer', chunks: ['Factor 2 explains 34.49% of the variance [E3].'] });
    const { jobId } = (await wb.handle('explain.ask', { runId: factorRun, question: 'What is factor 2?', focus: [1] })) as {
      jobId: string;
    };
    const message = ((await answer(jobId)).end as { message: ChatMessage }).message;
    expect(fake.requests.at(-1)!.body.system![0]!.text).toMatch(/\[E2\] worst modeled day \S+ \(focus factor_2\)/);
    expect(message.focus).toEqual([1]);
    expect(message.evidence!.map((e) => e.text.split(' ')[0])).toEqual([
      'k=2',
      'worst',
      'factor_2',
      'outlier',
      'outlier',
      'outlier',
      'outlier',
      'outlier',
      'outlier',
      'outlier',
      'outlier',
      'outlier',
      'outlier',
    ]);
    // "Factor 2" names a factor, and happens to equal k = 2 [E1]: the check cannot tell names from values.
    expect(message.checks!.map((c) => [c.text, c.verified, c.evidence])).toEqual([
      ['2', true, ['E1']],
      ['34.49%', true, ['E3']],
    ]);
    await expect(wb.handle('explain.ask', { runId, question: 'x', focus: [0] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  }, 60_000);

  it('stops an answer half-way and keeps what arrived', async () => {
    fake.reply({ kind: 'answer', chunks: ['one ', 'two ', 'three ', 'four ', 'five ', 'six '], delayMs: 100 });
    const { jobId } = (await wb.handle('explain.ask', { runId, question: 'Count slowly' })) as { jobId: string };
    const done = answer(jobId);
    await new Promise<void>((resolve) => {
      const on = (e: JobEvent) => {
        if (e.jobId === jobId && e.type === 'text') {
          wb.off('job', on);
          resolve();
        }
      };
      wb.on('job', on);
    });
    expect(await wb.handle('jobs.cancel', { jobId })).toEqual({ cancelled: true });
    const { end } = await done;
    expect((end as { message: ChatMessage }).message).toMatchObject({ stopped: true, text: expect.stringMatching(/^one( two)?$/) });
  }, 30_000);

  it('leaves a failed question out of the follow-ups (turns alternate), and a settings change does not cut an answer', async () => {
    await wb.handle('explain.clear', { runId });
    fake.reply({ kind: 'error', status: 403, type: 'AccessDeniedException', message: 'no access' });
    const failed = (await wb.handle('explain.ask', { runId, question: 'First try' })) as { jobId: string };
    expect((await answer(failed.jobId)).end).toMatchObject({ type: 'failed', error: { code: 'LLM_ACCESS_DENIED' } });
    fake.reply({ kind: 'answer', chunks: ['US ', 'has ', '29 ', 'records [E2].'], delayMs: 120 });
    const second = (await wb.handle('explain.ask', { runId, question: 'Second try' })) as { jobId: string };
    const done = answer(second.jobId);
    // Only the temperature changes mid-answer: the backend stays, the answer finishes.
    await settings({ temperature: 0.5 });
    expect((await done).end).toMatchObject({ type: 'answered', message: { text: 'US has 29 records [E2].', stopped: false } });
    expect(fake.requests.at(-1)!.body.messages).toEqual([{ role: 'user', content: [{ text: 'Question: Second try' }] }]);
  }, 30_000);

  it('manages local models: the user folder, Add model, header metadata, and a test load', async () => {
    const listing = (await wb.handle('explain.models', {})) as { models: ModelInfo[]; folders: { user: string } };
    expect(listing.folders.user).toBe(path.join(dir, 'models'));
    writeTinyLlama(path.join(listing.folders.user, 'in-folder.gguf'));
    const elsewhere = path.join(dir, 'elsewhere.gguf');
    writeTinyLlama(elsewhere, { name: 'added one' });
    const info = (await wb.handle('explain.addModel', { path: elsewhere })) as ModelInfo;
    expect(info).toMatchObject({
      file: 'elsewhere.gguf',
      name: 'added one',
      architecture: 'llama',
      quantization: 'F32',
      contextLength: 4096,
    });
    const notModel = path.join(dir, 'notes.gguf');
    writeFileSync(notModel, 'hello');
    await expect(wb.handle('explain.addModel', { path: notModel })).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    const again = (await wb.handle('explain.models', {})) as { models: ModelInfo[] };
    expect(again.models.map((m) => [m.file, m.source])).toEqual([
      ['in-folder.gguf', 'user'],
      ['elsewhere.gguf', 'added'],
    ]);
    // One thread: llama.cpp's threads spin while they wait, and the test runner's other workers share these cores.
    await settings({ backend: 'local', localModel: elsewhere, threads: 1 });
    expect(await wb.handle('explain.test', {})).toEqual({
      backend: 'local: elsewhere.gguf',
      detail: 'loaded with a context of 4,096 tokens on 1 thread',
    });
  }, 60_000);
});

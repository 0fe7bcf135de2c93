import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyLlama } from '../../../tests/llm/gguf';
import { workerEntryBeside } from '../../process/engine-process';
import { LocalChat, nodeModelLauncher } from './local-model';
import { describeModel, listModels, recommendedRuntime } from './models';
import { AnalyzeOptionsSchema } from '../../../src-shared/analyze-options';
import { runAnalyze } from '../../engine/analyze/run';
import { explainRun } from '../answer';
import type { ChatBackend, ChatRequest } from '../chat';
import { evidenceOf } from '../evidence';
import { SYSTEM_PROMPT } from '../prompt';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const launcher = nodeModelLauncher(workerEntryBeside(pathToFileURL(__filename).href, 'model'));
const tiny = path.join(dir, 'tiny.gguf');
writeTinyLlama(tiny, { name: 'FactorLens tiny test model' });
const ask = (text: string, maxTokens = 24) => ({
  system: 'You explain computed numbers.',
  messages: [{ role: 'user' as const, text }],
  maxTokens,
  temperature: 0,
});

describe('the model manager', () => {
  it('reads a model header: architecture, parameters, quantization, context', async () => {
    const info = await describeModel(tiny, 'user');
    // 3 control + 256 byte + 21 word tokens; embedding 64, 2 blocks, feed-forward 128.
    const vocab = 280;
    const perBlock = 64 + 4 * 64 * 64 + 64 + 3 * 64 * 128;
    expect(info).toMatchObject({
      file: 'tiny.gguf',
      source: 'user',
      name: 'FactorLens tiny test model',
      architecture: 'llama',
      parameters: 2 * 64 * vocab + 64 + 2 * perBlock,
      quantization: 'F32',
      contextLength: 4096,
      problem: null,
    });
    expect(info.sizeBytes).toBe(readFileSync(tiny).length);
  });

  it('lists bundled, user and added models once each, and says what is wrong with a bad file', async () => {
    const bundled = path.join(dir, 'bundled');
    const user = path.join(dir, 'user');
    mkdirSync(bundled);
    mkdirSync(user);
    writeTinyLlama(path.join(bundled, 'a.gguf'));
    writeFileSync(path.join(user, 'notes.txt'), 'not a model');
    writeFileSync(path.join(user, 'broken.gguf'), 'GGUF but not really');
    const models = await listModels({ bundled, user: path.join(dir, 'user') }, [tiny, path.join(bundled, 'a.gguf')]);
    expect(models.map((m) => [m.file, m.source, m.problem === null])).toEqual([
      ['a.gguf', 'bundled', true],
      ['broken.gguf', 'user', false],
      ['tiny.gguf', 'added', true],
    ]);
  });

  it('picks a context size and thread count for the machine', () => {
    expect(recommendedRuntime(32768, 6 * 2 ** 30, 2)).toEqual({ contextSize: 2048, threads: 2 });
    expect(recommendedRuntime(32768, 12 * 2 ** 30, 8)).toEqual({ contextSize: 4096, threads: 7 });
    expect(recommendedRuntime(2048, 64 * 2 ** 30, 16)).toEqual({ contextSize: 2048, threads: 15 });
    expect(recommendedRuntime(null, 32 * 2 ** 30, 4)).toEqual({ contextSize: 8192, threads: 4 });
  });
});

describe('a local GGUF model through node-llama-cpp, in its own process', () => {
  it('loads, streams an answer, stops half-way, answers again and unloads', async () => {
    const chat = new LocalChat(launcher, { modelPath: tiny, threads: 1 });
    const loaded = await chat.load();
    // The trained context (4,096) under this machine's cap.
    expect(loaded.contextSize).toBe(recommendedRuntime(4096).contextSize);
    expect(loaded.trainContextSize).toBe(4096);

    const whole: string[] = [];
    const first = await chat.chat(ask('Why did revenue rise?', 200), (t) => whole.push(t));
    expect(first.stopped).toBe(false);
    expect(whole.length).toBeGreaterThan(2);
    expect(first.text).toBe(whole.join(''));

    const controller = new AbortController();
    const pieces: string[] = [];
    const stopped = await chat.chat(
      ask('Why did revenue rise?', 200),
      (t) => {
        pieces.push(t);
        if (pieces.length === 3) controller.abort();
      },
      controller.signal,
    );
    expect(stopped.stopped).toBe(true);
    expect(pieces.length).toBeLessThan(whole.length);
    expect(stopped.text).toBe(pieces.join(''));
    // Deterministic at temperature 0 from a clean sequence: the stopped answer began as the first did.
    expect(first.text.startsWith(pieces.slice(0, 2).join(''))).toBe(true);

    // Five tokens of nonsense reach the limit before the model ends its answer.
    expect((await chat.chat(ask('Why?', 5), () => {})).truncated).toBe(true);

    // Stop pressed while the model was still loading (or busy): nothing is generated.
    const early = new AbortController();
    early.abort();
    expect(await chat.chat(ask('Why?'), () => {}, early.signal)).toEqual({ text: '', stopped: true });

    const again = await chat.chat(
      {
        ...ask('And orders?'),
        messages: [
          { role: 'user', text: 'Why did revenue rise?' },
          { role: 'assistant', text: first.text },
          { role: 'user', text: 'And orders?' },
        ],
      },
      () => {},
    );
    expect(again.text.length).toBeGreaterThan(0);
    const ctx = loaded.contextSize;
    expect(await chat.promptBudget()).toBe(Math.floor((ctx - Math.min(512, Math.floor(ctx / 3)) - 64) * 3.2));
    // Byte-level vocabulary: a word outside it takes one token per byte, plus the start token.
    expect(await chat.tokens.count('zq')).toBe(3);
    await chat.close();
  }, 60_000);

  it('survives a model file that makes llama.cpp abort, and says so', async () => {
    const hostile = path.join(dir, 'hostile.gguf');
    writeTinyLlama(hostile, { heads: 0, ropeDimensions: 16 });
    const chat = new LocalChat(launcher, { modelPath: hostile });
    await expect(chat.load()).rejects.toMatchObject({ code: 'MODEL_CRASHED', message: expect.stringContaining('GGML_ASSERT') });
    // The host is fine and another model still loads.
    const good = new LocalChat(launcher, { modelPath: tiny });
    await expect(good.load()).resolves.toMatchObject({ trainContextSize: 4096 });
    await good.close();
  }, 60_000);

  it('reports a truncated file and a missing file as typed errors', async () => {
    const truncated = path.join(dir, 'truncated.gguf');
    const bytes = readFileSync(tiny);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(new LocalChat(launcher, { modelPath: truncated }).load()).rejects.toMatchObject({ code: 'MODEL_INVALID' });
    await expect(new LocalChat(launcher, { modelPath: path.join(dir, 'nope.gguf') }).load()).rejects.toMatchObject({
      code: 'MODEL_MISSING',
    });
  }, 60_000);

  it('trims the evidence to the real context, counted with the model tokenizer', async () => {
    const demo = path.resolve(__dirname, '../../../data/factorlens_demo_sales.csv');
    const a = await runAnalyze({
      source: { kind: 'file', path: demo },
      options: AnalyzeOptionsSchema.parse({ groupBy: ['region', 'channel'], metrics: ['revenue_usd'], rankBy: 'revenue_usd' }),
    });
    const all = evidenceOf(a).length;
    // 1,024 tokens less 64 for the answer and 64 for the chat markup; this byte-level vocabulary
    // spends about a token per character, so not every line fits.
    const chat = new LocalChat(launcher, { modelPath: tiny, contextSize: 1024, answerTokens: 64, threads: 1 });
    const r = await explainRun(chat, { artifact: a, question: 'Which segment leads?', maxTokens: 8, temperature: 0 }, () => {});
    expect(r.omitted).toBeGreaterThan(0);
    expect(r.evidence.length + r.omitted).toBe(all);
    expect(r.evidence.map((e) => e.id)).toEqual(
      evidenceOf(a)
        .slice(0, r.evidence.length)
        .map((e) => e.id),
    );
    await chat.close();
  }, 60_000);

  it('a context too small for the instructions: shorter instructions and fewer lines, not a refusal; only a question that does not fit is refused', async () => {
    const demo = path.resolve(__dirname, '../../../data/factorlens_demo_sales.csv');
    const a = await runAnalyze({
      source: { kind: 'file', path: demo },
      options: AnalyzeOptionsSchema.parse({ groupBy: ['region', 'channel'], metrics: ['revenue_usd'], rankBy: 'revenue_usd' }),
    });
    const all = evidenceOf(a).length;
    // 768 tokens less 256 for the answer and 64 for the chat markup leave 448: the full
    // instructions alone take about 510 in this byte-level vocabulary.
    const chat = new LocalChat(launcher, { modelPath: tiny, contextSize: 768, answerTokens: 256, threads: 1 });
    const limit = await chat.tokens.limit();
    expect(limit).toBe(448);
    expect(await chat.tokens.count(SYSTEM_PROMPT)).toBeGreaterThan(limit);
    const sent: ChatRequest[] = [];
    const watched: ChatBackend = {
      label: chat.label,
      tokens: chat.tokens,
      promptBudget: () => chat.promptBudget(),
      close: () => chat.close(),
      chat: (req, onText, signal) => (sent.push(req), chat.chat(req, onText, signal)),
    };
    const r = await explainRun(watched, { artifact: a, question: 'Which segment leads?', maxTokens: 8, temperature: 0 }, () => {});
    expect(r.stopped).toBe(false);
    expect(r.instructions).toBe('short');
    expect(r.evidence.length).toBeGreaterThan(0);
    expect(r.omitted).toBeGreaterThan(0);
    expect(r.evidence.length + r.omitted).toBe(all);
    expect(sent[0]!.system).toContain(`(${r.omitted} lower-ranked evidence line`);
    expect(await chat.tokens.count([sent[0]!.system, ...sent[0]!.messages.map((m) => m.text)].join('\n'))).toBeLessThanOrEqual(limit);

    // A question longer than the whole prompt budget is refused, saying so.
    await expect(
      explainRun(chat, { artifact: a, question: 'Why did revenue rise in every region? '.repeat(12) }, () => {}),
    ).rejects.toMatchObject({
      code: 'LLM_FAILED',
      message: expect.stringMatching(/^the question alone takes \d+ tokens, more than the 448 this model's context leaves for a prompt$/),
      hint: expect.stringContaining('Ask a shorter question'),
    });
    await chat.close();

    // 256 tokens: room for the question and a line, without instructions; the answer still runs.
    const tiny256 = new LocalChat(launcher, { modelPath: tiny, contextSize: 256, answerTokens: 32, threads: 1 });
    const bare = await explainRun(tiny256, { artifact: a, question: 'Which segment leads?', maxTokens: 8, temperature: 0 }, () => {});
    expect(bare.instructions).toBe('none');
    expect(bare.omitted).toBe(all - bare.evidence.length);
    await tiny256.close();
  }, 60_000);
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../../src-shared/analyze-options';
import { runAnalyze } from '../engine/analyze/run';
import type { ChatTurn } from './chat';
import { evidenceOf } from './evidence';
import { fitPrompt, type PromptBuilder } from './fit-prompt';
import { buildPrompt, SHORT_SYSTEM_PROMPT, SYSTEM_PROMPT } from './prompt';

const data = path.resolve(__dirname, '../../data');

describe('fitting a prompt to a model that counts tokens (here one token per character)', async () => {
  const a = await runAnalyze({
    source: { kind: 'file', path: path.join(data, 'factorlens_demo_sales.csv') },
    options: AnalyzeOptionsSchema.parse({ groupBy: ['region', 'channel'], metrics: ['revenue_usd'], rankBy: 'revenue_usd' }),
  });
  const all = evidenceOf(a);
  const question = 'Which segment leads?';
  const build: PromptBuilder = ({ maxLines, instructions }) =>
    buildPrompt(a, question, { maxChars: maxLines === undefined ? 6000 : Infinity, maxLines, instructions });
  const tokens = (limit: number) => ({ limit: async () => limit, count: async (text: string) => text.length });
  const sentLength = (system: string, history: ChatTurn[], user: string) =>
    [system, ...history.map((t) => t.text), user].filter(Boolean).join('\n').length;
  const turns = (): ChatTurn[] => [
    { role: 'user', text: 'What is the total?' },
    { role: 'assistant', text: 'x'.repeat(400) },
    { role: 'user', text: 'And the top segment?' },
    { role: 'assistant', text: 'y'.repeat(400) },
  ];
  const whole = build({});

  it('keeps everything that fits, and drops the oldest exchanges first', async () => {
    const history = turns();
    const roomy = await fitPrompt(tokens(100_000), build, history);
    expect(roomy).toEqual(whole);
    expect(history).toHaveLength(4);
    const oneExchange = sentLength(whole.system, history.slice(2), whole.user);
    const p = await fitPrompt(tokens(oneExchange), build, history);
    expect(history.map((t) => t.text)).toEqual(['And the top segment?', 'y'.repeat(400)]);
    expect(p).toEqual(whole);
  });

  it('then leaves out the lowest-ranked lines, as many as needed and no more', async () => {
    const history = turns();
    const limit = sentLength(buildPrompt(a, question, { maxChars: Infinity, maxLines: 4 }).system, [], whole.user) + 5;
    const p = await fitPrompt(tokens(limit), build, history);
    expect(history).toEqual([]);
    expect(p.instructions).toBe('full');
    expect(p.evidence.map((e) => e.id)).toEqual(all.slice(0, 4).map((e) => e.id));
    expect(p.omitted).toBe(all.length - 4);
    expect(p.system).toContain(`(${all.length - 4} lower-ranked evidence lines were left out to fit`);
    expect(sentLength(p.system, [], p.user)).toBeLessThanOrEqual(limit);
  });

  it('takes the short instructions when the full ones leave no room for a line, then none; the question always stays', async () => {
    // Room for the short instructions, the question and two lines, not for the full instructions and one line.
    const two = sentLength(buildPrompt(a, question, { maxChars: Infinity, maxLines: 2, instructions: 'short' }).system, [], whole.user);
    expect(two).toBeLessThan(sentLength(buildPrompt(a, question, { maxChars: Infinity, maxLines: 1 }).system, [], whole.user));
    const short = await fitPrompt(tokens(two), build, []);
    expect(short.instructions).toBe('short');
    expect(short.system.startsWith(`${SHORT_SYSTEM_PROMPT}\n\nEvidence:\n[E1] `)).toBe(true);
    expect(short.evidence).toHaveLength(2);
    expect(short.omitted).toBe(all.length - 2);

    // Only the question fits (and SYSTEM_PROMPT alone would be too long).
    const bare = await fitPrompt(tokens(whole.user.length + 5), build, []);
    expect(whole.user.length + 5).toBeLessThan(SYSTEM_PROMPT.length);
    expect(bare).toMatchObject({ system: '', user: `Question: ${question}`, evidence: [], omitted: all.length, instructions: 'none' });
  });

  it('refuses a question that does not fit on its own, with a typed error', async () => {
    await expect(fitPrompt(tokens(20), build, turns())).rejects.toMatchObject({
      code: 'LLM_FAILED',
      message: `the question alone takes ${whole.user.length} tokens, more than the 20 this model's context leaves for a prompt`,
      hint: expect.stringContaining('Ask a shorter question'),
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from '../../tests/llm/fake-bedrock';
import { BedrockChat } from './bedrock';

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
});

const ask = {
  system: 'You explain computed numbers.',
  messages: [{ role: 'user' as const, text: 'Why did revenue rise?' }],
  maxTokens: 300,
  temperature: 0.2,
};

describe('Bedrock through the SDK against a loopback ConverseStream server', () => {
  it('sends the system prompt, model id and inference settings, and streams the answer', async () => {
    const chat = new BedrockChat({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', endpoint: fake.url });
    fake.reply({ kind: 'answer', chunks: ['Revenue ', 'rose by ', '1,234 [E1].'] });
    const pieces: string[] = [];
    const result = await chat.chat(ask, (t) => pieces.push(t));
    expect(pieces).toEqual(['Revenue ', 'rose by ', '1,234 [E1].']);
    expect(result).toEqual({ text: 'Revenue rose by 1,234 [E1].', stopped: false, truncated: false });
    const req = fake.requests.at(-1)!;
    expect(req.operation).toBe('converse-stream');
    expect(req.modelId).toBe('anthropic.claude-3-haiku-20240307-v1:0');
    expect(req.body.system).toEqual([{ text: 'You explain computed numbers.' }]);
    expect(req.body.messages).toEqual([{ role: 'user', content: [{ text: 'Why did revenue rise?' }] }]);
    expect(req.body.inferenceConfig).toEqual({ maxTokens: 300, temperature: 0.2 });
    // SigV4-signed for the configured region with the environment's keys.
    expect(String(req.headers.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTESTTESTTEST\/\d{8}\/eu-west-1\/bedrock\/aws4_request/,
    );
    await chat.close();
  });

  it('retries throttling and then answers', async () => {
    const chat = new BedrockChat({ modelId: 'm1', endpoint: fake.url });
    const before = fake.requests.length;
    fake.reply(
      { kind: 'error', status: 429, type: 'ThrottlingException', message: 'Too many requests' },
      { kind: 'error', status: 429, type: 'ThrottlingException', message: 'Too many requests' },
      { kind: 'answer', chunks: ['ok'] },
    );
    expect(await chat.chat(ask, () => {})).toEqual({ text: 'ok', stopped: false, truncated: false });
    expect(fake.requests.length - before).toBe(3);
    // An answer that reached maxTokens says so.
    fake.reply({ kind: 'answer', chunks: ['Revenue rose because'], stopReason: 'max_tokens' });
    expect(await chat.chat(ask, () => {})).toEqual({ text: 'Revenue rose because', stopped: false, truncated: true });
    await chat.close();
  });

  it('gives up on throttling after its attempts with a typed error', async () => {
    const chat = new BedrockChat({ modelId: 'm1', endpoint: fake.url, maxAttempts: 2 });
    const throttled = { kind: 'error' as const, status: 429, type: 'ThrottlingException', message: 'Too many requests' };
    fake.reply(throttled, throttled);
    await expect(chat.chat(ask, () => {})).rejects.toMatchObject({ code: 'LLM_THROTTLED' });
    await chat.close();
  });

  it('explains access denied, an unknown model and expired credentials', async () => {
    const chat = new BedrockChat({ modelId: 'anthropic.claude-3-opus', endpoint: fake.url });
    fake.reply({
      kind: 'error',
      status: 403,
      type: 'AccessDeniedException',
      message: "You don't have access to the model with the specified model ID.",
    });
    await expect(chat.chat(ask, () => {})).rejects.toMatchObject({
      code: 'LLM_ACCESS_DENIED',
      message: expect.stringContaining('anthropic.claude-3-opus in eu-west-1'),
    });
    fake.reply({ kind: 'error', status: 400, type: 'ValidationException', message: 'The provided model identifier is invalid.' });
    await expect(chat.chat(ask, () => {})).rejects.toMatchObject({ code: 'LLM_MODEL_NOT_FOUND' });
    fake.reply({
      kind: 'error',
      status: 403,
      type: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
    await expect(chat.chat(ask, () => {})).rejects.toMatchObject({ code: 'LLM_CREDENTIALS' });
    await chat.close();
  });

  it('stops a streaming answer half-way and keeps what arrived', async () => {
    const chat = new BedrockChat({ modelId: 'm1', endpoint: fake.url });
    fake.reply({ kind: 'answer', chunks: ['one ', 'two ', 'three ', 'four ', 'five '], delayMs: 80 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const result = await chat.chat(
      ask,
      (t) => {
        pieces.push(t);
        if (pieces.length === 2) controller.abort();
      },
      controller.signal,
    );
    expect(result.stopped).toBe(true);
    expect(result.text).toBe('one two ');
    await chat.close();
  });

  it('checks access with a Converse call', async () => {
    const chat = new BedrockChat({ modelId: 'm1', endpoint: fake.url });
    fake.reply({ kind: 'answer', chunks: ['OK'] });
    expect(await chat.check()).toBe('OK');
    expect(fake.requests.at(-1)!.operation).toBe('converse');
    await chat.close();
  });

  it('says when the endpoint cannot be reached', async () => {
    const chat = new BedrockChat({ modelId: 'm1', endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    await expect(chat.chat(ask, () => {})).rejects.toMatchObject({ code: 'LLM_UNREACHABLE' });
    await chat.close();
  });
});

/**
 * A loopback HTTP/2 server (cleartext, as the SDK's HTTP/2 handler connects to an http endpoint) that speaks Amazon Bedrock's Converse and ConverseStream protocol
 * (restJson1; streaming answers in the AWS event-stream framing, encoded with the SDK's own
 * codec), so the real SDK client can be tested over the wire with an endpoint override.
 */
import {
  createServer,
  type Http2ServerRequest as IncomingMessage,
  type Http2ServerResponse as ServerResponse,
  type Http2Session,
} from 'node:http2';
import type { AddressInfo } from 'node:net';
import { EventStreamCodec } from '@smithy/core/event-streams';

export type FakeReply =
  | { kind: 'answer'; chunks: string[]; delayMs?: number; stopReason?: string }
  | { kind: 'error'; status: number; type: string; message: string };

export interface RecordedRequest {
  path: string;
  operation: 'converse' | 'converse-stream';
  modelId: string;
  headers: IncomingMessage['headers'];
  body: {
    system?: { text: string }[];
    messages: { role: string; content: { text: string }[] }[];
    inferenceConfig?: { maxTokens?: number; temperature?: number };
  };
}

export interface FakeBedrock {
  url: string;
  requests: RecordedRequest[];
  /** Queues replies; when the queue is empty, `fallback` answers. */
  reply(...replies: FakeReply[]): void;
  fallback: (request: RecordedRequest) => FakeReply;
  close(): Promise<void>;
}

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

function eventFrame(type: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  });
}

function sendError(res: ServerResponse, reply: Extract<FakeReply, { kind: 'error' }>): void {
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'x-amzn-errortype': `${reply.type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    'x-amzn-requestid': 'fake-request',
  });
  res.end(JSON.stringify({ message: reply.message }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeBedrock(): Promise<FakeBedrock> {
  const queue: FakeReply[] = [];
  const fake: FakeBedrock = {
    url: '',
    requests: [],
    reply: (...replies) => void queue.push(...replies),
    fallback: () => ({ kind: 'answer', chunks: ['No ', 'scripted ', 'answer.'] }),
    close: async () => {},
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const match = /^\/model\/([^/]+)\/(converse-stream|converse)$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !match) {
          res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'UnknownOperationException' });
          res.end(JSON.stringify({ message: `no such operation ${req.method} ${req.url}` }));
          return;
        }
        const recorded: RecordedRequest = {
          path: req.url!,
          operation: match[2] as RecordedRequest['operation'],
          modelId: decodeURIComponent(match[1]!),
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as RecordedRequest['body'],
        };
        fake.requests.push(recorded);
        const reply = queue.shift() ?? fake.fallback(recorded);
        if (reply.kind === 'error') return sendError(res, reply);
        const text = reply.chunks.join('');
        const usage = { inputTokens: 100, outputTokens: reply.chunks.length, totalTokens: 100 + reply.chunks.length };
        if (recorded.operation === 'converse') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              output: { message: { role: 'assistant', content: [{ text }] } },
              stopReason: 'end_turn',
              usage,
              metrics: { latencyMs: 5 },
            }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'fake-request' });
        res.write(eventFrame('messageStart', { role: 'assistant' }));
        for (const chunk of reply.chunks) {
          if (res.destroyed) return;
          if (reply.delayMs) await sleep(reply.delayMs);
          res.write(eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: chunk } }));
        }
        res.write(eventFrame('contentBlockStop', { contentBlockIndex: 0 }));
        res.write(eventFrame('messageStop', { stopReason: reply.stopReason ?? 'end_turn' }));
        res.write(eventFrame('metadata', { usage, metrics: { latencyMs: 5 } }));
        res.end();
      })();
    });
  });
  const sessions = new Set<Http2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const session of sessions) session.destroy();
      server.close(() => resolve());
    });
  return fake;
}

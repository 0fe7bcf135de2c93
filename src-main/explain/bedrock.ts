import type { BedrockRuntimeClient as Client, ConverseStreamCommandInput } from '@aws-sdk/client-bedrock-runtime';
import { AppError } from '../../src-shared/errors';
import type { ChatBackend, ChatRequest, ChatResult } from './chat';

export interface BedrockSettings {
  modelId: string;
  /** AWS region; empty uses AWS_REGION / AWS_DEFAULT_REGION / the profile's region. */
  region?: string | null;
  /** A named profile of the shared AWS config; empty uses the SDK's default credential chain. */
  profile?: string | null;
  /** An endpoint override (a VPC endpoint, or a test server). */
  endpoint?: string | null;
  /** Milliseconds to wait for a connection, and for the next bytes of a streaming answer. */
  connectTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** Attempts in all, the first included; throttling and server errors are retried with backoff. */
  maxAttempts?: number;
}

/** Streams answers from Amazon Bedrock's Converse API (ConverseStream) through the AWS SDK. */
export class BedrockChat implements ChatBackend {
  readonly label: string;
  private client: Client | null = null;

  constructor(private readonly settings: BedrockSettings) {
    this.label = `bedrock: ${settings.modelId}`;
  }

  private async getClient(): Promise<Client> {
    if (this.client) return this.client;
    // The SDK is loaded on first use, so commands that never ask Bedrock don't pay for it. Its
    // notice that later releases need Node 22 is for us (the lockfile pins this release; the
    // desktop app runs Electron's Node 22), not for the analyst's terminal.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
    const s = this.settings;
    this.client = new BedrockRuntimeClient({
      ...(s.region ? { region: s.region } : {}),
      ...(s.profile ? { profile: s.profile } : {}),
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      maxAttempts: s.maxAttempts ?? 4,
      retryMode: 'standard',
      requestHandler: { connectionTimeout: s.connectTimeoutMs ?? 10_000, requestTimeout: s.idleTimeoutMs ?? 60_000 },
    });
    return this.client;
  }

  async promptBudget(): Promise<number> {
    // Bedrock's chat models read 100k+ tokens; the evidence of a run is far smaller than this.
    return 24_000;
  }

  async chat(request: ChatRequest, onText: (text: string) => void, signal?: AbortSignal): Promise<ChatResult> {
    const { ConverseStreamCommand } = await import('@aws-sdk/client-bedrock-runtime');
    const client = await this.getClient();
    const input: ConverseStreamCommandInput = {
      modelId: this.settings.modelId,
      system: [{ text: request.system }],
      messages: request.messages.map((m) => ({ role: m.role, content: [{ text: m.text }] })),
      inferenceConfig: { maxTokens: request.maxTokens, temperature: request.temperature },
    };
    let text = '';
    try {
      const response = await client.send(new ConverseStreamCommand(input), { abortSignal: signal });
      if (!response.stream) return { text, stopped: false };
      // The SDK's abort signal covers the request; once the answer streams, Stop ends the stream here.
      const events = response.stream[Symbol.asyncIterator]();
      const aborted = new Promise<'aborted'>((resolve) => {
        if (signal?.aborted) resolve('aborted');
        signal?.addEventListener('abort', () => resolve('aborted'), { once: true });
      });
      let truncated = false;
      for (;;) {
        const next = await Promise.race([events.next(), aborted]);
        if (next === 'aborted') {
          void events.return?.().catch(() => {});
          return { text, stopped: true };
        }
        if (next.done) return { text, stopped: false, truncated };
        if (next.value.messageStop?.stopReason === 'max_tokens') truncated = true;
        const delta = next.value.contentBlockDelta?.delta?.text;
        if (delta) {
          text += delta;
          onText(delta);
        }
      }
    } catch (err) {
      if (signal?.aborted) return { text, stopped: true };
      throw bedrockError(err, this.settings);
    }
  }

  /** A one-word Converse call (not streamed) that proves the model id, region and credentials work. */
  async check(signal?: AbortSignal): Promise<string> {
    const { ConverseCommand } = await import('@aws-sdk/client-bedrock-runtime');
    const client = await this.getClient();
    try {
      const out = await client.send(
        new ConverseCommand({
          modelId: this.settings.modelId,
          messages: [{ role: 'user', content: [{ text: 'Reply with the single word OK.' }] }],
          inferenceConfig: { maxTokens: 10, temperature: 0 },
        }),
        { abortSignal: signal },
      );
      return (out.output?.message?.content ?? [])
        .map((c) => c.text ?? '')
        .join('')
        .trim();
    } catch (err) {
      throw bedrockError(err, this.settings);
    }
  }

  async close(): Promise<void> {
    this.client?.destroy();
    this.client = null;
  }
}

/** Turns an SDK or network failure into an error that says what to do. */
export function bedrockError(err: unknown, settings: BedrockSettings): AppError {
  const e = err as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? '';
  const message = e.message ?? String(err);
  const model = settings.modelId;
  const region = settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'the default region';
  if (name === 'AccessDeniedException')
    return new AppError(
      'LLM_ACCESS_DENIED',
      `your AWS identity may not use ${model} in ${region}: ${message}`,
      'Request access to the model in the Bedrock console (Model access) for this region, or use a role whose policy allows bedrock:InvokeModelWithResponseStream.',
    );
  if (
    [
      'ExpiredTokenException',
      'ExpiredToken',
      'UnrecognizedClientException',
      'InvalidSignatureException',
      'CredentialsProviderError',
      'TokenProviderError',
    ].includes(name) ||
    /credential|security token/i.test(message)
  )
    return new AppError(
      'LLM_CREDENTIALS',
      `AWS did not accept the credentials: ${message}`,
      'Sign in again (aws sso login, or refresh the keys of the profile), or pick another profile in the settings.',
    );
  if (
    name === 'ResourceNotFoundException' ||
    (name === 'ValidationException' && /model identifier|model id|not found|on-demand throughput/i.test(message))
  )
    return new AppError(
      'LLM_MODEL_NOT_FOUND',
      `Bedrock has no model ${model} that you can call in ${region}: ${message}`,
      'Check the model id and the region (models and inference profiles differ by region).',
    );
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException' || e.$metadata?.httpStatusCode === 429)
    return new AppError(
      'LLM_THROTTLED',
      `Bedrock is throttling requests to ${model} (retried ${settings.maxAttempts ?? 4} times): ${message}`,
      'Wait a minute and ask again, or ask for a higher quota for this model.',
    );
  if (name === 'TimeoutError' || name === 'ModelTimeoutException' || /timed? ?out/i.test(message))
    return new AppError(
      'LLM_TIMEOUT',
      `Bedrock did not answer in time: ${message}`,
      'Ask again; if it keeps happening, check the network or raise the timeout in the settings.',
    );
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH'].includes(e.code ?? '') ||
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(message)
  )
    return new AppError(
      'LLM_UNREACHABLE',
      `cannot reach Bedrock${settings.endpoint ? ` at ${settings.endpoint}` : ''}: ${message}`,
      'Check the network (or the endpoint override) and the region.',
    );
  if (/region is missing/i.test(message))
    return new AppError(
      'LLM_MODEL_NOT_FOUND',
      'no AWS region is set for Bedrock',
      'Set the region in the explain settings, or AWS_REGION in the environment.',
    );
  return new AppError(
    'LLM_FAILED',
    `Bedrock failed: ${name ? `${name}: ` : ''}${message}`,
    'Ask again; if it keeps failing, check the model id, region and credentials.',
  );
}

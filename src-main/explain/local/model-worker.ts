/**
 * Entry of the local model process. llama.cpp runs here, never in the main process: a model file
 * that makes it abort (some malformed headers do) ends this process only, and the host reports it.
 * One model per process; one answer at a time.
 */
import { onParentMessage, toParent } from '../../process/parent-port';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import { AppError, toErrorInfo } from '../../../src-shared/errors';
import type { FromModel, ToModel } from './protocol';

function send(message: FromModel): void {
  toParent(message);
}

let llama: Llama | null = null;
let model: LlamaModel | null = null;
let context: LlamaContext | null = null;
let sequence: LlamaContextSequence | null = null;
const running = new Map<number, AbortController>();
/** The last thing llama.cpp complained about, to explain a failed load. */
let lastLog = '';

async function load(message: Extract<ToModel, { type: 'load' }>): Promise<void> {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  // CPU only and no build step: the prebuilt binaries that come with the package are used as they are.
  llama = await getLlama({
    gpu: false,
    build: 'never',
    logLevel: LlamaLogLevel.warn,
    logger: (level, text) => {
      if (level === LlamaLogLevel.error || level === LlamaLogLevel.warn) lastLog = text.trim() || lastLog;
    },
  });
  try {
    model = await llama.loadModel({ modelPath: message.modelPath });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new AppError(
      'MODEL_INVALID',
      `llama.cpp could not load ${message.modelPath}: ${why}${lastLog && !why.includes(lastLog) ? ` (${lastLog})` : ''}`,
      'The file may be incomplete or a model architecture this build does not support; download it again or pick another GGUF model.',
    );
  }
  const contextSize = Math.min(message.contextSize, model.trainContextSize || message.contextSize);
  try {
    context = await model.createContext({ contextSize, threads: message.threads });
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new AppError(
      'LLM_FAILED',
      `not enough memory for ${message.modelPath} with a context of ${contextSize} tokens: ${why}`,
      'Lower the context size in the explain settings (--context-size), or use a smaller model.',
    );
  }
  sequence = context.getSequence();
  send({ type: 'loaded', model: { contextSize: context.contextSize, trainContextSize: model.trainContextSize, threads: message.threads } });
}

async function chat(message: Extract<ToModel, { type: 'chat' }>): Promise<void> {
  if (!sequence) throw new AppError('MODEL_MISSING', 'no model is loaded', 'Load a model first.');
  const { LlamaChatSession } = await import('node-llama-cpp');
  const { request, id } = message;
  const controller = new AbortController();
  running.set(id, controller);
  const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: request.system, autoDisposeSequence: false });
  try {
    const turns = request.messages;
    const earlier = turns.slice(0, -1);
    if (earlier.length > 0) {
      session.setChatHistory([
        { type: 'system', text: request.system },
        ...earlier.map((t) =>
          t.role === 'user' ? { type: 'user' as const, text: t.text } : { type: 'model' as const, response: [t.text] },
        ),
      ]);
    }
    const question = turns.at(-1)?.text ?? '';
    let text = '';
    const meta = await session.promptWithMeta(question, {
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      signal: controller.signal,
      stopOnAbortSignal: true,
      onTextChunk: (chunk) => {
        text += chunk;
        send({ type: 'text', id, text: chunk });
      },
    });
    send({ type: 'done', id, text, stopped: controller.signal.aborted, truncated: meta.stopReason === 'maxTokens' });
  } finally {
    running.delete(id);
    session.dispose({ disposeSequence: false });
    // Each answer starts from a clean sequence; earlier turns are replayed from the request.
    await sequence.clearHistory();
  }
}

async function unload(): Promise<void> {
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
  process.exit(0);
}

async function handle(message: ToModel): Promise<void> {
  try {
    if (message.type === 'load') await load(message);
    else if (message.type === 'chat') await chat(message);
    else if (message.type === 'stop') running.get(message.id)?.abort();
    else if (message.type === 'count') {
      if (!model) throw new AppError('MODEL_MISSING', 'no model is loaded', 'Load a model first.');
      send({ type: 'count', id: message.id, tokens: model.tokenize(message.text).length });
    } else if (message.type === 'unload') await unload();
  } catch (err) {
    const text = err instanceof Error ? err.message : '';
    const info =
      message.type === 'chat' && /context shift|too long prompt/i.test(text)
        ? toErrorInfo(
            new AppError(
              'LLM_FAILED',
              `the question, evidence and earlier turns do not fit the model's context of ${context?.contextSize ?? '?'} tokens`,
              'Raise the context size in the explain settings (--context-size), clear the conversation, or use a model with a longer context.',
            ),
          )
        : toErrorInfo(err);
    send({ type: 'failed', id: message.type === 'chat' || message.type === 'count' ? message.id : null, error: info });
  }
}

onParentMessage((m) => void handle(m as ToModel));
// The host going away ends the model process too.
process.on('disconnect', () => process.exit(0));

import { existsSync } from 'node:fs';
import path from 'node:path';
import { AppError, fromErrorInfo } from '../../../src-shared/errors';
import { forkWorker, nodeChildLink, type ChildLink, type WorkerEntry } from '../../process/engine-process';
import { CHARS_PER_TOKEN, type ChatBackend, type ChatRequest, type ChatResult } from '../chat';
import type { FromModel, LoadedModel, ToModel } from './protocol';
import { recommendedRuntime } from './models';

export type ModelLink = ChildLink<ToModel, FromModel> & {
  /** The last lines llama.cpp wrote to stderr (an assertion that ended the process, say). */
  stderrTail?: () => string;
};
export type ModelLauncher = () => ModelLink;

/** The model process as a forked Node child (CLI, web host, tests); its stderr is kept to explain a crash. */
export function nodeModelLauncher(entry: WorkerEntry): ModelLauncher {
  return () => {
    // GGML_NO_BACKTRACE: an abort ends at once instead of attaching a debugger for a backtrace.
    const child = forkWorker(entry, { ...process.env, GGML_NO_BACKTRACE: '1' }, 'pipe');
    let tail = '';
    child.stderr?.on('data', (d: Buffer) => {
      tail = (tail + d.toString('utf8')).slice(-4000);
    });
    return { ...nodeChildLink<ToModel, FromModel>(child), stderrTail: () => tail };
  };
}

/** The line of llama.cpp's output that says why it stopped, if there is one. */
function crashReason(tail: string): string | null {
  const lines = tail
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const line = [...lines].reverse().find((l) => /GGML_ASSERT|error|failed|abort/i.test(l));
  return line ? line.replace(/^.*?llama\.cpp\/(src|ggml)\//, '') : null;
}

export interface LocalModelSettings {
  modelPath: string;
  /** Tokens of context; null picks one for this machine and model. */
  contextSize?: number | null;
  /** CPU threads; null picks one for this machine. */
  threads?: number | null;
  /** Tokens kept free for the answer. */
  answerTokens?: number;
}

interface Pending {
  onText: (text: string) => void;
  resolve: (result: ChatResult) => void;
  reject: (err: Error) => void;
  counted?: (tokens: number) => void;
}

/**
 * A local GGUF model answering through llama.cpp in its own process. The model stays loaded
 * between questions; if the process dies (a bad file, out of memory), the question fails with
 * MODEL_CRASHED and the next one starts a fresh process.
 */
export class LocalChat implements ChatBackend {
  readonly label: string;
  private link: ModelLink | null = null;
  private ready: Promise<LoadedModel> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Answers run one at a time: the model has one context sequence. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Processes ended on purpose (unload): their exit is not a crash. */
  private readonly closed = new WeakSet<ModelLink>();

  constructor(
    private readonly launch: ModelLauncher,
    private readonly settings: LocalModelSettings,
  ) {
    this.label = `local: ${path.basename(settings.modelPath)}`;
  }

  /** Starts the model process and loads the model (once; later calls share the load). */
  load(): Promise<LoadedModel> {
    if (this.ready) return this.ready;
    const file = this.settings.modelPath;
    if (!existsSync(file))
      return Promise.reject(
        new AppError(
          'MODEL_MISSING',
          `the model file ${file} does not exist`,
          'Pick a model in the model list, or add one with Add model….',
        ),
      );
    const runtime = recommendedRuntime(null);
    const link = this.launch();
    this.link = link;
    this.ready = new Promise<LoadedModel>((resolve, reject) => {
      let loaded = false;
      link.onMessage((m) => {
        if (m.type === 'loaded') {
          loaded = true;
          resolve(m.model);
        } else if (m.type === 'text') this.pending.get(m.id)?.onText(m.text);
        else if (m.type === 'count') {
          this.pending.get(m.id)?.counted?.(m.tokens);
          this.pending.delete(m.id);
        } else if (m.type === 'done') {
          this.pending.get(m.id)?.resolve({ text: m.text, stopped: m.stopped, truncated: m.truncated });
          this.pending.delete(m.id);
        } else if (m.type === 'failed' && m.id === null) {
          reject(fromErrorInfo(m.error));
          this.drop(link);
        } else if (m.type === 'failed') {
          const id = m.id ?? -1;
          this.pending.get(id)?.reject(fromErrorInfo(m.error));
          this.pending.delete(id);
        }
      });
      link.onExit((code) => {
        if (this.closed.has(link)) {
          const err = new AppError(
            'CANCELLED',
            'the local model was unloaded before it answered (the explain settings changed)',
            'Ask again.',
          );
          if (!loaded) reject(err);
          for (const p of this.pending.values()) p.reject(err);
          this.pending.clear();
          return;
        }
        const reason = crashReason(link.stderrTail?.() ?? '');
        const how = `${code === null ? 'was killed' : `stopped with exit code ${code}`}${reason ? ` (${reason})` : ''}`;
        const err = new AppError(
          'MODEL_CRASHED',
          loaded ? `the local model process ${how} while answering` : `the local model process ${how} while loading ${path.basename(file)}`,
          loaded
            ? 'Ask again (the model is loaded afresh); if it keeps happening, use a smaller context size or a smaller model.'
            : 'llama.cpp could not read this file: it may be damaged or made for another program. Pick another GGUF model.',
        );
        if (!loaded) reject(err);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        if (this.link === link) {
          this.link = null;
          this.ready = null;
        }
      });
      link.send({
        type: 'load',
        modelPath: file,
        contextSize: this.settings.contextSize ?? runtime.contextSize,
        threads: this.settings.threads ?? runtime.threads,
      });
    });
    return this.ready;
  }

  private drop(link: ModelLink): void {
    link.kill();
    if (this.link === link) {
      this.link = null;
      this.ready = null;
    }
  }

  /** Tokens kept for the answer: the setting, but never more than a third of the context. */
  private answerTokens(contextSize: number): number {
    return Math.min(this.settings.answerTokens ?? 512, Math.floor(contextSize / 3));
  }

  async promptBudget(): Promise<number> {
    return Math.max(1000, Math.floor((await this.tokens.limit()) * CHARS_PER_TOKEN));
  }

  readonly tokens = {
    /** Tokens the prompt may take: the context less the answer and the chat template's markup. */
    limit: async (): Promise<number> => {
      const model = await this.load();
      return model.contextSize - this.answerTokens(model.contextSize) - 64;
    },
    count: async (text: string): Promise<number> => {
      await this.load();
      const link = this.link;
      if (!link) throw new AppError('MODEL_CRASHED', 'the local model process is not running', 'Ask again.');
      const id = this.nextId++;
      return new Promise<number>((resolve, reject) => {
        this.pending.set(id, { onText: () => {}, resolve: () => {}, reject, counted: resolve });
        link.send({ type: 'count', id, text });
      });
    },
  };

  chat(request: ChatRequest, onText: (text: string) => void, signal?: AbortSignal): Promise<ChatResult> {
    const turn = this.queue.then(() => this.answer(request, onText, signal));
    this.queue = turn.catch(() => {});
    return turn;
  }

  private async answer(request: ChatRequest, onText: (text: string) => void, signal?: AbortSignal): Promise<ChatResult> {
    const model = await this.load();
    // Stopped while waiting for the model (loading, or another answer): nothing is sent.
    if (signal?.aborted) return { text: '', stopped: true };
    request = { ...request, maxTokens: Math.min(request.maxTokens, this.answerTokens(model.contextSize)) };
    const link = this.link;
    if (!link) throw new AppError('MODEL_CRASHED', 'the local model process is not running', 'Ask again.');
    const id = this.nextId++;
    return new Promise<ChatResult>((resolve, reject) => {
      this.pending.set(id, { onText, resolve, reject });
      const stop = () => link.send({ type: 'stop', id });
      if (signal?.aborted) stop();
      signal?.addEventListener('abort', stop, { once: true });
      link.send({ type: 'chat', id, request });
    });
  }

  /** Unloads the model and ends its process (killed if it does not end within 3 s). */
  async close(): Promise<void> {
    const link = this.link;
    if (!link) return;
    this.closed.add(link);
    this.link = null;
    this.ready = null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        link.kill();
        resolve();
      }, 3000);
      link.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      link.send({ type: 'unload' });
    });
  }
}

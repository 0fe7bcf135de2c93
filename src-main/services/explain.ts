import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  ExplainSettingsSchema,
  type ChatMessage,
  type Conversation,
  type ExplainSettings,
  type JobEvent,
  type ModelInfo,
} from '../../src-shared/contract';
import { AppError, toErrorInfo } from '../../src-shared/errors';
import { explainRun } from '../explain/answer';
import { openBackend } from '../explain/backends';
import { BedrockChat } from '../explain/bedrock';
import type { ChatBackend, ChatTurn } from '../explain/chat';
import { evidenceOf } from '../explain/evidence';
import { LocalChat, type ModelLauncher } from '../explain/local/local-model';
import { describeModel, listModels, recommendedRuntime, type ModelFolders } from '../explain/local/models';
import { evidenceSummary } from '../explain/prompt';
import type { ProjectStore } from './store/project-store';

const SETTINGS_KEY = 'explain_settings';

/**
 * The explain pane's service: settings, the model manager, and conversations saved with runs.
 * One backend is kept open (a local model stays loaded between questions) until the settings
 * change. Answers stream as job events; Stop aborts them and keeps what arrived.
 */
export class ExplainService {
  private backend: { key: string; backend: ChatBackend } | null = null;
  /** A backend being opened (a model loading): callers with the same settings share it. */
  private opening: { key: string; promise: Promise<ChatBackend> } | null = null;
  /** Backends replaced by new settings while answers still ran on them; closed when those end. */
  private readonly retired: ChatBackend[] = [];
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly store: ProjectStore,
    private readonly launchModel: ModelLauncher,
    private readonly folders: ModelFolders,
    private readonly emit: (event: JobEvent) => void,
  ) {}

  settings(): ExplainSettings {
    const raw = this.store.getMeta(SETTINGS_KEY);
    const parsed = ExplainSettingsSchema.safeParse(raw ? JSON.parse(raw) : {});
    return parsed.success ? parsed.data : ExplainSettingsSchema.parse({});
  }

  /** Saves the settings; the open backend is replaced at the next question, and only if what defines it changed. */
  async saveSettings(settings: ExplainSettings): Promise<ExplainSettings> {
    this.store.setMeta(SETTINGS_KEY, JSON.stringify(settings));
    return settings;
  }

  async models(): Promise<{ models: ModelInfo[]; folders: ModelFolders; recommended: { contextSize: number; threads: number } }> {
    mkdirSync(this.folders.user, { recursive: true });
    const models = await listModels(this.folders, this.settings().addedModels);
    return { models, folders: this.folders, recommended: recommendedRuntime(null) };
  }

  async addModel(file: string): Promise<ModelInfo> {
    const info = await describeModel(path.resolve(file), 'added');
    if (info.problem)
      throw new AppError('MODEL_INVALID', `${file}: ${info.problem}`, 'Pick a GGUF model file (the llama.cpp format, usually *.gguf).');
    const s = this.settings();
    const addedModels = s.addedModels.includes(info.path) ? s.addedModels : [...s.addedModels, info.path];
    await this.saveSettings({ ...s, addedModels, localModel: s.localModel ?? info.path });
    return info;
  }

  /** The settings to open a backend with; a local backend without a chosen model uses the first usable one found. */
  private async effectiveSettings(): Promise<ExplainSettings> {
    const s = this.settings();
    if (s.backend === 'local' && !s.localModel) {
      const first = (await listModels(this.folders, s.addedModels)).find((m) => m.problem === null);
      if (first) return { ...s, localModel: first.path };
    }
    return s;
  }

  /** The model the settings name, opened once and shared with the Explain pane (the investigation's model planner asks it too). */
  chat(): Promise<ChatBackend> {
    return this.getBackend();
  }

  private async getBackend(): Promise<ChatBackend> {
    const settings = await this.effectiveSettings();
    // The temperature is sent with each question; everything else defines the backend.
    const key = JSON.stringify({ ...settings, temperature: null, addedModels: null });
    if (this.backend?.key === key) return this.backend.backend;
    if (this.opening?.key === key) return this.opening.promise;
    if (this.backend) this.retire(this.backend.backend);
    this.backend = null;
    const promise = openBackend(settings, this.launchModel).then(
      (backend) => {
        if (this.opening?.promise === promise) {
          this.opening = null;
          this.backend = { key, backend };
        } else {
          // The settings changed while it opened: it serves the question that asked for it, then closes.
          this.retire(backend);
        }
        return backend;
      },
      (err: unknown) => {
        if (this.opening?.promise === promise) this.opening = null;
        throw err;
      },
    );
    this.opening = { key, promise };
    return promise;
  }

  /** Closes a replaced backend now, or when the answers running on it end (a model is not unloaded mid-answer). */
  private retire(backend: ChatBackend): void {
    if (this.running.size === 0) void backend.close();
    else this.retired.push(backend);
  }

  private async closeBackend(): Promise<void> {
    const current = this.backend;
    this.backend = null;
    await Promise.all([current?.backend.close(), ...this.retired.splice(0).map((b) => b.close())]);
  }

  /** Loads the local model, or asks Bedrock for one word, and says what happened. */
  async test(): Promise<{ backend: string; detail: string }> {
    const backend = await this.getBackend();
    if (backend instanceof LocalChat) {
      const m = await backend.load();
      return {
        backend: backend.label,
        detail: `loaded with a context of ${m.contextSize.toLocaleString('en-US')} tokens on ${m.threads} thread${m.threads === 1 ? '' : 's'}`,
      };
    }
    if (backend instanceof BedrockChat) return { backend: backend.label, detail: `answered "${(await backend.check()).slice(0, 40)}"` };
    return { backend: backend.label, detail: 'ready' };
  }

  conversation(runId: string): Conversation {
    const run = this.store.getRun(runId);
    const evidence = evidenceOf(run.artifact);
    return { runId, messages: this.store.getConversation(runId), evidence, summary: evidenceSummary(evidence, 8) };
  }

  clear(runId: string): Conversation {
    this.store.getRun(runId);
    this.store.saveConversation(runId, []);
    return this.conversation(runId);
  }

  /** Starts an answer; it streams as `text` events and ends with `answered` (or `failed`). */
  ask(runId: string, question: string, focus: number[] | null = null): string {
    const run = this.store.getRun(runId);
    if (focus && focus.length > 0 && run.kind !== 'factors')
      throw new AppError('BAD_REQUEST', 'only a factor model has factors to focus on', 'Ask without a focus.');
    const focused = focus && focus.length > 0 ? focus : null;
    const jobId = randomUUID();
    const earlier = this.store.getConversation(runId);
    const history: ChatTurn[] = earlier.filter((m) => !m.error && m.text.trim() !== '').map((m) => ({ role: m.role, text: m.text }));
    const asked: ChatMessage = { role: 'user', text: question, at: new Date().toISOString() };
    this.store.saveConversation(runId, [...earlier, asked]);
    const controller = new AbortController();
    this.running.set(jobId, controller);
    const settings = this.settings();
    void (async () => {
      let streamed = '';
      try {
        const backend = await this.getBackend();
        const answer = await explainRun(
          backend,
          { artifact: run.artifact, question, history, focus: focused, maxTokens: settings.maxTokens, temperature: settings.temperature },
          (text) => {
            streamed += text;
            this.emit({ jobId, type: 'text', text });
          },
          controller.signal,
        );
        const message: ChatMessage = {
          role: 'assistant',
          text: answer.text,
          at: new Date().toISOString(),
          backend: answer.backend,
          stopped: answer.stopped,
          ...(answer.truncated ? { truncated: true } : {}),
          grounded: answer.grounded,
          checks: answer.checks,
          omitted: answer.omitted,
          ...(focused ? { focus: focused, evidence: answer.evidence } : {}),
        };
        this.store.saveConversation(runId, [...this.store.getConversation(runId), message]);
        this.emit({ jobId, type: 'answered', runId, message });
      } catch (err) {
        const error = toErrorInfo(err);
        const message: ChatMessage = { role: 'assistant', text: streamed.trim(), at: new Date().toISOString(), error };
        try {
          this.store.saveConversation(runId, [...this.store.getConversation(runId), message]);
        } catch {
          // The run was removed meanwhile; there is nothing to save the failure with.
        }
        this.emit({ jobId, type: 'failed', error });
      } finally {
        this.running.delete(jobId);
        if (this.running.size === 0) for (const b of this.retired.splice(0)) void b.close();
      }
    })();
    return jobId;
  }

  /** Stops an answer; what arrived so far is kept and saved. */
  stop(jobId: string): boolean {
    const controller = this.running.get(jobId);
    if (!controller) return false;
    controller.abort();
    return true;
  }

  async shutdown(): Promise<void> {
    for (const c of this.running.values()) c.abort();
    await this.closeBackend();
  }
}

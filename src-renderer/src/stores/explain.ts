import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { CallResponse, ChatMessage, Conversation, ExplainSettings, JobEvent, ModelInfo } from '../../../src-shared/contract';
import { toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import { api } from '../api/client';

type ModelListing = CallResponse<'explain.models'>;

/** The explain pane: its settings, the model list, and the conversation of the open run. */
export const useExplain = defineStore('explain', () => {
  // Shown beside runs on wide windows until the analyst says otherwise (the choice is remembered).
  const remembered = localStorage.getItem('factorlens.explainOpen');
  const open = ref(remembered === null ? window.innerWidth >= 1500 : remembered === 'true');
  const settings = ref<ExplainSettings | null>(null);
  const listing = ref<ModelListing | null>(null);
  const conversation = ref<Conversation | null>(null);
  const loading = ref(false);
  const loadError = ref<ErrorInfo | null>(null);
  /** The answer being streamed: its job, its text so far. */
  const streaming = ref<{ jobId: string; runId: string; text: string } | null>(null);
  /** Why the last question could not be asked (shown above the input). */
  const askError = ref<ErrorInfo | null>(null);
  /** Events that arrived (over the web host's event stream) before the ask call returned their job id. */
  const early: JobEvent[] = [];
  const showSettings = ref(false);
  const testing = ref(false);
  const testResult = ref<{ ok: true; text: string } | { ok: false; error: ErrorInfo } | null>(null);

  /** The usable local models (their header could be read). */
  const usableModels = computed(() => (listing.value?.models ?? []).filter((m) => m.problem === null));
  /** The model that will answer, as the header shows it; null when none is set up. */
  const activeModel = computed<string | null>(() => {
    const s = settings.value;
    if (!s) return null;
    // anthropic.claude-3-haiku-20240307-v1:0 → claude-3-haiku-20240307 (the full id is in the settings).
    if (s.backend === 'bedrock')
      return s.bedrock.modelId ? `Bedrock · ${s.bedrock.modelId.replace(/^[a-z]+\./, '').replace(/-v\d+(:\d+)?$/, '')}` : null;
    if (s.localModel) {
      const chosen = usableModels.value.find((m) => m.path === s.localModel);
      return `Local · ${chosen?.file ?? `${s.localModel.split(/[\\/]/).pop()} (not found)`}`;
    }
    const first = usableModels.value[0];
    return first ? `Local · ${first.file}` : null;
  });

  function toggle(): void {
    open.value = !open.value;
    localStorage.setItem('factorlens.explainOpen', String(open.value));
  }

  async function loadSetup(): Promise<void> {
    try {
      [settings.value, listing.value] = await Promise.all([api.call('explain.settings', {}), api.call('explain.models', {})]);
    } catch (err) {
      loadError.value = toErrorInfo(err);
    }
  }

  async function loadConversation(runId: string): Promise<void> {
    if (conversation.value?.runId === runId) return;
    loading.value = true;
    loadError.value = null;
    try {
      conversation.value = await api.call('explain.conversation', { runId });
      if (!settings.value) await loadSetup();
    } catch (err) {
      loadError.value = toErrorInfo(err);
    } finally {
      loading.value = false;
    }
  }

  /** Asks; false when the question could not be sent (the error is in askError). */
  async function ask(runId: string, question: string, focus: number[] = []): Promise<boolean> {
    const q = question.trim();
    if (!q || streaming.value) return false;
    askError.value = null;
    // Claimed before the call, so a double click cannot ask twice.
    streaming.value = { jobId: '', runId, text: '' };
    const asked: ChatMessage = { role: 'user', text: q, at: new Date().toISOString() };
    const shown = conversation.value?.runId === runId ? conversation.value : null;
    const at = shown?.messages.length ?? 0;
    shown?.messages.push(asked);
    try {
      const { jobId } = await api.call('explain.ask', { runId, question: q, ...(focus.length > 0 ? { focus } : {}) });
      streaming.value = { jobId, runId, text: '' };
      for (const e of early.splice(0)) onJobEvent(e);
      return true;
    } catch (err) {
      streaming.value = null;
      shown?.messages.splice(at, 1);
      askError.value = toErrorInfo(err);
      return false;
    }
  }

  async function stop(): Promise<void> {
    const s = streaming.value;
    if (!s?.jobId) return;
    try {
      const { cancelled } = await api.call('jobs.cancel', { jobId: s.jobId });
      // Nothing was running under that id any more: the answer ended and its event was missed.
      if (!cancelled && streaming.value?.jobId === s.jobId) {
        streaming.value = null;
        await reload(s.runId);
      }
    } catch (err) {
      askError.value = toErrorInfo(err);
    }
  }

  async function reload(runId: string): Promise<void> {
    if (conversation.value?.runId === runId) conversation.value = await api.call('explain.conversation', { runId });
  }

  function finish(runId: string, message: ChatMessage): void {
    if (conversation.value?.runId === runId) conversation.value.messages.push(message);
    streaming.value = null;
  }

  function onJobEvent(event: JobEvent): void {
    const s = streaming.value;
    if (!s) return;
    if (!s.jobId) {
      // The ask call has not returned yet: keep text/answer events for when it does.
      if (event.type === 'text' || event.type === 'answered' || event.type === 'failed' || event.type === 'cancelled') early.push(event);
      return;
    }
    if (s.jobId !== event.jobId) return;
    if (event.type === 'text') s.text += event.text;
    else if (event.type === 'answered') finish(event.runId, event.message);
    else if (event.type === 'failed')
      finish(s.runId, { role: 'assistant', text: s.text.trim(), at: new Date().toISOString(), error: event.error });
    else if (event.type === 'cancelled') streaming.value = null;
  }

  async function clear(runId: string): Promise<void> {
    try {
      conversation.value = await api.call('explain.clear', { runId });
    } catch (err) {
      loadError.value = toErrorInfo(err);
    }
  }

  async function saveSettings(next: ExplainSettings): Promise<boolean> {
    try {
      settings.value = await api.call('explain.saveSettings', next);
      testResult.value = null;
      return true;
    } catch (err) {
      testResult.value = { ok: false, error: toErrorInfo(err) };
      return false;
    }
  }

  async function addModel(path: string): Promise<ModelInfo | null> {
    try {
      const info = await api.call('explain.addModel', { path });
      await loadSetup();
      return info;
    } catch (err) {
      testResult.value = { ok: false, error: toErrorInfo(err) };
      return null;
    }
  }

  async function test(): Promise<void> {
    testing.value = true;
    testResult.value = null;
    try {
      const r = await api.call('explain.test', {});
      testResult.value = { ok: true, text: `${r.backend}: ${r.detail}` };
    } catch (err) {
      testResult.value = { ok: false, error: toErrorInfo(err) };
    } finally {
      testing.value = false;
    }
  }

  return {
    open,
    settings,
    listing,
    conversation,
    loading,
    loadError,
    askError,
    streaming,
    showSettings,
    testing,
    testResult,
    usableModels,
    activeModel,
    toggle,
    loadSetup,
    loadConversation,
    ask,
    stop,
    onJobEvent,
    clear,
    saveSettings,
    addModel,
    test,
  };
});

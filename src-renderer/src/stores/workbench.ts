import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AnalyzeOptionsInput } from '../../../src-shared/analyze-options';
import type { SuggestArtifact } from '../../../src-shared/artifacts/suggest';
import type { CallRequest, Connection, ConnectionInput, Dataset, ExportFormat, JobEvent, NamedProfile, Preview, ProfileValues, Run, RunSummary } from '../../../src-shared/contract';
import { AppError, toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import { api } from '../api/client';

export type DatasetTab = 'preview' | 'analyze' | 'suggest' | 'drivers' | 'factors';
export type Selection =
  | { kind: 'none' }
  | { kind: 'dataset'; id: string; tab: DatasetTab }
  | { kind: 'run'; id: string }
  | { kind: 'profiles' }
  | { kind: 'databases'; connectionId?: string }
  | { kind: 'compare'; baseId?: string; newId?: string };

export interface ActiveJob {
  jobId: string;
  datasetId: string;
  fraction: number;
  stage: string;
}

/** The engine jobs a dataset tab starts, by call prefix. */
interface EngineStarts {
  drivers: CallRequest<'drivers.start'>;
  investigate: CallRequest<'investigate.start'>;
  factors: CallRequest<'factors.start'>;
  regression: CallRequest<'regression.start'>;
}

/** The state of the open workspace: datasets, run history, what is selected, the running job. */
export const useWorkbench = defineStore('workbench', () => {
  const workspaceName = ref('');
  const workspacePath = ref('');
  const datasets = ref<Dataset[]>([]);
  const runs = ref<RunSummary[]>([]);
  const loading = ref(true);
  const loadError = ref<ErrorInfo | null>(null);
  const selection = ref<Selection>({ kind: 'none' });
  const previews = ref<Record<string, Preview>>({});
  const previewError = ref<ErrorInfo | null>(null);
  const currentRun = ref<Run | null>(null);
  const runLoading = ref(false);
  const job = ref<ActiveJob | null>(null);
  const adding = ref(false);
  /** Errors to show as notifications (the App drains this queue). */
  const errors = ref<ErrorInfo[]>([]);
  const notices = ref<string[]>([]);
  const builtinProfiles = ref<NamedProfile[]>([]);
  const savedProfiles = ref<NamedProfile[]>([]);
  const suggestions = ref<Record<string, SuggestArtifact>>({});
  const suggesting = ref(false);
  /** Options to pre-fill the Analyze form with (from a profile or a suggestion), per dataset. */
  const analyzePrefill = ref<Record<string, AnalyzeOptionsInput>>({});
  const connections = ref<Connection[]>([]);
  /** Where remembered passwords go on this host (the OS secret store, or this session only). */
  const secretStore = ref('');
  /** Rows of the preview restricted to a segment (from a residual finding), per dataset. */
  const previewFilter = ref<Record<string, { column: string; value: string }[]>>({});

  const selectedDataset = computed(() => (selection.value.kind === 'dataset' ? (datasets.value.find((d) => d.id === (selection.value as { id: string }).id) ?? null) : null));

  function report(err: unknown): void {
    errors.value.push(toErrorInfo(err));
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = null;
    try {
      const ws = await api.call('workspace.get', {});
      workspaceName.value = ws.name;
      workspacePath.value = ws.path;
      datasets.value = ws.datasets;
      runs.value = ws.runs;
    } catch (err) {
      loadError.value = toErrorInfo(err);
    } finally {
      loading.value = false;
    }
  }

  async function refreshRuns(): Promise<void> {
    runs.value = (await api.call('workspace.get', {})).runs;
  }

  function onAdded(added: Dataset[]): void {
    for (const d of added) {
      if (!datasets.value.some((x) => x.id === d.id)) datasets.value.push(d);
    }
    const last = added[added.length - 1];
    if (last) void selectDataset(last.id, 'preview');
  }

  async function addFiles(files: File[]): Promise<void> {
    const tables = files.filter((f) => f.size >= 0);
    if (tables.length === 0) return;
    adding.value = true;
    try {
      onAdded(await api.addFiles(tables));
    } catch (err) {
      report(err);
    } finally {
      adding.value = false;
    }
  }

  async function openFiles(): Promise<void> {
    adding.value = true;
    try {
      onAdded(await api.pickAndAddFiles());
    } catch (err) {
      report(err);
    } finally {
      adding.value = false;
    }
  }

  async function selectDataset(id: string, tab: DatasetTab = 'preview'): Promise<void> {
    selection.value = { kind: 'dataset', id, tab };
    previewError.value = null;
    if (previews.value[id]) return;
    try {
      previews.value[id] = await api.call('datasets.preview', { id, where: previewFilter.value[id] ?? [] });
    } catch (err) {
      previewError.value = toErrorInfo(err);
    }
  }

  /** Opens a dataset's preview showing only the rows where every column equals its value. */
  async function showRows(id: string, where: { column: string; value: string }[]): Promise<void> {
    previewFilter.value[id] = where;
    delete previews.value[id];
    await selectDataset(id, 'preview');
  }

  /** Starts an engine job of a dataset tab; its run opens when it finishes. */
  async function startEngine<K extends keyof EngineStarts>(kind: K, request: EngineStarts[K]): Promise<void> {
    if (job.value) return;
    try {
      const { jobId } = await api.call(`${kind}.start`, request as never);
      job.value = { jobId, datasetId: request.datasetId, fraction: 0, stage: 'Starting' };
    } catch (err) {
      report(err);
    }
  }

  /** Renames a factor model's factors (given names or a labels file); the open run shows them at once. */
  async function setFactorLabels(runId: string, change: { labels: string[] } | { file: { name: string; content: string } }): Promise<void> {
    try {
      const run = await api.call('factors.labels', { id: runId, ...change });
      if (currentRun.value?.id === runId) currentRun.value = run;
      notices.value.push('Factor names saved.');
    } catch (err) {
      report(err);
    }
  }

  async function loadConnections(): Promise<void> {
    try {
      const r = await api.call('connections.list', {});
      connections.value = r.connections;
      secretStore.value = r.secretStore;
    } catch (err) {
      report(err);
    }
  }

  async function saveConnection(input: ConnectionInput): Promise<Connection | null> {
    try {
      const saved = await api.call('connections.save', input);
      await loadConnections();
      notices.value.push(`Connection '${saved.name}' saved.`);
      return saved;
    } catch (err) {
      report(err);
      return null;
    }
  }

  async function removeConnection(id: string): Promise<boolean> {
    try {
      await api.call('connections.remove', { id });
      await loadConnections();
      if (selection.value.kind === 'databases') selection.value = { kind: 'databases' };
      return true;
    } catch (err) {
      report(err);
      return false;
    }
  }

  /** A query over a saved connection becomes a dataset of the workspace, and opens. */
  async function addQueryDataset(connectionId: string, name: string, sql: string): Promise<boolean> {
    adding.value = true;
    try {
      const dataset = await api.call('datasets.addQuery', { connectionId, name, sql });
      datasets.value = [...datasets.value, dataset];
      await selectDataset(dataset.id, 'preview');
      return true;
    } catch (err) {
      report(err);
      return false;
    } finally {
      adding.value = false;
    }
  }

  function setTab(tab: DatasetTab): void {
    if (selection.value.kind === 'dataset') selection.value = { ...selection.value, tab };
  }

  async function removeDataset(id: string): Promise<void> {
    try {
      await api.call('datasets.remove', { id });
      datasets.value = datasets.value.filter((d) => d.id !== id);
      if (selection.value.kind === 'dataset' && selection.value.id === id) selection.value = { kind: 'none' };
    } catch (err) {
      report(err);
    }
  }

  async function openRun(id: string): Promise<void> {
    selection.value = { kind: 'run', id };
    if (currentRun.value?.id === id) return;
    runLoading.value = true;
    try {
      currentRun.value = await api.call('runs.get', { id });
    } catch (err) {
      report(err);
      selection.value = { kind: 'none' };
    } finally {
      runLoading.value = false;
    }
  }

  async function removeRun(id: string): Promise<void> {
    try {
      await api.call('runs.remove', { id });
      runs.value = runs.value.filter((r) => r.id !== id);
      if (currentRun.value?.id === id) currentRun.value = null;
      if (selection.value.kind === 'run' && selection.value.id === id) selection.value = { kind: 'none' };
    } catch (err) {
      report(err);
    }
  }

  async function startAnalyze(datasetId: string, options: AnalyzeOptionsInput): Promise<void> {
    if (job.value) return;
    try {
      const { jobId } = await api.call('analyze.start', { datasetId, options });
      job.value = { jobId, datasetId, fraction: 0, stage: 'Starting' };
    } catch (err) {
      report(err);
    }
  }

  async function cancelJob(): Promise<void> {
    if (!job.value) return;
    try {
      await api.call('jobs.cancel', { jobId: job.value.jobId });
    } catch (err) {
      report(err);
    }
  }

  async function onJobEvent(event: JobEvent): Promise<void> {
    if (!job.value || job.value.jobId !== event.jobId) return;
    if (event.type === 'progress') {
      job.value = { ...job.value, fraction: event.fraction, stage: event.stage };
      return;
    }
    job.value = null;
    if (event.type === 'done') {
      await refreshRuns();
      await openRun(event.runId);
    } else if (event.type === 'failed') {
      errors.value.push(event.error as ErrorInfo);
    } else {
      notices.value.push('Run cancelled.');
    }
  }

  async function exportRun(format: ExportFormat): Promise<void> {
    const run = currentRun.value;
    if (!run || selection.value.kind !== 'run') {
      report(new AppError('BAD_REQUEST', 'open a run before exporting', 'Pick a run in the history list, then export it.'));
      return;
    }
    try {
      const file = await api.call('runs.export', { id: run.id, format });
      const saved = await api.saveFile(file.filename, file.content, file.mime);
      if (saved) notices.value.push(`Exported ${saved}`);
    } catch (err) {
      report(err);
    }
  }

  async function loadProfiles(): Promise<void> {
    try {
      const list = await api.call('profiles.list', {});
      builtinProfiles.value = list.builtins;
      savedProfiles.value = list.saved;
    } catch (err) {
      report(err);
    }
  }

  async function saveProfile(name: string, profile: ProfileValues, replaces?: string): Promise<boolean> {
    try {
      await api.call('profiles.save', { name, profile, ...(replaces ? { replaces } : {}) });
      await loadProfiles();
      notices.value.push(`Profile ${name} saved.`);
      return true;
    } catch (err) {
      report(err);
      return false;
    }
  }

  async function removeProfile(name: string): Promise<void> {
    try {
      await api.call('profiles.remove', { name });
      await loadProfiles();
    } catch (err) {
      report(err);
    }
  }

  async function suggestFor(id: string, sample: { sampleRows: number; sampleMode: 'head' | 'random'; sampleSeed: number }): Promise<void> {
    suggesting.value = true;
    try {
      suggestions.value[id] = await api.call('datasets.suggest', { id, ...sample });
    } catch (err) {
      report(err);
    } finally {
      suggesting.value = false;
    }
  }

  function analyzeWith(datasetId: string, options: AnalyzeOptionsInput): void {
    analyzePrefill.value[datasetId] = options;
    selection.value = { kind: 'dataset', id: datasetId, tab: 'analyze' };
  }

  async function renameRun(id: string, title: string): Promise<void> {
    try {
      const updated = await api.call('runs.rename', { id, title });
      runs.value = runs.value.map((r) => (r.id === id ? updated : r));
      if (currentRun.value?.id === id) currentRun.value = { ...currentRun.value, title: updated.title };
    } catch (err) {
      report(err);
    }
  }

  async function rerun(id: string): Promise<void> {
    if (job.value) return;
    const summary = runs.value.find((r) => r.id === id);
    try {
      const { jobId } = await api.call('runs.rerun', { id });
      const datasetId = summary?.datasetId ?? '';
      job.value = { jobId, datasetId, fraction: 0, stage: 'Starting' };
      if (datasetId) selection.value = { kind: 'dataset', id: datasetId, tab: 'analyze' };
    } catch (err) {
      report(err);
    }
  }

  async function compareRuns(baseId: string, newId: string, topMovers: number): Promise<void> {
    try {
      const { runId } = await api.call('compare.runs', { baseId, newId, topMovers });
      await refreshRuns();
      await openRun(runId);
    } catch (err) {
      report(err);
    }
  }

  async function compareFiles(base: File, next: File, topMovers: number): Promise<void> {
    try {
      const read = async (f: File) => {
        try {
          return JSON.parse(await f.text()) as unknown;
        } catch {
          throw new AppError('BAD_ARGUMENT', `${f.name} is not valid JSON`, 'Pick the .json artifacts written by analyze.');
        }
      };
      const { runId } = await api.call('compare.artifacts', { base: { label: base.name, json: await read(base) }, new: { label: next.name, json: await read(next) }, topMovers });
      await refreshRuns();
      await openRun(runId);
    } catch (err) {
      report(err);
    }
  }

  return {
    previewFilter,
    showRows,
    startEngine,
    connections,
    secretStore,
    loadConnections,
    saveConnection,
    removeConnection,
    addQueryDataset,
    setFactorLabels,
    builtinProfiles,
    savedProfiles,
    suggestions,
    suggesting,
    analyzePrefill,
    loadProfiles,
    saveProfile,
    removeProfile,
    suggestFor,
    analyzeWith,
    renameRun,
    rerun,
    compareRuns,
    compareFiles,
    workspaceName,
    workspacePath,
    datasets,
    runs,
    loading,
    loadError,
    selection,
    selectedDataset,
    previews,
    previewError,
    currentRun,
    runLoading,
    job,
    adding,
    errors,
    notices,
    load,
    addFiles,
    openFiles,
    selectDataset,
    setTab,
    removeDataset,
    openRun,
    removeRun,
    startAnalyze,
    cancelJob,
    onJobEvent,
    exportRun,
    report,
  };
});

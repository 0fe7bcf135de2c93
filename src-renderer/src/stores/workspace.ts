import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AnalyzeOptionsInput } from '../../../src-shared/analyze-options';
import type { SuggestArtifact } from '../../../src-shared/artifacts/suggest';
import type { Dataset, TableFilter } from '../../../src-shared/contract';
import type { ErrorInfo } from '../../../src-shared/errors';
import { api } from '../api/client';
import { act } from './act';
import { useNotifications } from './notifications';
import { useRuns } from './runs';
import { useSelection, type DatasetTab } from './selection';
import type { RowFilter } from '../util/drill';

/** The open workspace and its datasets: their previews, suggestions and what the Analyze form starts from. */
export const useWorkspace = defineStore('workspace', () => {
  const name = ref('');
  const path = ref('');
  const datasets = ref<Dataset[]>([]);
  const loading = ref(true);
  const loadError = ref<ErrorInfo | null>(null);
  const adding = ref(false);
  /** The data grid's column filters per dataset (a drill-down's segment comes as `=` filters). */
  const previewFilter = ref<Record<string, TableFilter[]>>({});
  /** The run a filtered preview was opened from (a node of a decomposition tree), per dataset: the way back to it. */
  const previewFrom = ref<Record<string, { runId: string; title: string }>>({});
  const suggestions = ref<Record<string, SuggestArtifact>>({});
  const suggesting = ref(false);
  /** Options to pre-fill the Analyze form with (from a profile or a suggestion), per dataset. */
  const analyzePrefill = ref<Record<string, AnalyzeOptionsInput>>({});
  const nav = useSelection();
  const runs = useRuns();

  const selectedDataset = computed(() => {
    const sel = nav.current;
    return sel.kind === 'dataset' ? (datasets.value.find((d) => d.id === sel.id) ?? null) : null;
  });

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = null;
    const ws = await act(
      () => api.call('workspace.get', {}),
      (e) => (loadError.value = e),
    );
    if (ws) {
      name.value = ws.name;
      path.value = ws.path;
      datasets.value = ws.datasets;
      runs.history = ws.runs;
    }
    loading.value = false;
  }

  async function selectDataset(id: string, tab: DatasetTab = 'preview'): Promise<void> {
    nav.current = { kind: 'dataset', id, tab };
  }

  /**
   * Opens a dataset's preview showing only the rows where every column equals its value, or
   * matches it by the filter's own op (as filter chips the analyst can remove); `from` is the run to go back to.
   */
  async function showRows(id: string, where: RowFilter, from?: { runId: string; title: string }): Promise<void> {
    previewFilter.value[id] = where.map((w) => ({ column: w.column, op: w.op ?? '=', value: w.value }));
    if (from) previewFrom.value[id] = from;
    else delete previewFrom.value[id];
    await selectDataset(id, 'preview');
  }

  function setPreviewFilters(id: string, filters: TableFilter[]): void {
    previewFilter.value[id] = filters;
  }

  /** Adds datasets (files, or a query) while the Open button spins; the last one added opens. */
  async function adds(add: () => Promise<Dataset[]>): Promise<boolean> {
    adding.value = true;
    const added = await act(add);
    adding.value = false;
    if (!added) return false;
    for (const d of added) {
      if (!datasets.value.some((x) => x.id === d.id)) datasets.value.push(d);
      else useNotifications().notice(`Already open: opened the existing dataset '${d.name}'`);
    }
    const last = added[added.length - 1];
    if (last) await selectDataset(last.id, 'preview');
    return true;
  }

  async function addFiles(files: File[]): Promise<void> {
    if (files.length > 0) await adds(() => api.addFiles(files));
  }

  async function openFiles(): Promise<void> {
    await adds(() => api.pickAndAddFiles());
  }

  /** Tables the operating system handed the desktop app ("Open with"): added and opened like dropped files. */
  async function openFromSystem(add: () => Promise<Dataset[]>): Promise<void> {
    await adds(add);
  }

  /** A query over a saved connection becomes a dataset of the workspace, and opens. */
  async function addQueryDataset(connectionId: string, datasetName: string, sql: string): Promise<boolean> {
    return adds(async () => [await api.call('datasets.addQuery', { connectionId, name: datasetName, sql })]);
  }

  async function removeDataset(id: string): Promise<void> {
    await act(async () => {
      await api.call('datasets.remove', { id });
      datasets.value = datasets.value.filter((d) => d.id !== id);
      if (nav.current.kind === 'dataset' && nav.current.id === id) nav.current = { kind: 'none' };
    });
  }

  async function suggestFor(id: string, sample: { sampleRows: number; sampleMode: 'head' | 'random'; sampleSeed: number }): Promise<void> {
    suggesting.value = true;
    const suggestion = await act(() => api.call('datasets.suggest', { id, ...sample }));
    if (suggestion) suggestions.value[id] = suggestion;
    suggesting.value = false;
  }

  function analyzeWith(datasetId: string, options: AnalyzeOptionsInput): void {
    analyzePrefill.value[datasetId] = options;
    nav.current = { kind: 'dataset', id: datasetId, tab: 'analyze' };
  }

  return {
    name,
    path,
    datasets,
    loading,
    loadError,
    adding,
    previewFilter,
    previewFrom,
    suggestions,
    suggesting,
    analyzePrefill,
    selectedDataset,
    load,
    selectDataset,
    showRows,
    setPreviewFilters,
    addFiles,
    openFiles,
    openFromSystem,
    addQueryDataset,
    removeDataset,
    suggestFor,
    analyzeWith,
  };
});

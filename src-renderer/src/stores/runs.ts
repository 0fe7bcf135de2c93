import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AnalyzeOptionsInput } from '../../../src-shared/analyze-options';
import {
  RunSummarySchema,
  type CallRequest,
  type ExportFormat,
  type JobEvent,
  type Run,
  type RunSummary,
} from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { RunProgress } from '../../../src-shared/time-left';
import { api } from '../api/client';
import { act } from './act';
import { useNotifications } from './notifications';
import { usePendingRemovals } from './pending-removals';
import { useSelection, type DatasetTab } from './selection';

export interface ActiveJob {
  jobId: string;
  datasetId: string;
  fraction: number;
  stage: string;
  /** Every stage reported so far, in order (an investigation reports one per step). */
  stages: string[];
  /** The real percent done, or null when the scan cannot tell it (rows read are told in `detail` instead). */
  percent?: number | null;
  /** "about 12 s left", or "1,234,567 rows read · 250,000 rows/s"; empty until there is something to tell. */
  detail?: string;
}

/** The engine jobs a dataset tab starts, by call prefix. */
interface EngineStarts {
  analyze: CallRequest<'analyze.start'>;
  drivers: CallRequest<'drivers.start'>;
  investigate: CallRequest<'investigate.start'>;
  segments: CallRequest<'segments.start'>;
  investigation: CallRequest<'investigation.start'>;
  factors: CallRequest<'factors.start'>;
  regression: CallRequest<'regression.start'>;
}

/** The dataset tab a run is made in, for the kinds Run again starts from the run's own options. */
export const RERUN_TABS: Partial<Record<Run['kind'], DatasetTab>> = {
  drivers: 'drivers',
  investigate: 'drivers',
  segments: 'drivers',
  investigation: 'investigation',
};

/** The run history, the job running now, and the run that is open. */
export const useRuns = defineStore('runs', () => {
  /** Newest first, as the workspace lists them. */
  const history = ref<RunSummary[]>([]);
  const current = ref<Run | null>(null);
  const loading = ref(false);
  const job = ref<ActiveJob | null>(null);
  const nav = useSelection();
  const notes = useNotifications();
  /** The running job's progress over time (the rate behind its time left). */
  let measured = { jobId: '', progress: new RunProgress() };

  async function refreshHistory(): Promise<void> {
    // A run deleted but still in its undo time stays out of the list.
    const removals = usePendingRemovals();
    history.value = (await api.call('workspace.get', {})).runs.filter((r) => !removals.isPending('run', r.id));
  }

  /** Starts an engine job of a dataset tab; its run opens when it finishes. */
  async function start<K extends keyof EngineStarts>(kind: K, request: EngineStarts[K]): Promise<void> {
    if (job.value) return;
    await act(async () => {
      const { jobId } = await api.call(`${kind}.start`, request as never);
      track(jobId, request.datasetId ?? '');
    });
  }

  async function startAnalyze(datasetId: string, options: AnalyzeOptionsInput): Promise<void> {
    await start('analyze', { datasetId, options });
  }

  async function cancelJob(): Promise<void> {
    const running = job.value;
    if (running) await act(() => api.call('jobs.cancel', { jobId: running.jobId }));
  }

  /** A finished run arrives with its event: it joins the history and opens. */
  function show(run: Run): void {
    const summary = RunSummarySchema.parse(run);
    history.value = [summary, ...history.value.filter((r) => r.id !== run.id)];
    current.value = run;
    nav.current = { kind: 'run', id: run.id };
  }

  /**
   * Events of jobs this page has not been told of yet: a quick run can finish before its start
   * call answers, and its events come first. Kept (a few jobs' worth) until `track` replays them.
   */
  const early = new Map<string, JobEvent[]>();

  /** The job a start call answered with becomes the running one; events that came before it are replayed. */
  function track(jobId: string, datasetId: string): void {
    job.value = { jobId, datasetId, fraction: 0, stage: 'Starting', stages: [] };
    const missed = early.get(jobId) ?? [];
    early.delete(jobId);
    for (const event of missed) onJobEvent(event);
  }

  function onJobEvent(event: JobEvent): void {
    if (!job.value || job.value.jobId !== event.jobId) {
      early.set(event.jobId, [...(early.get(event.jobId) ?? []), event]);
      // Another page's jobs (or a cancelled start) would pile up: keep the latest few.
      if (early.size > 8) early.delete(early.keys().next().value!);
      return;
    }
    if (event.type === 'progress') {
      const stages = job.value.stages.at(-1) === event.stage ? job.value.stages : [...job.value.stages, event.stage];
      if (measured.jobId !== event.jobId) measured = { jobId: event.jobId, progress: new RunProgress() };
      const { percent, detail } = measured.progress.report(Date.now(), event.fraction, event.rowsRead);
      job.value = { ...job.value, fraction: event.fraction, stage: event.stage, stages, percent, detail };
      return;
    }
    job.value = null;
    if (event.type === 'done') show(event.run);
    else if (event.type === 'failed') notes.report(event.error);
    else if (event.type === 'cancelled') notes.notice('Run cancelled.');
  }

  async function open(id: string): Promise<void> {
    nav.current = { kind: 'run', id };
    if (current.value?.id === id) return;
    loading.value = true;
    const run = await act(() => api.call('runs.get', { id }));
    loading.value = false;
    if (run) current.value = run;
    else nav.current = { kind: 'none' };
  }

  async function rename(id: string, title: string): Promise<void> {
    await act(async () => {
      const updated = await api.call('runs.rename', { id, title });
      history.value = history.value.map((r) => (r.id === id ? updated : r));
      if (current.value?.id === id) current.value = { ...current.value, title: updated.title };
    });
  }

  async function rerun(id: string): Promise<void> {
    if (job.value) return;
    const run = current.value?.id === id ? current.value : null;
    if (run && run.kind !== 'analyze') {
      await rerunWithOptions(run);
      return;
    }
    const datasetId = history.value.find((r) => r.id === id)?.datasetId ?? '';
    await act(async () => {
      const { jobId } = await api.call('runs.rerun', { id });
      track(jobId, datasetId);
      if (datasetId) nav.current = { kind: 'dataset', id: datasetId, tab: 'analyze' };
    });
  }

  /**
   * Runs a Drivers, Regression on drivers, Where it changed or Investigation run again: the options it
   * was started with are its start request. Its dataset's tab shows the progress; the new run opens.
   */
  async function rerunWithOptions(run: Run): Promise<void> {
    const tab = RERUN_TABS[run.kind];
    if (!tab) return;
    await start(run.kind as keyof EngineStarts, run.options as never);
    if (job.value && run.datasetId) nav.current = { kind: 'dataset', id: run.datasetId, tab };
  }

  async function exportOpen(format: ExportFormat): Promise<void> {
    const run = current.value;
    if (!run || nav.current.kind !== 'run') {
      notes.report(new AppError('BAD_REQUEST', 'open a run before exporting', 'Pick a run in the history list, then export it.'));
      return;
    }
    await act(async () => {
      const file = await api.call('runs.export', { id: run.id, format });
      const saved = await api.saveFile(file.filename, file.content, file.mime);
      if (saved) notes.notice(`Exported ${saved}`);
    });
  }

  /** Renames a factor model's factors (given names or a labels file); the open run shows them at once. */
  async function setFactorLabels(runId: string, change: { labels: string[] } | { file: { name: string; content: string } }): Promise<void> {
    await act(async () => {
      const run = await api.call('factors.labels', { id: runId, ...change });
      if (current.value?.id === runId) current.value = run;
      notes.notice('Factor names saved.');
    });
  }

  async function compareRuns(baseId: string, newId: string, topMovers: number): Promise<void> {
    await act(async () => {
      const { runId } = await api.call('compare.runs', { baseId, newId, topMovers });
      await refreshHistory();
      await open(runId);
    });
  }

  async function compareFiles(base: File, next: File, topMovers: number): Promise<void> {
    const read = async (f: File) => {
      try {
        return JSON.parse(await f.text()) as unknown;
      } catch {
        throw new AppError('BAD_ARGUMENT', `${f.name} is not valid JSON`, 'Pick the .json artifacts written by analyze.');
      }
    };
    await act(async () => {
      const { runId } = await api.call('compare.artifacts', {
        base: { label: base.name, json: await read(base) },
        new: { label: next.name, json: await read(next) },
        topMovers,
      });
      await refreshHistory();
      await open(runId);
    });
  }

  return {
    history,
    current,
    loading,
    job,
    start,
    startAnalyze,
    cancelJob,
    onJobEvent,
    open,
    rename,
    rerun,
    exportOpen,
    setFactorLabels,
    compareRuns,
    compareFiles,
  };
});

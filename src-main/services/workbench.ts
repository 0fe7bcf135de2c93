import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { AnalyzeOptions } from '../../src-shared/analyze-options';
import { calls, isCallName, type CallName, type CallResponse, type Dataset, type ExportFormat, type JobEvent, type Preview, type Run, type Workspace } from '../../src-shared/contract';
import { AppError, toErrorInfo } from '../../src-shared/errors';
import { exportAnalyze } from './artifacts/output';
import { datasetRows, describeDataset } from './datasets';
import type { JobHandle, JobRunner } from './jobs/job-runner';
import type { AnalyzeArtifact } from '../../src-shared/artifacts/analyze';
import type { ProjectStore } from './store/project-store';

/**
 * The workbench service: everything the UI can ask for, whatever host carries the request
 * (Electron IPC or the web host). No Electron import; no HTTP knowledge.
 */
export class Workbench extends EventEmitter<{ job: [JobEvent] }> {
  constructor(
    private readonly store: ProjectStore,
    private readonly jobs: JobRunner,
    private readonly uploadsDir: string,
  ) {
    super();
  }

  /** Validates a request against the contract and dispatches it. */
  async handle(name: string, request: unknown): Promise<unknown> {
    if (!isCallName(name)) throw new AppError('BAD_REQUEST', `unknown call '${name}'`, 'Update the app: the window and the host disagree about the API.');
    const parsed = calls[name].request.safeParse(request ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError('BAD_REQUEST', `invalid request for ${name}: ${issue?.path.join('.') || 'request'} ${issue?.message ?? ''}`.trim(), 'This is a bug in the caller; the request did not match the API contract.');
    }
    return this.dispatch(name, parsed.data as never);
  }

  private async dispatch<N extends CallName>(name: N, req: Record<string, never>): Promise<CallResponse<N>> {
    const r = req as Record<string, unknown>;
    switch (name) {
      case 'workspace.get':
        return this.workspace() as CallResponse<N>;
      case 'datasets.addFile':
        return (await this.addFile(String(r.path))) as CallResponse<N>;
      case 'datasets.preview':
        return (await this.preview(String(r.id))) as CallResponse<N>;
      case 'datasets.remove':
        return { removed: this.store.removeDataset(String(r.id)) } as CallResponse<N>;
      case 'analyze.start':
        return { jobId: this.startAnalyze(String(r.datasetId), r.options as AnalyzeOptions) } as CallResponse<N>;
      case 'jobs.cancel':
        return { cancelled: this.jobs.cancel(String(r.jobId)) } as CallResponse<N>;
      case 'runs.get':
        return this.store.getRun(String(r.id)) as CallResponse<N>;
      case 'runs.remove':
        return { removed: this.store.removeRun(String(r.id)) } as CallResponse<N>;
      case 'runs.export':
        return this.exportRun(String(r.id), r.format as ExportFormat) as CallResponse<N>;
      default:
        throw new AppError('BAD_REQUEST', `unhandled call ${name}`);
    }
  }

  workspace(): Workspace {
    return {
      name: this.store.getMeta('name') ?? path.parse(this.store.file).name,
      path: this.store.file,
      datasets: this.store.listDatasets(),
      runs: this.store.listRuns(),
    };
  }

  /** Adds a file to the workspace (or returns it if it is already there). */
  async addFile(file: string, name?: string): Promise<Dataset> {
    const absolute = path.resolve(file);
    const existing = this.store.findDatasetByPath(absolute);
    if (existing) return existing;
    const dataset = await describeDataset(absolute, name);
    this.store.addDataset(dataset);
    return dataset;
  }

  /**
   * Keeps an uploaded file (the web host's drag and drop) in the workspace's uploads folder and
   * adds it. A file that is not a table is deleted again, so nothing half-useful is left behind.
   */
  async addUpload(fileName: string, content: Readable): Promise<Dataset> {
    const safe = path.basename(fileName).replace(/[^\w.\- ]+/g, '_') || 'upload.csv';
    const dir = path.join(this.uploadsDir, randomUUID());
    await mkdir(dir, { recursive: true });
    const target = path.join(dir, safe);
    const tmp = `${target}.part`;
    try {
      await pipeline(content, createWriteStream(tmp));
      await rename(tmp, target);
      return await this.addFile(target, safe);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      // Name the file as the analyst knows it, not by its place in the uploads folder.
      if (err instanceof AppError) throw new AppError(err.code, err.message.replaceAll(target, safe), err.hint);
      throw err;
    }
  }

  async preview(id: string): Promise<Preview> {
    const dataset = this.store.getDataset(id);
    return { dataset, rows: await datasetRows(dataset.path) };
  }

  /** Starts an analysis in the engine process; its run is stored when it finishes. */
  startAnalyze(datasetId: string, options: AnalyzeOptions): string {
    const dataset = this.store.getDataset(datasetId);
    const handle: JobHandle<AnalyzeArtifact> = this.jobs.start({ kind: 'analyze', request: { source: { kind: 'file', path: dataset.path }, options }, inputLabel: dataset.path }, (fraction, stage) =>
      this.emit('job', { jobId: handle.id, type: 'progress', fraction, stage }),
    );
    handle.result.then(
      (artifact) => {
        const runId = randomUUID();
        const by = artifact.group_by.join(', ');
        this.store.addRun({ id: runId, datasetId, title: `${dataset.name} by ${by}`, createdAt: new Date().toISOString(), options, artifact });
        this.emit('job', { jobId: handle.id, type: 'done', runId });
      },
      (err) => {
        const info = toErrorInfo(err);
        this.emit('job', info.code === 'CANCELLED' ? { jobId: handle.id, type: 'cancelled' } : { jobId: handle.id, type: 'failed', error: info });
      },
    );
    return handle.id;
  }

  getRun(id: string): Run {
    return this.store.getRun(id);
  }

  exportRun(id: string, format: ExportFormat) {
    const run = this.store.getRun(id);
    const stem = path.parse(run.artifact.input).name;
    return exportAnalyze(run.artifact, format, stem.toLowerCase().startsWith('analyze_') ? stem : `analyze_${stem}`);
  }

  /** A new workspace starts with the demo datasets, once. */
  async seedDemo(dataDir: string): Promise<void> {
    if (this.store.getMeta('demo_seeded') !== null) return;
    let names: string[] = [];
    try {
      names = (await readdir(dataDir)).filter((n) => /\.(csv|tsv)$/i.test(n)).sort();
    } catch {
      names = [];
    }
    for (const name of names) {
      try {
        await this.addFile(path.join(dataDir, name));
      } catch {
        // A demo file that does not parse is skipped; the workspace still opens.
      }
    }
    if (this.store.getMeta('name') === null) this.store.setMeta('name', 'Demo workspace');
    this.store.setMeta('demo_seeded', new Date().toISOString());
  }

  shutdown(): void {
    this.jobs.cancelAll();
    this.store.close();
  }
}

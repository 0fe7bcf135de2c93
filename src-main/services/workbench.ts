import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import path from 'node:path';
import type { AnalyzeOptions } from '../../src-shared/analyze-options';
import {
  calls,
  isCallName,
  PROFILE_NAME,
  type CallName,
  type CallParsed,
  type CallResponse,
  type Dataset,
  type ExportedFile,
  type ExportFormat,
  type JobEvent,
  type Run,
  type Workspace,
} from '../../src-shared/contract';
import { AppError, toErrorInfo } from '../../src-shared/errors';
import { parseSnapshot } from '../engine/compare/compare';
import { compare } from '../analyses/compare';
import { MIME } from '../artifacts/output';
import { applyLabelsFile } from '../engine/factors/labels';
import { datasetCsv, datasetPage, datasetRows, describeDataset } from './datasets';
import { columnValues, dateRange, matchCounts } from './dataset-values';
import { Connections } from './connections';
import { sessionOnlySecrets, type SecretStore } from './secrets';
import type { Source } from '../../src-shared/analyze-options';
import type { JobHandle, JobRunner } from '../process/job-runner';
import { ExplainService } from './explain';
import { anyFile, filesInside, type FileAccess } from './file-access';
import { plainUploadName } from './upload-name';
import { findSameFile, findSameUpload } from './same-file';
import type { ModelLauncher } from '../explain/local/local-model';
import type { ModelFolders } from '../explain/local/models';
import { BUILTIN_PROFILES, parseProfiles, profileProblems, profilesToToml } from './profiles';
import type { NewRun, ProjectStore } from './store/project-store';
import { damagedWorkspace } from './store/project-store';
import type { EngineJob, EngineResults } from '../engine/jobs';
import { analysisOfRun, analyze, drivers, factorsFit, factorsRegress, investigate, investigation, segments, suggest } from '../analyses';
import type { SuggestArtifact } from '../../src-shared/artifacts/suggest';
import type { Analysis, InputRole, Inputs, RunContext } from '../analyses/definition';
import { startAnalysis } from '../analyses/start';
import { splitSegment } from './segment-tree';
import { sharedModelPlanner } from './shared-model-planner';

const isBuiltinName = (name: string) => Object.keys(BUILTIN_PROFILES).includes(name.toLowerCase());

type Handlers = { [N in CallName]: (req: CallParsed<N>) => Promise<CallResponse<N>> | CallResponse<N> };

export interface WorkbenchOptions {
  /**
   * The web host: files named by API calls must lie in the workspace file's folder, its uploads
   * folder or one of these folders (symlinks resolved). Unset: any file (the desktop app).
   */
  limitFilesTo?: string[];
}

/**
 * The workbench service: everything the UI can ask for, whatever host carries the request
 * (Electron IPC or the web host). No Electron import; no HTTP knowledge.
 */
export class Workbench extends EventEmitter<{ job: [JobEvent] }> {
  private readonly handlers: Handlers;

  private readonly connections: Connections;

  readonly explain: ExplainService;

  /** Which files API calls may name (every path a caller gives goes through it). */
  readonly files: FileAccess;

  constructor(
    private readonly store: ProjectStore,
    private readonly jobs: JobRunner,
    private readonly uploadsDir: string,
    secrets: SecretStore = sessionOnlySecrets,
    private readonly models: { launch: ModelLauncher; folders: ModelFolders },
    options: WorkbenchOptions = {},
  ) {
    super();
    const extra = options.limitFilesTo;
    this.files = extra ? filesInside(() => [path.dirname(store.file), uploadsDir, ...extra]) : anyFile;
    this.connections = new Connections(store, secrets);
    this.explain = new ExplainService(store, models.launch, models.folders, (event) => this.emit('job', event));
    this.handlers = {
      'explain.settings': () => this.explain.settings(),
      'explain.saveSettings': async (r) => this.explain.saveSettings(await this.allowModelPaths(r)),
      'explain.models': () => this.explain.models(),
      'explain.addModel': async (r) => this.explain.addModel(await this.files.allow(r.path, 'the model file')),
      'explain.test': () => this.explain.test(),
      'explain.conversation': (r) => this.explain.conversation(r.runId),
      'explain.ask': (r) => ({ jobId: this.explain.ask(r.runId, r.question, r.focus ?? null) }),
      'explain.clear': (r) => this.explain.clear(r.runId),
      'connections.list': () => this.connections.list(),
      'connections.save': async (r) => this.connections.save(await this.allowConnectionFiles(r)),
      'connections.remove': (r) => {
        const used = this.store.listDatasets().filter((d) => d.query?.connectionId === r.id);
        if (used.length > 0)
          throw new AppError(
            'BAD_REQUEST',
            `the datasets ${used.map((d) => `'${d.name}'`).join(', ')} read from this connection`,
            'Remove those datasets first.',
          );
        return { removed: this.connections.remove(r.id) };
      },
      'connections.test': async (r) => this.connections.test(await this.allowConnectionFiles(r)),
      'connections.schema': async (r) => ({ tables: await this.connections.schema(r.id) }),
      'connections.preview': (r) => this.connections.preview(r.id, r.sql, r.limit),
      'datasets.addQuery': async (r) => {
        const dataset = await describeDataset(this.connections.source(r.connectionId, r.sql), r.name, {
          connectionId: r.connectionId,
          sql: r.sql,
        });
        this.store.addDataset(dataset);
        return dataset;
      },
      'workspace.get': () => this.workspace(),
      'datasets.addFile': async (r) => this.addFile(await this.files.allow(r.path, 'the file')),
      'datasets.preview': async (r) => {
        const dataset = this.store.getDataset(r.id);
        return { dataset, rows: await datasetRows(this.sourceOf(dataset), 50, r.where ?? []) };
      },
      'datasets.rows': async (r) => {
        const dataset = this.store.getDataset(r.id);
        return datasetPage(this.sourceOf(dataset), dataset, r, r.offset, r.limit);
      },
      'datasets.values': (r) => columnValues(this.sourceOf(this.store.getDataset(r.id)), r.column, r.search, r.limit),
      'datasets.matchCount': (r) => matchCounts(this.sourceOf(this.store.getDataset(r.id)), r),
      'datasets.dateRange': (r) => dateRange(this.sourceOf(this.store.getDataset(r.id)), r.column),
      'datasets.exportCsv': async (r) => {
        const dataset = this.store.getDataset(r.id);
        const { csv, rows } = await datasetCsv(this.sourceOf(dataset), dataset, r);
        return { name: `${dataset.name.replace(/\.[^.]+$/, '')}-view.csv`, csv, rows };
      },
      // The request is stored as the run's options; its option fields are parsed by the analysis's schema.
      'drivers.start': (r) => ({
        jobId: this.startRun(
          drivers,
          { input: this.store.getDataset(r.datasetId), inputNew: r.newDatasetId ? this.store.getDataset(r.newDatasetId) : null },
          r,
        ),
      }),
      'investigate.start': (r) => ({ jobId: this.startRun(investigate, { input: this.store.getDataset(r.datasetId) }, r) }),
      // Two datasets are the base and new snapshots; one dataset is split into two periods.
      // The model planner asks the model of the Explain settings (opened once, shared with the pane).
      'investigation.start': (r) => ({
        jobId: this.startRun(
          investigation,
          r.baseRunId || r.newRunId
            ? this.analyzeRunsAsFiles(r.baseRunId, r.newRunId)
            : r.newDatasetId
              ? { base: this.store.getDataset(this.required(r.datasetId)), new: this.store.getDataset(r.newDatasetId) }
              : { input: this.store.getDataset(this.required(r.datasetId)) },
          r,
          r.planner === 'llm' ? { planner: sharedModelPlanner(this.explain.settings().backend, () => this.explain.chat()) } : {},
        ),
      }),
      'segments.start': (r) => ({
        jobId: this.startRun(
          segments,
          { input: this.store.getDataset(r.datasetId), inputNew: r.newDatasetId ? this.store.getDataset(r.newDatasetId) : null },
          r,
        ),
      }),
      'segments.split': (r) => {
        const run = this.store.getRun(r.runId);
        if (run.kind === 'segments') return splitSegment(run.artifact.dimensions, this.store.getSegmentCube(run.id), r.node, r.dimension);
        if (run.kind !== 'investigation')
          throw new AppError(
            'BAD_REQUEST',
            'only a "Where it changed" run or an investigation has a decomposition tree',
            'Open one of those runs to drill down.',
          );
        if (run.artifact.input.kind === 'artifacts_json')
          throw new AppError(
            'NOT_FOUND',
            'an investigation of two analyze artifacts has no rows to drill into',
            'Investigate the tables themselves (two CSV files, or one table split by its date column) to drill down.',
          );
        const dimensions = [run.artifact.top_dimension, ...run.artifact.drill_fields];
        return splitSegment(dimensions, this.store.getSegmentCube(run.id), r.node, r.dimension);
      },
      'factors.start': (r) => ({
        jobId: this.startRun(factorsFit, { prices: this.store.getDataset(r.datasetId), ...this.weightsOf(r.weightsDatasetId) }, r),
      }),
      'regression.start': (r) => ({
        jobId: this.startRun(
          factorsRegress,
          {
            prices: this.store.getDataset(r.datasetId),
            factors: this.store.getDataset(r.factorsDatasetId),
            ...this.weightsOf(r.weightsDatasetId),
          },
          r,
        ),
      }),
      'factors.labels': (r) => {
        const run = this.store.getRun(r.id);
        if (run.kind !== 'factors')
          throw new AppError('BAD_REQUEST', 'only a factor model has factor names', 'Open a factor model run to name its factors.');
        const k = run.artifact.model.k;
        if (r.labels && r.labels.length !== k)
          throw new AppError('BAD_REQUEST', `this model has ${k} factors; got ${r.labels.length} names`, 'Give one name per factor.');
        const labels = r.file ? applyLabelsFile(run.artifact.factor_labels, r.file.content, r.file.name) : r.labels!;
        this.store.updateArtifact(run.id, { ...run.artifact, factor_labels: labels });
        return this.store.getRun(run.id);
      },
      'datasets.remove': (r) => ({ removed: this.store.removeDataset(r.id) }),
      'datasets.suggest': (r) => {
        const dataset = this.store.getDataset(r.id);
        const context: RunContext = { labels: { input: dataset.path }, names: { input: dataset.name }, forFiles: false };
        return startAnalysis(
          this.jobs,
          suggest,
          { input: this.sourceOf(dataset) },
          { sampleRows: r.sampleRows, sampleMode: r.sampleMode, sampleSeed: r.sampleSeed },
          context,
        ).handle.result as Promise<SuggestArtifact>;
      },
      'analyze.start': (r) => ({ jobId: this.startAnalyze(r.datasetId, r.options as AnalyzeOptions) }),
      'jobs.cancel': (r) => ({ cancelled: this.explain.stop(r.jobId) || this.jobs.cancel(r.jobId) }),
      'runs.get': (r) => this.store.getRun(r.id),
      'runs.remove': (r) => ({ removed: this.store.removeRun(r.id) }),
      'runs.export': (r) => this.exportRun(r.id, r.format),
      'runs.rename': (r) => this.store.renameRun(r.id, r.title.trim()),
      'runs.rerun': (r) => {
        const run = this.store.getRun(r.id);
        if (run.kind !== 'analyze' || !run.datasetId) {
          throw new AppError(
            'BAD_REQUEST',
            'only an analyze run whose dataset is still in the workspace can run again',
            'Add the file again, then run Analyze on it.',
          );
        }
        return { jobId: this.startAnalyze(run.datasetId, run.options) };
      },
      'compare.runs': (r) => {
        const [base, next] = [this.store.getRun(r.baseId), this.store.getRun(r.newId)];
        if (base.kind !== 'analyze' || next.kind !== 'analyze')
          throw new AppError('BAD_REQUEST', 'compare takes two analyze runs', 'Pick two Analyze runs from the history.');
        const artifact = compare.compute(base.artifact, next.artifact, { base: base.title, new: next.title }, r);
        return { runId: this.saveCompare(artifact, { baseRunId: base.id, newRunId: next.id, topMovers: r.topMovers }) };
      },
      'compare.artifacts': (r) => {
        const artifact = compare.compute(
          parseSnapshot(r.base.json, r.base.label),
          parseSnapshot(r.new.json, r.new.label),
          { base: r.base.label, new: r.new.label },
          r,
        );
        return { runId: this.saveCompare(artifact, { baseRunId: null, newRunId: null, topMovers: r.topMovers }) };
      },
      'profiles.list': () => ({
        builtins: Object.entries(BUILTIN_PROFILES).map(([name, profile]) => ({ name, profile })),
        saved: this.store.listProfiles(),
      }),
      'profiles.save': (r) => {
        if (isBuiltinName(r.name))
          throw new AppError('BAD_REQUEST', `'${r.name}' is a built-in profile`, 'Pick another name; built-in profiles cannot be changed.');
        const problems = profileProblems(r.profile);
        if (problems.length > 0)
          throw new AppError('BAD_REQUEST', `profile '${r.name}': ${problems.join('; ')}`, 'Fix the listed fields, then save again.');
        this.store.saveProfile({ name: r.name, profile: r.profile }, r.replaces);
        return { name: r.name, profile: r.profile };
      },
      'profiles.remove': (r) => ({ removed: this.store.removeProfile(r.name) }),
      'profiles.validate': (r) => ({
        problems: profileProblems(r.profile, r.datasetId ? this.store.getDataset(r.datasetId).columns.map((c) => c.name) : undefined),
      }),
      'profiles.exportToml': () => {
        const profiles = Object.fromEntries(this.store.listProfiles().map((p) => [p.name, p.profile]));
        return { filename: 'profiles.toml', mime: 'application/toml', content: profilesToToml(profiles) };
      },
      'profiles.importToml': (r) => {
        const parsed = parseProfiles(r.content, r.source ?? 'profiles.toml');
        const names = Object.keys(parsed).filter((n) => !isBuiltinName(n));
        for (const name of names) {
          const problems = [
            ...profileProblems(parsed[name]),
            ...(PROFILE_NAME.test(name) ? [] : ['its name must use letters, digits, - and _']),
          ];
          if (problems.length > 0)
            throw new AppError(
              'BAD_REQUEST',
              `profile '${name}' in ${r.source} cannot be imported: ${problems.join('; ')}`,
              'Fix that profile in the TOML file (or remove it) and import again.',
            );
        }
        for (const name of names) this.store.saveProfile({ name, profile: parsed[name]! });
        return { imported: names };
      },
    };
  }

  /** Validates a request against the contract and dispatches it. */
  async handle(name: string, request: unknown): Promise<unknown> {
    if (!isCallName(name))
      throw new AppError('BAD_REQUEST', `unknown call '${name}'`, 'Update the app: the window and the host disagree about the API.');
    const parsed = calls[name].request.safeParse(request ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AppError(
        'BAD_REQUEST',
        `invalid request for ${name}: ${issue?.path.join('.') || 'request'} ${issue?.message ?? ''}`.trim(),
        'This is a bug in the caller; the request did not match the API contract.',
      );
    }
    const handler = this.handlers[name] as (req: unknown) => unknown;
    try {
      return await handler(parsed.data);
    } catch (err) {
      // Damage found after opening (quick_check does not read every byte of every row).
      if (/^SQLITE_(CORRUPT|NOTADB)/.test((err as { code?: string }).code ?? ''))
        throw damagedWorkspace(this.store.file, (err as Error).message);
      throw err;
    }
  }

  /** A connection's CA, certificate and key files: each allowed, or the one the saved connection already has. */
  private async allowConnectionFiles<C extends CallParsed<'connections.save'>>(input: C): Promise<C> {
    if (!this.files.limited) return input;
    const saved = input.id ? this.store.getConnection(input.id).connection : null;
    const check = async (file: string | null, field: 'caFile' | 'certFile' | 'keyFile', what: string) =>
      file === null || file === saved?.[field] ? file : this.files.allow(file, what);
    return {
      ...input,
      caFile: await check(input.caFile, 'caFile', 'the CA file'),
      certFile: await check(input.certFile, 'certFile', 'the client certificate'),
      keyFile: await check(input.keyFile, 'keyFile', 'the client key'),
    };
  }

  /** Explain settings name model files: each allowed, in a models folder, or already in the settings. */
  private async allowModelPaths(settings: CallParsed<'explain.saveSettings'>): Promise<CallParsed<'explain.saveSettings'>> {
    if (!this.files.limited) return settings;
    const current = this.explain.settings();
    const known = new Set([current.localModel, ...current.addedModels]);
    const inModelFolder = (file: string) =>
      [this.models.folders.bundled, this.models.folders.user].some((dir) => path.dirname(path.resolve(file)) === path.resolve(dir));
    const check = (file: string) => (known.has(file) || inModelFolder(file) ? file : this.files.allow(file, 'the model file'));
    return {
      ...settings,
      localModel: settings.localModel === null ? null : await check(settings.localModel),
      addedModels: await Promise.all(settings.addedModels.map(check)),
    };
  }

  workspace(): Workspace {
    return {
      name: this.store.getMeta('name') ?? path.parse(this.store.file).name,
      path: this.store.file,
      datasets: this.store.listDatasets(),
      runs: this.store.listRuns(),
    };
  }

  /** Adds a file to the workspace (or returns its dataset if it is already there: see findSameFile). */
  async addFile(file: string, name?: string): Promise<Dataset> {
    const absolute = path.resolve(file);
    const existing = this.store.findDatasetByPath(absolute) ?? (await findSameFile(this.store.listDatasets(), absolute));
    if (existing) return existing;
    const dataset = await describeDataset({ kind: 'file', path: absolute }, name);
    this.store.addDataset(dataset);
    return dataset;
  }

  /**
   * Keeps an uploaded file (the web host's drag and drop) in the workspace's uploads folder and
   * adds it. A file that is not a table is deleted again, so nothing half-useful is left behind.
   */
  async addUpload(fileName: string, content: Readable): Promise<Dataset> {
    const safe = plainUploadName(fileName);
    const dir = path.join(this.uploadsDir, randomUUID());
    await mkdir(dir, { recursive: true });
    const target = path.join(dir, safe);
    const tmp = `${target}.part`;
    try {
      await pipeline(content, createWriteStream(tmp));
      await rename(tmp, target);
      const earlier = await findSameUpload(this.store.listDatasets(), this.uploadsDir, target, safe);
      if (earlier) {
        await rm(dir, { recursive: true, force: true });
        return earlier;
      }
      return await this.addFile(target, safe);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      // Name the file as the analyst knows it, not by its place in the uploads folder.
      if (err instanceof AppError) throw new AppError(err.code, err.message.replaceAll(target, safe), err.hint);
      throw err;
    }
  }

  /** Where a dataset's rows come from: its file, or its query over a saved connection (with the password). */
  private sourceOf(dataset: Dataset): Source {
    return dataset.query ? this.connections.source(dataset.query.connectionId, dataset.query.sql) : { kind: 'file', path: dataset.path };
  }

  /** Starts an analysis in the engine process; its run is stored when it finishes. */
  startAnalyze(datasetId: string, options: AnalyzeOptions): string {
    return this.startRun(analyze, { input: this.store.getDataset(datasetId) }, options);
  }

  private required(datasetId: string | null): string {
    if (datasetId === null)
      throw new AppError(
        'BAD_REQUEST',
        'an investigation needs a dataset, two datasets or two analyze runs',
        'Pick the dataset to investigate.',
      );
    return datasetId;
  }

  /**
   * Two analyze runs of the history as an investigation's two sides: their artifacts, written as
   * JSON beside the uploads (as `factorlens analyze` writes them), are read as the CLI reads two
   * artifact files.
   */
  private analyzeRunsAsFiles(baseRunId: string | null, newRunId: string | null): { base: Dataset; new: Dataset } {
    const side = (id: string | null, which: string): Dataset => {
      if (id === null)
        throw new AppError('BAD_REQUEST', `the ${which} run is missing`, 'Pick two analyze runs: the base (earlier) and the new one.');
      const run = this.store.getRun(id);
      if (run.kind !== 'analyze')
        throw new AppError('BAD_REQUEST', `'${run.title}' is not an analyze run`, 'Pick two analyze runs of the same grouping.');
      const file = path.join(this.uploadsDir, `investigate-run-${run.id}.json`);
      mkdirSync(this.uploadsDir, { recursive: true });
      writeFileSync(file, JSON.stringify(run.artifact));
      return { ...this.store.getDataset(this.required(run.datasetId)), path: file, name: run.title, query: null };
    };
    return { base: side(baseRunId, 'base'), new: side(newRunId, 'new') };
  }

  /** Starts an analysis of the registry on datasets of the workspace, by the same path as the CLI (startAnalysis). */
  private startRun(
    def: Analysis,
    datasets: Partial<Record<InputRole, Dataset | null>>,
    request: Run['options'],
    extra: Pick<RunContext, 'planner'> = {},
  ): string {
    const inputs: Inputs = {};
    const context: RunContext = { labels: {}, names: {}, forFiles: false, ...extra };
    for (const [role, dataset] of Object.entries(datasets) as [InputRole, Dataset | null | undefined][]) {
      if (!dataset) continue;
      inputs[role] = this.sourceOf(dataset);
      context.labels[role] = dataset.path;
      context.names[role] = dataset.name;
    }
    const { handle } = startAnalysis(this.jobs, def, inputs, request, context, (fraction, stage, rowsRead?: number) =>
      this.emit('job', { jobId: handle.id, type: 'progress', fraction, stage, ...(rowsRead !== undefined ? { rowsRead } : {}) }),
    );
    const primary = datasets.input ?? datasets.prices ?? datasets.base ?? null;
    this.keepRun(handle, primary?.id ?? null, (artifact) => def.title(artifact, context), request);
    return handle.id;
  }

  /** Runs an engine job with progress events; its artifact becomes a run of the history. */
  private startJob<J extends EngineJob>(
    job: J,
    datasetId: string | null,
    title: (artifact: EngineResults[J['kind']]) => string,
    options: Run['options'],
  ): string {
    const handle: JobHandle<EngineResults[J['kind']]> = this.jobs.start(job, (fraction, stage, rowsRead?: number) =>
      this.emit('job', { jobId: handle.id, type: 'progress', fraction, stage, ...(rowsRead !== undefined ? { rowsRead } : {}) }),
    );
    this.keepRun(handle, datasetId, title, options);
    return handle.id;
  }

  /** When the job finishes, its artifact becomes a run of the history, sent with the done event. */
  private keepRun<A extends EngineResults[keyof EngineResults]>(
    handle: JobHandle<A>,
    datasetId: string | null,
    title: (artifact: A) => string,
    options: Run['options'],
  ): void {
    handle.result.then(
      (result) => {
        const runId = randomUUID();
        // A segments run's or an investigation's cube is kept beside its artifact (for the decomposition tree), never in it.
        const { cube, ...rest } = result as A & { cube?: unknown };
        const artifact = rest as A;
        this.store.addRun(
          {
            id: runId,
            kind: artifact.kind,
            datasetId,
            title: title(artifact),
            createdAt: new Date().toISOString(),
            options,
            artifact,
          } as NewRun,
          cube,
        );
        this.emit('job', { jobId: handle.id, type: 'done', runId, run: this.store.getRun(runId) });
      },
      (err) => {
        const info = toErrorInfo(err);
        this.emit(
          'job',
          info.code === 'CANCELLED' ? { jobId: handle.id, type: 'cancelled' } : { jobId: handle.id, type: 'failed', error: info },
        );
      },
    );
  }

  private saveCompare(
    artifact: Run['artifact'] & { kind: 'compare' },
    options: { baseRunId: string | null; newRunId: string | null; topMovers: number },
  ): string {
    const id = randomUUID();
    this.store.addRun({
      id,
      kind: 'compare',
      datasetId: null,
      title: compare.title(artifact),
      createdAt: new Date().toISOString(),
      options,
      artifact,
    });
    return id;
  }

  getRun(id: string): Run {
    return this.store.getRun(id);
  }

  /** Portfolio weights from a dataset: ticker,weight (a portfolio) or ticker with market_value, or shares and price (holdings). */
  private weightsOf(datasetId: string | null): { portfolio?: Dataset; holdings?: Dataset } {
    if (!datasetId) return {};
    const d = this.store.getDataset(datasetId);
    const cols = new Set(d.columns.map((c) => c.name.toLowerCase()));
    if (!cols.has('ticker'))
      throw new AppError(
        'BAD_REQUEST',
        `${d.name} has no 'ticker' column, so it cannot give portfolio weights`,
        'Pick a portfolio (ticker,weight) or holdings (ticker,market_value or shares,price) dataset.',
      );
    if (cols.has('weight')) return { portfolio: d };
    if (cols.has('market_value') || (cols.has('shares') && cols.has('price'))) return { holdings: d };
    throw new AppError(
      'BAD_REQUEST',
      `${d.name} has neither a 'weight' column nor 'market_value' (or 'shares' and 'price')`,
      'Pick a portfolio or holdings dataset.',
    );
  }

  exportRun(id: string, format: ExportFormat): ExportedFile {
    const run = this.store.getRun(id);
    const mime = MIME[format];
    const csvOnly = () =>
      new AppError('BAD_REQUEST', 'CSV export is for factor model and regression runs', 'Export this run as Markdown, JSON or HTML.');
    if (run.kind === 'compare') {
      if (format === 'csv') throw csvOnly();
      return { filename: compare.fileName(run.artifact, format), mime, content: compare.render[format](run.artifact) };
    }
    // Every other run's renderings and file names come from its analysis's definition.
    const def = analysisOfRun(run.kind)!;
    const render = def.render[format];
    if (!render) throw csvOnly();
    return { filename: def.fileName(run.artifact as never, format), mime, content: render(run.artifact as never) };
  }

  /** A new workspace starts with the demo datasets, once. */
  /**
   * Fills a new workspace once: the tables of the demo data folder and the profiles of the example
   * profiles folder (every `*.toml` but the `*.example.toml` templates). A file that does not parse
   * and a profile that does not check are skipped: the workspace still opens.
   */
  async seedDemo(dataDir: string, profilesDir?: string): Promise<void> {
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
    if (profilesDir) await this.seedProfiles(profilesDir);
    if (this.store.getMeta('name') === null) this.store.setMeta('name', 'Demo workspace');
    this.store.setMeta('demo_seeded', new Date().toISOString());
  }

  private async seedProfiles(profilesDir: string): Promise<void> {
    let files: string[] = [];
    try {
      files = (await readdir(profilesDir)).filter((n) => /\.toml$/i.test(n) && !/\.example\.toml$/i.test(n)).sort();
    } catch {
      files = [];
    }
    for (const file of files) {
      let parsed: ReturnType<typeof parseProfiles>;
      try {
        parsed = parseProfiles(await readFile(path.join(profilesDir, file), 'utf8'), file);
      } catch {
        continue;
      }
      for (const [name, profile] of Object.entries(parsed)) {
        if (isBuiltinName(name) || !PROFILE_NAME.test(name) || profileProblems(profile).length > 0) continue;
        this.store.saveProfile({ name, profile });
      }
    }
  }

  shutdown(): void {
    this.jobs.close();
    // Answers are stopped and the model process told to unload; it also ends when this process does.
    void this.explain.shutdown();
    this.store.close();
  }
}

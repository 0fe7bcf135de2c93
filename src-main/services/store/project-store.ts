import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ChatMessage, Connection, Dataset, NamedProfile, ProfileValues, Run, RunKind, RunSummary } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { runDetail } from '../../../src-shared/run-detail';
import { MIGRATIONS } from './migrations';
import { isNativeModuleFailure, nativeModuleMismatch } from './native-module';

/**
 * The workspace: one SQLite file holding its datasets (references to files, with their column
 * profile) and its runs (options and the artifact, so a past run opens without recomputing).
 */
export interface StoreOptions {
  /** A better-sqlite3 addon file to load instead of its prebuilt one (a hand-built module, or a test). */
  nativeBinding?: string;
}

export type NewRun = Omit<RunSummary, 'records' | 'segments'> & Pick<Run, 'options' | 'artifact'>;

interface RunRow {
  id: string;
  kind: RunKind;
  dataset_id: string | null;
  title: string;
  created_at: string;
  records: number;
  segments: number;
  options_json: string;
  artifact_json: string;
}

export class ProjectStore {
  private readonly db: Database.Database;

  private constructor(
    db: Database.Database,
    readonly file: string,
  ) {
    this.db = db;
  }

  static open(file: string, options: StoreOptions = {}): ProjectStore {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    let db: Database.Database | null = null;
    try {
      db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
      // Checked before anything writes to the file, so a damaged or newer one is left as it was.
      ProjectStore.checkIntact(db, file);
      ProjectStore.checkVersion(db, file);
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 3000');
      ProjectStore.migrate(db);
    } catch (err) {
      db?.close();
      if (err instanceof AppError) throw err;
      if (isNativeModuleFailure(err)) throw nativeModuleMismatch(err);
      const message = (err as Error).message;
      const code = (err as { code?: string }).code ?? '';
      if (/^SQLITE_CORRUPT/.test(code)) throw damagedWorkspace(file, message);
      if (/^SQLITE_NOTADB/.test(code) || /not a database|malformed|file is encrypted/i.test(message)) {
        throw new AppError(
          'FILE_UNREADABLE',
          `the workspace file ${file} is damaged or is not a FactorLens workspace (${message})`,
          'Open another workspace file; this one was left untouched.',
        );
      }
      throw new AppError(
        'FILE_UNREADABLE',
        `cannot open the workspace ${file}: ${message}`,
        'Check that the folder exists and that you may write there.',
      );
    }
    return new ProjectStore(db, path.resolve(file));
  }

  /** SQLite's quick check (page structure and indexes, not every value): a damaged file is refused at open, not at every later call. */
  private static checkIntact(db: Database.Database, file: string): void {
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
    if (problems.length > 0) throw damagedWorkspace(file, problems.join('; '));
  }

  /** A workspace written by a later release may use tables this one does not know. */
  private static checkVersion(db: Database.Database, file: string): void {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > MIGRATIONS.length) {
      throw new AppError(
        'WORKSPACE_TOO_NEW',
        `the workspace file ${file} was written by a newer FactorLens Workbench (workspace schema ${version}; this one knows up to ${MIGRATIONS.length})`,
        'Update FactorLens Workbench to open it, or open another workspace file. This one was left untouched.',
      );
    }
  }

  private static migrate(db: Database.Database): void {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v]!);
        db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  close(): void {
    this.db.close();
  }

  getMeta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  addDataset(dataset: Dataset): void {
    this.db
      .prepare('INSERT INTO datasets(id, name, path, added_at, row_count, dataset_json) VALUES (?, ?, ?, ?, ?, ?)')
      .run(dataset.id, dataset.name, dataset.path, dataset.addedAt, dataset.rowCount, JSON.stringify(dataset));
  }

  listDatasets(): Dataset[] {
    const rows = this.db.prepare('SELECT dataset_json FROM datasets ORDER BY added_at, rowid').all() as { dataset_json: string }[];
    return rows.map((r) => JSON.parse(r.dataset_json) as Dataset);
  }

  getDataset(id: string): Dataset {
    const row = this.db.prepare('SELECT dataset_json FROM datasets WHERE id = ?').get(id) as { dataset_json: string } | undefined;
    if (!row)
      throw new AppError(
        'NOT_FOUND',
        `no dataset with id ${id} in this workspace`,
        'Reload the workspace; the dataset may have been removed.',
      );
    return JSON.parse(row.dataset_json) as Dataset;
  }

  findDatasetByPath(file: string): Dataset | null {
    const row = this.db.prepare('SELECT dataset_json FROM datasets WHERE path = ?').get(file) as { dataset_json: string } | undefined;
    return row ? (JSON.parse(row.dataset_json) as Dataset) : null;
  }

  removeDataset(id: string): boolean {
    return this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0;
  }

  /** Stores a run; a segments run's packed cube (the decomposition tree's data) goes in the same transaction. */
  addRun(run: NewRun, cube?: unknown): void {
    this.db.transaction(() => {
      this.insertRun(run);
      if (cube !== undefined)
        this.db.prepare('INSERT INTO segment_cubes(run_id, cube_json) VALUES (?, ?)').run(run.id, JSON.stringify(cube));
    })();
  }

  /** The packed cube kept with a segments run; null when the run was stored without one (made before the tree). */
  getSegmentCube(runId: string): unknown {
    const row = this.db.prepare('SELECT cube_json FROM segment_cubes WHERE run_id = ?').get(runId) as { cube_json: string } | undefined;
    return row ? (JSON.parse(row.cube_json) as unknown) : null;
  }

  private insertRun(run: NewRun): void {
    const a = run.artifact;
    const [records, segments] =
      a.kind === 'analyze'
        ? [a.records, a.segments]
        : a.kind === 'compare'
          ? [a.new_records, a.new_segments]
          : a.kind === 'drivers'
            ? [a.base_rows + a.new_rows, a.drivers.length]
            : a.kind === 'investigate'
              ? [a.regression?.rows ?? 0, a.drivers.length]
              : a.kind === 'segments'
                ? [a.rows.base + a.rows.current, a.bridge.length - 1]
                : a.kind === 'factors'
                  ? [a.model.dates.length, a.model.k]
                  : a.kind === 'investigation'
                    ? [a.totals.base_records + a.totals.new_records, a.steps.length]
                    : [a.observations, Object.keys(a.betas).length];
    this.db
      .prepare(
        'INSERT INTO runs(id, kind, dataset_id, title, created_at, records, segments, options_json, artifact_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(run.id, a.kind, run.datasetId, run.title, run.createdAt, records, segments, JSON.stringify(run.options), JSON.stringify(a));
  }

  renameRun(id: string, title: string): RunSummary {
    if (this.db.prepare('UPDATE runs SET title = ? WHERE id = ?').run(title, id).changes === 0) {
      throw new AppError('NOT_FOUND', `no run with id ${id} in this workspace`, 'Pick a run from the history list.');
    }
    return this.listRuns().find((r) => r.id === id)!;
  }

  /** Replaces a run's artifact (a factor model renamed in the UI); the run keeps its id and options. */
  updateArtifact(id: string, artifact: Run['artifact']): void {
    if (this.db.prepare('UPDATE runs SET artifact_json = ? WHERE id = ?').run(JSON.stringify(artifact), id).changes === 0) {
      throw new AppError('NOT_FOUND', `no run with id ${id} in this workspace`, 'Pick a run from the history list.');
    }
  }

  listConnections(): { connection: Connection; cipher: Buffer | null }[] {
    const rows = this.db.prepare('SELECT connection_json, password_cipher FROM connections ORDER BY rowid').all() as {
      connection_json: string;
      password_cipher: Buffer | null;
    }[];
    return rows.map((r) => ({ connection: JSON.parse(r.connection_json) as Connection, cipher: r.password_cipher }));
  }

  getConnection(id: string): { connection: Connection; cipher: Buffer | null } {
    const row = this.db.prepare('SELECT connection_json, password_cipher FROM connections WHERE id = ?').get(id) as
      { connection_json: string; password_cipher: Buffer | null } | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no saved connection with id ${id}`, 'Pick a connection from the list, or save it first.');
    return { connection: JSON.parse(row.connection_json) as Connection, cipher: row.password_cipher };
  }

  /** Saves a connection; `cipher` undefined keeps the stored password, null removes it. */
  saveConnection(connection: Connection, cipher: Buffer | null | undefined): void {
    this.db
      .prepare(
        cipher === undefined
          ? 'INSERT INTO connections(id, connection_json) VALUES (@id, @json) ON CONFLICT(id) DO UPDATE SET connection_json = excluded.connection_json'
          : 'INSERT INTO connections(id, connection_json, password_cipher) VALUES (@id, @json, @cipher) ON CONFLICT(id) DO UPDATE SET connection_json = excluded.connection_json, password_cipher = excluded.password_cipher',
      )
      .run({ id: connection.id, json: JSON.stringify(connection), ...(cipher === undefined ? {} : { cipher }) });
  }

  removeConnection(id: string): boolean {
    return this.db.prepare('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
  }

  listProfiles(): NamedProfile[] {
    const rows = this.db.prepare('SELECT name, profile_json FROM profiles ORDER BY name COLLATE NOCASE').all() as {
      name: string;
      profile_json: string;
    }[];
    return rows.map((r) => ({ name: r.name, profile: JSON.parse(r.profile_json) as ProfileValues }));
  }

  /** Saves a profile; with `replaces`, renames that one in the same transaction. */
  saveProfile(p: NamedProfile, replaces?: string): void {
    this.db.transaction(() => {
      if (replaces !== undefined && replaces.toLowerCase() !== p.name.toLowerCase())
        this.db.prepare('DELETE FROM profiles WHERE name = ?').run(replaces);
      this.db
        .prepare(
          'INSERT INTO profiles(name, profile_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET name = excluded.name, profile_json = excluded.profile_json, updated_at = excluded.updated_at',
        )
        .run(p.name, JSON.stringify(p.profile), new Date().toISOString());
    })();
  }

  removeProfile(name: string): boolean {
    return this.db.prepare('DELETE FROM profiles WHERE name = ?').run(name).changes > 0;
  }

  listRuns(): RunSummary[] {
    const rows = this.db
      .prepare(
        'SELECT id, kind, dataset_id, title, created_at, records, segments, options_json FROM runs ORDER BY created_at DESC, rowid DESC',
      )
      .all() as RunRow[];
    return rows.map(summary);
  }

  getRun(id: string): Run {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `no run with id ${id} in this workspace`, 'Pick a run from the history list.');
    return { ...summary(row), options: JSON.parse(row.options_json), artifact: JSON.parse(row.artifact_json) } as Run;
  }

  /** The explain conversation saved with a run (empty when there is none). */
  getConversation(runId: string): ChatMessage[] {
    const row = this.db.prepare('SELECT messages_json FROM conversations WHERE run_id = ?').get(runId) as
      { messages_json: string } | undefined;
    return row ? (JSON.parse(row.messages_json) as ChatMessage[]) : [];
  }

  saveConversation(runId: string, messages: ChatMessage[]): void {
    if (messages.length === 0) {
      this.db.prepare('DELETE FROM conversations WHERE run_id = ?').run(runId);
      return;
    }
    this.db
      .prepare(
        'INSERT INTO conversations (run_id, messages_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(run_id) DO UPDATE SET messages_json = excluded.messages_json, updated_at = excluded.updated_at',
      )
      .run(runId, JSON.stringify(messages), new Date().toISOString());
  }

  removeRun(id: string): boolean {
    return this.db.prepare('DELETE FROM runs WHERE id = ?').run(id).changes > 0;
  }
}

function summary(row: RunRow): RunSummary {
  return {
    id: row.id,
    kind: row.kind,
    datasetId: row.dataset_id,
    title: row.title,
    createdAt: row.created_at,
    records: row.records,
    segments: row.segments,
    detail: runDetail(row.kind, parseOptions(row.options_json)),
  };
}

/** A run's stored options, for its history line; unreadable options give no detail rather than no history. */
function parseOptions(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return null;
  }
}

/** The workspace file is damaged: what happened and how to get going again, whichever host opened it. */
export function damagedWorkspace(file: string, detail: string): AppError {
  return new AppError(
    'FILE_UNREADABLE',
    `the workspace file ${file} is damaged (${detail})`,
    'Move the file aside (or put back a backup copy), then start again: where no workspace file is, a new empty one is made. The damaged file was left as it was.',
  );
}

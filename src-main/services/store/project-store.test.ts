import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../../../src-shared/analyze-options';
import { RunSchema } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { runAnalyze } from '../../engine/analyze/run';
import { describeDataset } from '../datasets';
import { MIGRATIONS } from './migrations';
import { ProjectStore } from './project-store';

const small = path.resolve(__dirname, '../../../tests/fixtures/small.csv');

describe('project store (a real SQLite file)', () => {
  it('keeps datasets and runs across close and reopen', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-store-'));
    const file = path.join(dir, 'nested', 'w.flworkspace');
    const dataset = await describeDataset({ kind: 'file', path: small });
    const options = AnalyzeOptionsSchema.parse({ groupBy: ['team'], metrics: ['sales'], rankBy: 'sales' });
    const artifact = await runAnalyze({ source: { kind: 'file', path: small }, options });

    const store = ProjectStore.open(file);
    store.addDataset(dataset);
    store.addRun({
      id: 'run-1',
      kind: 'analyze',
      datasetId: dataset.id,
      title: 'small.csv by team',
      createdAt: '2026-11-24T10:00:00.000Z',
      options,
      artifact,
    });
    store.addRun({
      id: 'run-2',
      kind: 'analyze',
      datasetId: dataset.id,
      title: 'second',
      createdAt: '2026-11-24T11:00:00.000Z',
      options,
      artifact,
    });
    store.saveProfile({ name: 'Weekly', profile: { group_by: ['team'], top: 5 } });
    store.saveProfile({ name: 'weekly', profile: { group_by: ['region'] } });
    store.saveProfile({ name: 'ops', profile: { min_records: 2 } });
    store.saveProfile({ name: 'ops_v2', profile: { min_records: 3 } }, 'ops');
    store.setMeta('name', 'Sales review');
    store.close();

    const reopened = ProjectStore.open(file);
    expect(reopened.getMeta('name')).toBe('Sales review');
    // Profile names are case-insensitive; saving under another case updates it; a rename replaces.
    expect(reopened.listProfiles()).toEqual([
      { name: 'ops_v2', profile: { min_records: 3 } },
      { name: 'weekly', profile: { group_by: ['region'] } },
    ]);
    expect(reopened.renameRun('run-1', 'Teams, first look').title).toBe('Teams, first look');
    expect(reopened.listDatasets()).toEqual([dataset]);
    expect(reopened.listDatasets()[0]!.rowCount).toBe(8);
    // Newest first, with the numbers a history list shows.
    expect(reopened.listRuns().map((r) => [r.id, r.kind, r.records, r.segments])).toEqual([
      ['run-2', 'analyze', 8, 3],
      ['run-1', 'analyze', 8, 3],
    ]);
    const run = reopened.getRun('run-1');
    expect(run.artifact).toEqual(artifact);
    expect(run.options).toEqual(options);
    // A stored run is what the contract says a run is (the response of runs.get).
    expect(RunSchema.parse(run)).toEqual(run);
    expect(run.kind === 'analyze' && run.artifact.groups[0]).toMatchObject({ group: 'Blue', sales: 1012 });

    // Removing a dataset keeps its runs (they hold their own artifact).
    expect(reopened.removeDataset(dataset.id)).toBe(true);
    expect(reopened.getRun('run-1').datasetId).toBeNull();
    expect(reopened.removeRun('run-2')).toBe(true);
    expect(reopened.listRuns()).toHaveLength(1);
    expect(() => reopened.getRun('run-2')).toThrow(AppError);
    reopened.close();
  });

  it('refuses a file that is not a workspace and leaves it untouched', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-store-'));
    const file = path.join(dir, 'notes.flworkspace');
    const content = 'these are my notes, not a database\n'.repeat(200);
    writeFileSync(file, content);
    let error: unknown;
    try {
      ProjectStore.open(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/damaged or is not a FactorLens workspace/);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  /** A real workspace with enough rows to span many pages, closed. */
  async function filledWorkspace(): Promise<string> {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-store-')), 'w.flworkspace');
    const dataset = await describeDataset({ kind: 'file', path: small });
    const store = ProjectStore.open(file);
    for (let i = 0; i < 300; i++) store.addDataset({ ...dataset, id: `d${i}`, path: `/data/file_${i}_${'x'.repeat(200)}.csv` });
    store.close();
    return file;
  }

  const openError = (file: string): AppError => {
    try {
      ProjectStore.open(file).close();
    } catch (err) {
      return err as AppError;
    }
    throw new Error('the workspace opened');
  };

  it('refuses a workspace with damaged pages at open, says how to recover, and leaves the file as it was', async () => {
    const file = await filledWorkspace();
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    expect(pages).toBeGreaterThan(10);
    // Overwrite the start of a page in the middle (its b-tree page header and cell pointers).
    const middle = Math.floor(pages / 2) * pageSize;
    bytes.fill(0xa5, middle, middle + 64);
    writeFileSync(file, bytes);
    // SQLite itself finds the damage (so the test damages what quick_check reads).
    const raw = new Database(file, { readonly: true });
    const check = (() => {
      try {
        return (raw.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).join('; ');
      } catch (err) {
        return (err as Error).message;
      }
    })();
    raw.close();
    expect(check).not.toBe('ok');

    const error = openError(file);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('FILE_UNREADABLE');
    expect(error.message).toContain(`the workspace file ${file} is damaged`);
    expect(error.hint).toMatch(/Move the file aside \(or put back a backup copy\).*a new empty one is made/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a workspace written by a newer release with a typed error, and leaves it as it was', async () => {
    const file = await filledWorkspace();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();
    const bytes = readFileSync(file);
    const error = openError(file);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('WORKSPACE_TOO_NEW');
    expect(error.message).toMatch(/written by a newer FactorLens Workbench \(workspace schema 99; this one knows up to \d+\)/);
    expect(error.hint).toMatch(/^Update FactorLens Workbench to open it/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    // One schema above this release is refused too; this release's own number opens.
    const next = new Database(file);
    next.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    next.close();
    expect(openError(file).code).toBe('WORKSPACE_TOO_NEW');
    const current = new Database(file);
    current.pragma(`user_version = ${MIGRATIONS.length}`);
    current.close();
    const store = ProjectStore.open(file);
    expect(store.listDatasets()).toHaveLength(300);
    store.close();
  });

  it('says to reinstall better-sqlite3 when its compiled module does not load, not to check the folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-store-'));
    // A module file that is no shared library: Node refuses it with ERR_DLOPEN_FAILED, as it does a damaged or foreign one.
    const binding = path.join(dir, 'better_sqlite3.node');
    writeFileSync(binding, 'not a compiled module\n');
    const file = path.join(dir, 'w.flworkspace');
    let error: AppError | undefined;
    try {
      ProjectStore.open(file, { nativeBinding: binding }).close();
    } catch (err) {
      error = err as AppError;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error!.code).toBe('NATIVE_MODULE_MISMATCH');
    expect(error!.message).toContain(`does not load in Node.js ${process.versions.node} on ${process.platform}-${process.arch}`);
    expect(error!.message).toContain(binding);
    expect(error!.hint).toContain('npm ci');
    expect(error!.hint).not.toMatch(/folder exists/);
    expect(existsSync(file)).toBe(false);
  });
});

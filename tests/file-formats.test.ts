import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeArtifact } from '../src-shared/artifacts/analyze';
import type { JobEvent, Run } from '../src-shared/contract';
import { AppError } from '../src-shared/errors';
import { openWorkbench } from '../src-main/hosts/open-workbench';
import type { Workbench } from '../src-main/services/workbench';

/** Parquet and JSON open like CSV; other formats are refused by name; a file added twice is one dataset. */
const root = path.resolve(__dirname, '..');
const moviesJson = path.join(root, 'tests/fixtures/vega/movies.json');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-formats-'));
const parquet = path.join(dir, 'orders.parquet');
const ndjson = path.join(dir, 'orders.jsonl');
const LISTED = 'the workbench reads CSV or TSV, Parquet, and JSON (an array of records, or one record per line)';

interface Movie {
  'Major Genre': string | null;
  'US Gross': number | null;
}
const movies = JSON.parse(readFileSync(moviesJson, 'utf8')) as Movie[];

/** US Gross summed per Major Genre in plain JavaScript (null genre as '(blank)'). */
function grossByGenre(): Map<string, { count: number; gross: number }> {
  const out = new Map<string, { count: number; gross: number }>();
  for (const m of movies) {
    const key = m['Major Genre'] ?? '(blank)';
    const e = out.get(key) ?? { count: 0, gross: 0 };
    e.count += 1;
    e.gross += m['US Gross'] ?? 0;
    out.set(key, e);
  }
  return out;
}

const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/factorlens.js'), ...args], { cwd: dir, encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let wb: Workbench;

function finished(jobId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wb.on('job', (e: JobEvent) => {
      if (e.jobId !== jobId) return;
      if (e.type === 'done') resolve(e.runId);
      else if (e.type === 'failed') reject(new Error(e.error.message));
    });
  });
}

beforeAll(async () => {
  // Parquet written by DuckDB (typed columns: text, decimal, date, integer with a null).
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(
    `COPY (SELECT * FROM (VALUES ('EU', 10.5::DECIMAL(10,2), DATE '2026-01-03', 3), ('US', 20.25, DATE '2026-01-04', NULL),
       ('EU', 4.25, DATE '2026-02-01', 1), ('APAC', 100, DATE '2026-02-02', 7)) AS t("Sales Region", revenue, order_date, units))
     TO '${parquet}' (FORMAT parquet)`,
  );
  conn.closeSync();
  writeFileSync(ndjson, '{"region":"EU","revenue":10}\n{"region":"US","revenue":"2,000"}\n{"region":"EU","revenue":null}\n');
  wb = await openWorkbench({
    workspaceFile: path.join(dir, 'w.flworkspace'),
    dataDir: dir,
    engineEntryUrl: pathToFileURL(__filename).href,
  });
});
afterAll(() => wb?.shutdown());

describe('Parquet and JSON files open like CSV', () => {
  it('movies.json (an array of records with spaced keys and nulls): columns, types, rows, preview and an analysis', async () => {
    const d = await wb.addFile(moviesJson);
    expect(d.rowCount).toBe(3201);
    expect(d.columns.map((c) => c.name)).toContain('Major Genre');
    const type = (name: string) => d.columns.find((c) => c.name === name)?.type;
    expect([type('US Gross'), type('IMDB Rating'), type('Major Genre'), type('Title')]).toEqual(['number', 'number', 'text', 'text']);
    // "US DVD Sales" is null in most records: filled counts the others in the profile's sample (the first 2,000 rows).
    const dvd = movies.slice(0, 2000).filter((m) => (m as unknown as Record<string, unknown>)['US DVD Sales'] !== null).length;
    expect(d.columns.find((c) => c.name === 'US DVD Sales')?.filled).toBe(dvd);
    const preview = (await wb.handle('datasets.preview', { id: d.id })) as { rows: (string | null)[][] };
    expect(preview.rows[0]!.slice(0, 3)).toEqual(['The Land Girls', '146083', '146083']);
    const { jobId } = (await wb.handle('analyze.start', {
      datasetId: d.id,
      options: { groupBy: ['Major Genre'], metrics: ['US Gross'] },
    })) as { jobId: string };
    const run = wb.getRun(await finished(jobId)) as Run & { kind: 'analyze' };
    const expected = grossByGenre();
    expect(run.artifact.records).toBe(3201);
    expect(run.artifact.segments).toBe(expected.size);
    for (const g of run.artifact.groups) {
      expect(g.count).toBe(expected.get(g.group)!.count);
      expect(g['US Gross']).toBe(expected.get(g.group)!.gross);
    }
  });

  it('a Parquet file written by DuckDB and a JSON-lines file: rows, types and the numbers of an analysis', async () => {
    const p = await wb.addFile(parquet);
    expect(p.rowCount).toBe(4);
    expect(p.columns.map((c) => [c.name, c.type])).toEqual([
      ['Sales Region', 'text'],
      ['revenue', 'number'],
      ['order_date', 'date'],
      ['units', 'number'],
    ]);
    const r = cli(['analyze', '--input', parquet, '--group-by', 'Sales Region', '--metrics', 'revenue,units', '--out', 'out/p.json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = JSON.parse(readFileSync(path.join(dir, 'out/p.json'), 'utf8')) as AnalyzeArtifact;
    const byGroup = Object.fromEntries(a.groups.map((g) => [g.group, [g.count, g.revenue, g.units]]));
    expect(byGroup).toEqual({ EU: [2, 14.75, 4], US: [1, 20.25, 0], APAC: [1, 100, 7] });

    const j = await wb.addFile(ndjson);
    expect(j.rowCount).toBe(3);
    expect(j.columns.map((c) => [c.name, c.type])).toEqual([
      ['region', 'text'],
      ['revenue', 'number'],
    ]);
  });

  it('the CLI analyzes movies.json by "Major Genre" with the sums plain JavaScript gives', () => {
    const r = cli(['analyze', '--input', moviesJson, '--group-by', 'Major Genre', '--metrics', 'US Gross', '--out', 'out/m.json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3,201 records in 13 segments');
    const a = JSON.parse(readFileSync(path.join(dir, 'out/m.json'), 'utf8')) as AnalyzeArtifact;
    const expected = grossByGenre();
    expect(a.total_primary_metric_value).toBe([...expected.values()].reduce((s, e) => s + e.gross, 0));
    expect(a.total_primary_metric_value).toBe(140_542_660_013);
    const comedy = a.groups.find((g) => g.group === 'Comedy')!;
    expect([comedy.count, comedy['US Gross']]).toEqual([675, 30_878_625_909]);
    expect(Object.fromEntries(a.groups.map((g) => [g.group, g['US Gross']]))).toEqual(
      Object.fromEntries([...expected].map(([k, e]) => [k, e.gross])),
    );
  });
});

describe('other formats are refused by name, listing what is read', () => {
  const refusal = async (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    const err = (await wb.addFile(file).catch((e: unknown) => e)) as AppError;
    expect(err).toBeInstanceOf(AppError);
    return `${err.code}: ${err.message}`;
  };

  it('a PNG image, an Excel-looking zip, a JSON object spread over lines, a .parquet that is not one', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(await refusal('chart.png', png)).toBe(`NOT_A_TABLE: ${path.join(dir, 'chart.png')} looks like a PNG image; ${LISTED}`);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('[Content_Types].xml')]);
    expect(await refusal('book.xlsx', zip)).toBe(
      `NOT_A_TABLE: ${path.join(dir, 'book.xlsx')} looks like a zip archive (an Excel .xlsx workbook is one); ${LISTED}`,
    );
    expect(await refusal('config.json', Buffer.from('{\n  "name": "sales",\n  "rows": 3\n}\n'))).toBe(
      `NOT_A_TABLE: ${path.join(dir, 'config.json')} looks like one JSON object spread over several lines, not an array of records or one record per line; ${LISTED}`,
    );
    expect(await refusal('fake.parquet', Buffer.from('a,b\n1,2\n'))).toMatch(
      /does not start like one \(no PAR1 marker\); the workbench reads CSV/,
    );
    // The CLI says the same.
    const r = cli(['analyze', '--input', 'chart.png']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(`looks like a PNG image; ${LISTED}`);
  });
});

describe('the same file added twice is one dataset', () => {
  it('the same path, a link to it, and a copy with the same name, size and time give the first dataset', async () => {
    const csv = path.join(dir, 'sales.csv');
    writeFileSync(csv, 'region,revenue\nEU,10\nUS,20\n');
    const first = await wb.addFile(csv);
    const count = wb.workspace().datasets.length;
    expect((await wb.handle('datasets.addFile', { path: csv })) as { id: string }).toMatchObject({ id: first.id });
    const link = path.join(dir, 'sales-link.csv');
    symlinkSync(csv, link);
    expect((await wb.addFile(link)).id).toBe(first.id);
    mkdirSync(path.join(dir, 'copy'));
    const copy = path.join(dir, 'copy', 'sales.csv');
    copyFileSync(csv, copy);
    const { atime, mtime } = statSync(csv);
    utimesSync(copy, atime, mtime);
    expect((await wb.addFile(copy)).id).toBe(first.id);
    expect(wb.workspace().datasets.length).toBe(count);
    // A changed copy is another dataset.
    writeFileSync(copy, 'region,revenue\nEU,11\nUS,20\n');
    expect((await wb.addFile(copy)).id).not.toBe(first.id);
  });

  it('an upload of the same name and content opens the earlier upload; other content is a new dataset', async () => {
    const body = 'region,revenue\nEU,1\nUS,2\n';
    const a = await wb.addUpload('drop.csv', Readable.from([body]));
    const count = wb.workspace().datasets.length;
    const b = await wb.addUpload('drop.csv', Readable.from([body]));
    expect(b.id).toBe(a.id);
    expect(wb.workspace().datasets.length).toBe(count);
    const c = await wb.addUpload('drop.csv', Readable.from(['region,revenue\nEU,1\nUS,3\n']));
    expect(c.id).not.toBe(a.id);
  });
});

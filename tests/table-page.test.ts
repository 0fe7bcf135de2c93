import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '../src-shared/analyze-options';
import type { Dataset, TablePage } from '../src-shared/contract';
import { datasetCsv, datasetPage, describeDataset } from '../src-main/services/datasets';
import type { TableQuery } from '../src-main/sources/table-page';
import { startTestServer, type TestServer } from './pg/server';

/**
 * The data grid's pages (datasets.rows) read by the scan engine: the same table as a CSV file
 * (DuckDB) and as a Postgres query must give the same pages. Codes spelled as numbers ('00123'),
 * non-ASCII text, blanks and dates are in it on purpose.
 */
const ROWS = [
  ['1', '00123', 'Zürich', '1200.5', '2024-01-03'],
  ['2', '123', 'São Paulo', '99', '2024-01-01'],
  ['3', '00042', '東京', '-5', '2024-02-10'],
  ['4', 'A-7', 'zürich west', '', '2024-01-02'],
  ['5', '00123', 'Oslo', '1000000', '2023-12-31'],
  ['6', '9', 'Ærø', '10', ''],
  ['7', '10', 'Köln', '2.25', '2024-01-05'],
];
const HEADER = ['id', 'code', 'city', 'amount', 'day'];

let server: TestServer;
let csvSource: Source;
let pgSource: Source;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-grid-'));
  const file = path.join(dir, 'cities.csv');
  writeFileSync(file, [HEADER, ...ROWS].map((r) => r.join(',')).join('\n') + '\n');
  csvSource = { kind: 'file', path: file };

  server = await startTestServer();
  const admin = new pg.Client({ connectionString: server.url('postgres', 'postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE grid');
  await admin.end();
  const db = new pg.Client({ connectionString: server.url('postgres', 'grid') });
  await db.connect();
  await db.query('CREATE TABLE cities (id int, code text, city text, amount numeric, day date)');
  for (const r of ROWS)
    await db.query(
      'INSERT INTO cities VALUES ($1, $2, $3, $4, $5)',
      r.map((v) => (v === '' ? null : v)),
    );
  await db.end();
  pgSource = {
    kind: 'postgres',
    connection: { url: server.url('postgres', 'grid'), password: null, sslMode: 'disable', caFile: null, certFile: null, keyFile: null },
    query: 'SELECT * FROM cities ORDER BY id',
    statementTimeoutMs: 60_000,
  };
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const view = (over: Partial<TableQuery> = {}): TableQuery => ({ sort: null, filters: [], search: '', ...over });
const ids = (page: TablePage) => page.rows.map((r) => r[0]);

describe.each([
  ['a CSV file (DuckDB)', () => csvSource],
  ['a Postgres query', () => pgSource],
])('pages of %s', (_, source) => {
  let dataset: Dataset;
  const page = (q: Partial<TableQuery>, offset = 0, limit = 100) => datasetPage(source(), dataset, view(q), offset, limit);
  beforeAll(async () => {
    dataset = await describeDataset(source());
  });

  it('reads pages in the source order with the total, keeping cells as text', async () => {
    const first = await page({}, 0, 3);
    expect(first).toMatchObject({ total: 7, offset: 0 });
    expect(ids(first)).toEqual(['1', '2', '3']);
    expect(first.rows[0]).toEqual(['1', '00123', 'Zürich', '1200.5', '2024-01-03']);
    expect(first.rows[2]).toEqual(['3', '00042', '東京', '-5', '2024-02-10']);
    const last = await page({}, 5, 10);
    expect(last).toMatchObject({ total: 7, offset: 5 });
    expect(last.rows).toEqual([
      ['6', '9', 'Ærø', '10', null],
      ['7', '10', 'Köln', '2.25', '2024-01-05'],
    ]);
  });

  it('sorts numbers by value, dates by day and blanks last, both ways', async () => {
    expect(ids(await page({ sort: { column: 'amount', direction: 'asc' } }))).toEqual(['3', '7', '6', '2', '1', '5', '4']);
    expect(ids(await page({ sort: { column: 'amount', direction: 'desc' } }))).toEqual(['5', '1', '2', '6', '7', '3', '4']);
    expect(ids(await page({ sort: { column: 'day', direction: 'asc' } }))).toEqual(['5', '2', '4', '1', '7', '3', '6']);
    // Codes: 9 < 10 < 42 < 123; equal numbers by their text ('00123' before '123'), then in source order.
    expect(ids(await page({ sort: { column: 'code', direction: 'asc' } }))).toEqual(['6', '7', '3', '1', '5', '2', '4']);
    expect(ids(await page({ sort: { column: 'city', direction: 'asc' } }))).toEqual(['7', '5', '2', '1', '4', '6', '3']);
  });

  it('pages a sorted view without overlap', async () => {
    const sort = { column: 'code', direction: 'asc' } as const;
    const pages = [await page({ sort }, 0, 3), await page({ sort }, 3, 3), await page({ sort }, 6, 3)];
    expect(pages.flatMap(ids)).toEqual(['6', '7', '3', '1', '5', '2', '4']);
    expect(pages.map((p) => p.offset)).toEqual([0, 3, 6]);
  });

  it('filters by exact text (a code keeps its zeros), by containing text and by number', async () => {
    const codes = await page({ filters: [{ column: 'code', op: '=', value: '00123' }] });
    expect(ids(codes)).toEqual(['1', '5']);
    expect(codes.total).toBe(2);
    expect(ids(await page({ filters: [{ column: 'code', op: '!=', value: '00123' }] }))).toEqual(['2', '3', '4', '6', '7']);
    expect(ids(await page({ filters: [{ column: 'city', op: 'contains', value: 'ZÜR' }] }))).toEqual(['1', '4']);
    expect(ids(await page({ filters: [{ column: 'amount', op: '>', value: '1,000' }] }))).toEqual(['1', '5']);
    expect(ids(await page({ filters: [{ column: 'amount', op: '<=', value: '10' }] }))).toEqual(['3', '6', '7']);
  });

  it('searches every column, case-insensitively, and combines search, filters, sort and offset', async () => {
    expect(ids(await page({ search: '東' }))).toEqual(['3']);
    expect(ids(await page({ search: 'oslo' }))).toEqual(['5']);
    const both = await page(
      { search: '2024', filters: [{ column: 'amount', op: '>', value: '0' }], sort: { column: 'amount', direction: 'desc' } },
      1,
      2,
    );
    // 2024 rows with amount > 0: 1200.5 (1), 99 (2), 2.25 (7).
    expect(both).toMatchObject({ total: 3, offset: 1 });
    expect(ids(both)).toEqual(['2', '7']);
  });

  it('keeps the days within date windows (ends included, a blank day in none), one window or several', async () => {
    // Days 2024-01-01 (id 2), 01-02 (4), 01-03 (1); 01-05 (7) and 2023-12-31 (5) are outside.
    const window = { column: 'day', op: 'between', value: '2024-01-01..2024-01-03' } as const;
    expect(ids(await page({ filters: [window] }))).toEqual(['1', '2', '4']);
    // Two windows: 2023-12-31..2024-01-01 keeps ids 5 and 2, February keeps id 3 (2024-02-10).
    const two = await page({ filters: [{ column: 'day', op: 'between', value: '2023-12-31..2024-01-01, 2024-02-01..2024-02-29' }] });
    expect(ids(two)).toEqual(['2', '3', '5']);
    expect(two.total).toBe(3);
    // With the other filters: within the first window, amounts above 100 (1200.5 of id 1 only).
    expect(ids(await page({ filters: [window, { column: 'amount', op: '>', value: '100' }] }))).toEqual(['1']);
  });

  it('refuses a date window that is no start..end of real days', async () => {
    for (const value of ['2024-01-01', '2024-02-30..2024-03-01', '2024-03-01..2024-01-01', '2024-01-01..2024-01-31,', 'Jan..Feb'])
      await expect(page({ filters: [{ column: 'day', op: 'between', value }] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('matches text ignoring case with =i (trimmed, like a run whose filters ignore case)', async () => {
    expect(ids(await page({ filters: [{ column: 'code', op: '=i', value: 'a-7' }] }))).toEqual(['4']);
    expect(ids(await page({ filters: [{ column: 'city', op: '=i', value: ' OSLO ' }] }))).toEqual(['5']);
    // Exact '=' keeps neither.
    expect((await page({ filters: [{ column: 'code', op: '=', value: 'a-7' }] })).total).toBe(0);
    expect((await page({ filters: [{ column: 'city', op: '=', value: 'OSLO' }] })).total).toBe(0);
  });

  it('reads quotes and SQL in filter and search values as text, never as SQL', async () => {
    const attacks = ["x' OR '1'='1", "'); DROP TABLE t; --", "\\' OR 1=1 --", '" OR ""="'];
    for (const value of attacks) {
      expect((await page({ filters: [{ column: 'city', op: '=', value }] })).total).toBe(0);
      expect((await page({ filters: [{ column: 'city', op: 'contains', value }] })).total).toBe(0);
      expect((await page({ filters: [{ column: 'city', op: '=i', value }] })).total).toBe(0);
      expect((await page({ search: value })).total).toBe(0);
    }
    // The table is still whole afterwards.
    expect((await page({})).total).toBe(7);
  });

  it('refuses a number filter without a number and an unknown column', async () => {
    await expect(page({ filters: [{ column: 'amount', op: '>', value: 'lots' }] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(page({ filters: [{ column: 'nope', op: '=', value: 'x' }] })).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
    await expect(page({ sort: { column: 'nope', direction: 'asc' } })).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
  });

  it('exports the whole view as CSV in its order', async () => {
    const out = await datasetCsv(
      source(),
      dataset,
      view({ filters: [{ column: 'amount', op: '>=', value: '-5' }], sort: { column: 'amount', direction: 'asc' } }),
    );
    expect(out.rows).toBe(6);
    const read = parse(out.csv) as string[][];
    expect(read[0]).toEqual(HEADER);
    expect(read.slice(1).map((r) => r[0])).toEqual(['3', '7', '6', '2', '1', '5']);
    expect(read[1]).toEqual(['3', '00042', '東京', '-5', '2024-02-10']);
  });
});

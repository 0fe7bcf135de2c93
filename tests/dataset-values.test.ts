import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput, type Source } from '../src-shared/analyze-options';
import { AppError } from '../src-shared/errors';
import { runAnalyze } from '../src-main/engine/analyze/run';
import { columnValues, dateRange, matchCounts } from '../src-main/services/dataset-values';
import { startTestServer, type TestServer } from './pg/server';

/**
 * The analyze form's look-ups (a column's values, rows kept by filters and windows, a date
 * column's range) and the filter options of analyze, on vega's birdstrikes: as a CSV file and as
 * a Postgres table (typed date and numbers) on a real server. Both must give the same answers.
 */
const root = path.resolve(__dirname, '..');
const csvPath = path.join(root, 'tests/fixtures/vega/birdstrikes.csv');
let server: TestServer;

const sources: Record<'csv' | 'postgres', () => Source> = {
  csv: () => ({ kind: 'file', path: csvPath }),
  postgres: () => ({
    kind: 'postgres',
    connection: { url: server.url('postgres', 'birds'), password: null, sslMode: 'disable', caFile: null, certFile: null, keyFile: null },
    query: 'SELECT * FROM birdstrikes',
    statementTimeoutMs: 60_000,
  }),
};

beforeAll(async () => {
  server = await startTestServer();
  const admin = new pg.Client({ connectionString: server.url('postgres', 'postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE birds');
  await admin.end();
  const db = new pg.Client({ connectionString: server.url('postgres', 'birds') });
  await db.connect();
  const text = readFileSync(csvPath, 'utf8');
  const header = (parse(text, { to_line: 1 }) as string[][])[0]!;
  const types: Record<string, string> = {
    'Flight Date': 'date',
    'Cost Other': 'numeric(12,2)',
    'Cost Repair': 'numeric(12,2)',
    'Cost Total $': 'numeric(12,2)',
    'Speed IAS in knots': 'int',
  };
  await db.query(`CREATE TABLE birdstrikes (${header.map((h) => `"${h}" ${types[h] ?? 'text'}`).join(', ')})`);
  const rows = (parse(text, { from_line: 2 }) as string[][]).map((r) => r.map((v) => (v === '' ? null : v)));
  const width = header.length;
  for (let at = 0; at < rows.length; at += 500) {
    const chunk = rows.slice(at, at + 500);
    await db.query(
      `INSERT INTO birdstrikes VALUES ${chunk.map((_, i) => `(${Array.from({ length: width }, (__, j) => `$${i * width + j + 1}`).join(', ')})`).join(', ')}`,
      chunk.flat(),
    );
  }
  await db.end();
}, 180_000);

afterAll(() => server?.stop());

const analyze = (source: Source, o: AnalyzeOptionsInput) => runAnalyze({ source, options: AnalyzeOptionsSchema.parse(o) });

describe.each(['csv', 'postgres'] as const)('birdstrikes from %s', (kind) => {
  const source = () => sources[kind]();

  it('datasets.values: the most common values with their rows, and a search ignoring case', async () => {
    expect(await columnValues(source(), 'Wildlife Size', '', 50)).toEqual({
      values: [
        { value: 'Small', rows: 4910 },
        { value: 'Medium', rows: 4346 },
        { value: 'Large', rows: 744 },
      ],
      distinct: 3,
    });
    expect(await columnValues(source(), 'Origin State', 'NEW', 50)).toEqual({
      values: [
        { value: 'New York', rows: 391 },
        { value: 'New Jersey', rows: 351 },
      ],
      distinct: 2,
    });
    // The limit caps the list, not the count of values; % and _ in a search are plain characters.
    const two = await columnValues(source(), 'Origin State', '', 2);
    expect(two.values).toHaveLength(2);
    expect(two.distinct).toBe(29);
    expect((await columnValues(source(), 'Origin State', '%', 50)).values).toEqual([]);
  });

  it('datasets.dateRange: the first and last flight date', async () => {
    expect(await dateRange(source(), 'Flight Date')).toEqual({
      column: 'Flight Date',
      first: '1990-01-08',
      last: '2002-07-25',
      dates: 10_000,
    });
  });

  it('datasets.matchCount: rows per filter, together, ignoring case by choice, and per window', async () => {
    const where = [
      { column: 'Origin State', value: 'texas' },
      { column: 'Wildlife Size', value: 'Large' },
    ];
    expect(await matchCounts(source(), { where, whereIgnoreCase: false, period: null })).toEqual({
      rows: 10_000,
      kept: 0,
      perFilter: [0, 744],
      windows: null,
    });
    expect(await matchCounts(source(), { where, whereIgnoreCase: true, period: null })).toMatchObject({ kept: 45, perFilter: [1495, 744] });
    // The month before the latest date's (June 2002) against the one before (May 2002).
    const period = {
      dateColumn: 'Flight Date',
      current: { start: '2002-06-01', end: '2002-06-30' },
      previous: { start: '2002-05-01', end: '2002-05-31' },
    };
    expect((await matchCounts(source(), { where: [], whereIgnoreCase: false, period })).windows).toEqual({ current: 109, previous: 163 });
    const today = {
      dateColumn: 'Flight Date',
      current: { start: '2026-10-01', end: '2026-10-31' },
      previous: { start: '2026-09-01', end: '2026-09-30' },
    };
    expect((await matchCounts(source(), { where: [], whereIgnoreCase: false, period: today })).windows).toEqual({
      current: 0,
      previous: 0,
    });
  });

  it('an unknown column is a typed error listing the columns', async () => {
    await expect(columnValues(source(), 'Wingspan', '', 10)).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
  });

  it('analyze with nothing chosen picks the same groups and metrics as from the file', async () => {
    const a = await analyze(source(), {});
    expect(a.group_by).toEqual(['Wildlife Size', 'Time of day']);
    expect(a.metrics).toEqual(['Speed IAS in knots', 'Cost Total $', 'Cost Repair']);
    expect(a.segments).toBe(12);
  });

  it('filters ignoring case keep the same rows as the exact spelling', async () => {
    const exact = await analyze(source(), {
      groupBy: ['Wildlife Size'],
      countOnly: true,
      where: [{ column: 'Origin State', value: 'Texas' }],
    });
    const folded = await analyze(source(), {
      groupBy: ['Wildlife Size'],
      countOnly: true,
      where: [{ column: 'Origin State', value: 'TEXAS' }],
      whereIgnoreCase: true,
    });
    expect(exact.records).toBe(1495);
    expect(folded.groups).toEqual(exact.groups);
  });

  it('a filter that matches no row fails with a typed error naming it', async () => {
    const run = analyze(source(), {
      groupBy: ['Wildlife Size'],
      countOnly: true,
      where: [
        { column: 'Wildlife Size', value: 'Large' },
        { column: 'Origin State', value: 'texas' },
      ],
    });
    await expect(run).rejects.toBeInstanceOf(AppError);
    await expect(run).rejects.toMatchObject({
      code: 'NO_MATCHING_ROWS',
      message: "the filter Origin State = 'texas' matches no row of 10,000",
      options: ['where', 'whereIgnoreCase'],
    });
    // Each filter matches rows, but not together.
    await expect(
      analyze(source(), {
        groupBy: ['Wildlife Size'],
        countOnly: true,
        where: [
          { column: 'Wildlife Size', value: 'Large' },
          { column: 'Wildlife Size', value: 'Small' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'NO_MATCHING_ROWS', message: expect.stringContaining('no row matches all of them') });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput, type Source } from '../src-shared/analyze-options';
import { prepareAnalyze, runAnalyze } from '../src-main/engine/analyze/run';
import { duckdbDialect, postgresDialect, type PgColumnKind } from '../src-main/sources/dialect';
import { queryRows, withConnection } from '../src-main/sources/duckdb';
import { quoteLiteral } from '../src-main/sources/sql';
import type { DayMonthOrder } from '../src-main/sources/dates';
import { DATE_CELLS, NUMBER_CELLS } from './fixtures/cell-battery';
import { startTestServer, type TestServer } from './pg/server';

/**
 * Postgres and DuckDB read a text cell alike: its date (in each day/month order), whether it is a
 * date for the profile, what it proves about the order, its number, and whether it is a number
 * that is not finite. Postgres raises an error for a failed cast, so these also prove that no
 * cell ends the query (1e309, 2026-02-30, …).
 */
let server: TestServer;
let client: pg.Client;

beforeAll(async () => {
  server = await startTestServer();
  client = new pg.Client({ connectionString: server.url('postgres', 'postgres') });
  await client.connect();
  await client.query('CREATE TABLE mixed (order_date text, region text, revenue text)');
  await client.query('INSERT INTO mixed SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [
    MIXED.map((r) => r[0]),
    MIXED.map((r) => r[1]),
    MIXED.map((r) => r[2]),
  ]);
}, 120_000);

afterAll(async () => {
  await client?.end().catch(() => {});
  server?.stop();
});

const ORDERS: DayMonthOrder[] = ['month-first', 'day-first', 'by-separator'];

/** Orders with dates in many forms (13.01.2026 proves day first), two unreadable, and NaN revenue. */
const MIXED: [string, string, string][] = [
  ['2026-02-03', 'US', '10'],
  ['03.02.2026', 'EU', '20'],
  ['13.01.2026', 'US', 'NaN'],
  ['Jan 20, 2026', 'EU', '40'],
  ['20260125', 'US', '1e309'],
  ['2026/2/14 09:00', 'EU', '60'],
  ['14/02/2026', 'US', '70'],
  ['next week', 'US', '80'],
  ['2026-02-30', 'EU', '90'],
  ['', 'EU', '100'],
];

async function inPostgres(cells: string[], exprs: Record<string, string>, type = 'text') {
  const cols = Object.entries(exprs)
    .map(([k, e]) => `${e} AS ${k}`)
    .join(', ');
  const r = await client.query(
    `SELECT i, ${cols} FROM (SELECT (ord - 1)::int AS i, v::${type} AS v FROM unnest($1::text[]) WITH ORDINALITY AS t(v, ord)) AS t ORDER BY i`,
    [cells],
  );
  return r.rows as Record<string, unknown>[];
}

function inDuckdb(cells: string[], exprs: Record<string, string>) {
  const list = `[${cells.map(quoteLiteral).join(', ')}]::VARCHAR[]`;
  const cols = Object.entries(exprs)
    .map(([k, e]) => `${e} AS ${k}`)
    .join(', ');
  return withConnection((conn) =>
    queryRows(conn, `SELECT i, ${cols} FROM (SELECT unnest(range(${cells.length})) AS i, unnest(${list}) AS v) AS t ORDER BY i`),
  );
}

const day = (v: unknown) =>
  v instanceof Date
    ? `${String(v.getFullYear()).padStart(4, '0')}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`
    : v === null
      ? null
      : String(v);
const dayUtc = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? null : String(v));
const num = (v: unknown) => (v === null ? null : Number(v));

describe('text cells read alike in Postgres and DuckDB', () => {
  it('dates in each day/month order, profile date cells and order proofs', async () => {
    const text = postgresDialect({ v: 'text' } satisfies Record<string, PgColumnKind>);
    const exprs = (dl: typeof duckdbDialect) => ({
      ...Object.fromEntries(ORDERS.map((o, k) => [`d${k}`, dl.date('v', o)])),
      l: dl.dateLike('v'),
      p: dl.dayMonthProof('v'),
      b: dl.blank('v'),
    });
    const [p, d] = [await inPostgres(DATE_CELLS, exprs(text)), await inDuckdb(DATE_CELLS, exprs(duckdbDialect))];
    for (let i = 0; i < DATE_CELLS.length; i++) {
      const cell = DATE_CELLS[i]!;
      // node-postgres gives a DATE as local midnight, DuckDB as UTC midnight.
      ORDERS.forEach((o, k) => expect([cell, o, day(p[i]![`d${k}`])]).toEqual([cell, o, dayUtc(d[i]![`d${k}`])]));
      expect([cell, p[i]!.l, p[i]!.p, p[i]!.b]).toEqual([cell, d[i]!.l, d[i]!.p, d[i]!.b]);
    }
  });

  it('numbers and non-finite numbers (only DuckDB reads 1_000 as a number; Postgres as text)', async () => {
    const text = postgresDialect({ v: 'text' });
    const exprs = (dl: typeof duckdbDialect) => ({ n: dl.number('v'), z: dl.nonFinite('v') });
    const [p, d] = [await inPostgres(NUMBER_CELLS, exprs(text)), await inDuckdb(NUMBER_CELLS, exprs(duckdbDialect))];
    for (let i = 0; i < NUMBER_CELLS.length; i++) {
      const cell = NUMBER_CELLS[i]!;
      if (cell === '1_000') {
        expect([num(p[i]!.n), num(d[i]!.n)]).toEqual([null, 1000]);
        continue;
      }
      expect([cell, num(p[i]!.n), p[i]!.z]).toEqual([cell, num(d[i]!.n), d[i]!.z]);
    }
  });

  it('typed columns: a stored NaN or infinity is a non-finite number, a typed date needs no order', async () => {
    const floats = await inPostgres(
      ['1.5', 'NaN', 'Infinity', '-Infinity'],
      { z: postgresDialect({ v: 'float' }).nonFinite('v') },
      'float8',
    );
    expect(floats.map((r) => r.z)).toEqual([false, true, true, true]);
    const decimals = await inPostgres(['1.5', 'NaN', 'Infinity'], { z: postgresDialect({ v: 'decimal' }).nonFinite('v') }, 'numeric');
    expect(decimals.map((r) => r.z)).toEqual([false, true, true]);
    const dates = postgresDialect({ v: 'date' });
    const typed = await inPostgres(
      ['2026-01-07', '2026-07-01'],
      { d: dates.date('v', 'day-first'), l: dates.dateLike('v'), p: dates.dayMonthProof('v') },
      'date',
    );
    expect(typed.map((r) => [day(r.d), r.l, r.p])).toEqual([
      ['2026-01-07', true, null],
      ['2026-07-01', true, null],
    ]);
  });
});

describe('analyze on Postgres text dates reads them as on the CSV file', () => {
  it('the same windows, order, unreadable dates and NaN cells; analyze-validate refuses the same dates', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-pg-cells-')), 'mixed.csv');
    writeFileSync(
      file,
      ['order_date,region,revenue', ...MIXED.map((r) => r.map((c) => (c.includes(',') ? `"${c}"` : c)).join(','))].join('\n') + '\n',
    );
    const pgSource: Source = {
      kind: 'postgres',
      connection: {
        url: server.url('postgres', 'postgres'),
        password: null,
        sslMode: 'disable',
        caFile: null,
        certFile: null,
        keyFile: null,
      },
      query: 'SELECT * FROM mixed',
      statementTimeoutMs: 60_000,
    };
    const options: AnalyzeOptionsInput = {
      groupBy: ['region'],
      metrics: ['revenue'],
      period: { mode: 'derived', dateColumn: 'order_date', grain: 'month', preset: 'last', anchorDate: '2026-03-15' },
    };
    const results = [];
    for (const source of [{ kind: 'file', path: file } as const, pgSource]) {
      const a = await runAnalyze({ source, options: AnalyzeOptionsSchema.parse(options) });
      results.push({ period: a.period_compare, nonFinite: a.non_finite_cells, warnings: a.warnings });
      await expect(prepareAnalyze({ source, options: AnalyzeOptionsSchema.parse(options) }, true)).rejects.toMatchObject({
        code: 'BAD_ARGUMENT',
        message: expect.stringContaining("has 2 cells that cannot be read as dates (e.g. 'next week', '2026-02-30')"),
      });
    }
    // February: 2026-02-03, 03.02.2026, 2026/2/14, 14/02/2026 (day first); January: 13.01.2026, Jan 20, 20260125.
    expect(results[0]!.period).toMatchObject({
      current_records: 4,
      previous_records: 3,
      current_primary_metric_value: 160,
      previous_primary_metric_value: 40,
      day_month_order: 'day-first',
      unreadable_dates: { count: 2, examples: ['next week', '2026-02-30'] },
    });
    expect(results[0]!.nonFinite).toEqual({ revenue: 2 });
    expect(results[1]).toEqual(results[0]);
  });
});

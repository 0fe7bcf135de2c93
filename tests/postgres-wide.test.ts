import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresSource } from '../src-shared/analyze-options';
import { runDrivers } from '../src-main/engine/drivers/run';
import { runInvestigate } from '../src-main/engine/investigate/run';
import { runSuggest } from '../src-main/engine/suggest/run';
import { startTestServer, type TestServer } from './pg/server';

/**
 * A wide table on a real Postgres server (600 columns: more than one query can return with 4
 * aggregates each, Postgres' limit being 1,664) and its CSV export: analyze-suggest,
 * analyze-drivers and analyze-investigate give the same answers from both. The drivers run on
 * its first 160 columns (the server's column profile, which they need, reads every cell's
 * date forms and takes about a second per 50 columns of 1,000 rows).
 */
const COLUMNS = 600;
const DRIVER_COLUMNS = 160;
let server: TestServer;
let admin: pg.Client;
let csv: string;
let csvFirst: string;
let firstColumns: string;

const pgSource = (query: string): PostgresSource => ({
  kind: 'postgres',
  connection: { url: server.url('postgres', 'wide'), password: null, sslMode: 'disable', caFile: null, certFile: null, keyFile: null },
  query,
  statementTimeoutMs: 120_000,
});

beforeAll(async () => {
  server = await startTestServer();
  admin = new pg.Client({ connectionString: server.url('postgres', 'postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE wide');
  await admin.end();
  admin = new pg.Client({ connectionString: server.url('postgres', 'wide') });
  await admin.connect();
  // revenue = orders * price, plus 500 on APAC rows from April on; then numbers and four-valued text.
  const others = Array.from({ length: COLUMNS - 5 }, (_, c) =>
    c % 2 === 0
      ? `((i * ${c + 7}) % 997)::float8 / 10 AS n${c}`
      : `(ARRAY['alpha','beta','gamma','delta'])[1 + ((i * ${c + 3}) / 7) % 4] AS t${c}`,
  );
  await admin.query(`CREATE TABLE wide AS
    SELECT (DATE '2026-01-01' + (i % 120))::date AS date,
           (ARRAY['US','EU','APAC'])[1 + i % 3] AS region,
           1 + (i * 7) % 50 AS orders,
           (10 + (i * 13) % 90)::numeric(10,2) AS price_usd,
           ((1 + (i * 7) % 50) * (10 + (i * 13) % 90) + CASE WHEN i % 3 = 2 AND i % 120 >= 90 THEN 500 ELSE 0 END)::numeric(14,2) AS revenue_usd,
           ${others.join(',\n           ')}
    FROM generate_series(0, 999) AS i`);
  csv = path.join(server.dir, 'wide.csv');
  await admin.query(`COPY wide TO '${csv}' WITH (FORMAT csv, HEADER true)`);
  firstColumns = `SELECT ${['date', 'region', 'orders', 'price_usd', 'revenue_usd', ...Array.from({ length: DRIVER_COLUMNS - 5 }, (_, c) => (c % 2 === 0 ? `n${c}` : `t${c}`))].join(', ')} FROM wide`;
  csvFirst = path.join(server.dir, 'first.csv');
  await admin.query(`COPY (${firstColumns}) TO '${csvFirst}' WITH (FORMAT csv, HEADER true)`);
}, 120_000);

afterAll(async () => {
  await admin?.end().catch(() => {});
  server?.stop();
});

/** Numbers to 9 significant digits (Postgres and DuckDB add doubles in their own orders). */
const round = (v: unknown): unknown =>
  typeof v === 'number'
    ? Number(v.toPrecision(9))
    : Array.isArray(v)
      ? v.map(round)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]))
        : v;

describe(`a ${COLUMNS}-column table on Postgres`, () => {
  const april = { current: { start: '2026-04-01', end: '2026-04-30' }, previous: { start: '2026-03-01', end: '2026-03-31' } };

  it('analyze-suggest profiles every column on the server, as from the CSV export', async () => {
    const o = { profileName: 'suggested', autoGroupK: 3, maxMetrics: 3, sampleRows: 2000, sampleMode: 'head' as const, sampleSeed: 42 };
    const fromPg = await runSuggest(pgSource('SELECT * FROM wide'), o);
    const fromCsv = await runSuggest(csv, o);
    expect(fromPg.columns).toHaveLength(COLUMNS);
    expect(fromPg.suggested_group_by).toEqual(['t1', 't3', 't5']);
    expect(fromPg.suggested_date_column).toBe('date');
    // Top values tie on counts: compare them as sets.
    const pick = (a: typeof fromPg) =>
      round({ ...a, input: null, columns: a.columns.map((c) => ({ ...c, top_values: [...c.top_values].sort() })) });
    expect(pick(fromPg)).toEqual(pick(fromCsv));
  }, 120_000);

  it(`analyze-drivers and analyze-investigate on ${DRIVER_COLUMNS} columns: the same identity, closure and findings as the CSV run`, async () => {
    const req = {
      input: csvFirst,
      inputNew: null,
      metric: 'revenue_usd',
      period: { dateColumn: 'date', windows: april },
      identity: null,
      method: 'lmdi' as const,
    };
    const fromCsv = await runDrivers(req);
    const fromPg = await runDrivers({ ...req, source: pgSource(firstColumns) });
    expect(fromPg.identity.expression).toBe('revenue_usd = orders * price_usd');
    expect(fromPg.warnings[0]).toMatch(/^The identity was searched among the 16 of 80 numeric columns/);
    // The alternatives come from columns picked by a correlation, whose last bits differ between the engines.
    const strip = (a: typeof fromPg) => round({ ...a, input: null, candidates: a.candidates.slice(0, 1) });
    expect(strip(fromPg)).toEqual(strip(fromCsv));
    // 80 APAC rows in April (every third row of days 90 to 119, in 8 cycles of 120 days) carry the 500.
    expect(fromPg.residual.residual_amount).toBeCloseTo(500 * 80, 6);
    expect(fromPg.residual.signals[0]?.name).toBe('region = APAC');

    const inv = {
      input: csvFirst,
      metric: 'revenue_usd',
      dateColumn: 'date',
      windows: april,
      drivers: [],
      include: [],
      exclude: [],
      select: { preset: 'amount' as const, auto: 'deterministic' as const, dedup: true, topDrivers: 2, maxId: 3, maxCat: 2, maxNum: 2 },
      contributionView: 'both' as const,
    };
    const invCsv = await runInvestigate(inv);
    const invPg = await runInvestigate({ ...inv, source: pgSource(firstColumns) });
    expect(invPg.drivers.map((d) => d.name).sort()).toEqual(['avg(price_usd)', 'sum(orders)']);
    expect(round({ ...invPg, input: null })).toEqual(round({ ...invCsv, input: null }));
  }, 240_000);
});

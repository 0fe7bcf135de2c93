import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput, type PgConnection, type PostgresSource } from '../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../src-shared/artifacts/analyze';
import { runAnalyze } from '../src-main/engine/analyze/run';
import { runDrivers } from '../src-main/engine/drivers/run';
import { runInvestigate } from '../src-main/engine/investigate/run';
import { runSegments } from '../src-main/engine/segments/run';
import { SegmentsOptionsSchema } from '../src-shared/analysis-options';
import { runSuggest } from '../src-main/engine/suggest/run';
import { runFit } from '../src-main/engine/factors/fit';
import { runRegress } from '../src-main/engine/factors/run-regress';
import { engineEntryBeside, nodeEngineLauncher } from '../src-main/process/engine-process';
import { JobRunner } from '../src-main/process/job-runner';
import { cleanQuery, connectPg } from '../src-main/sources/postgres';
import { openWorkbench } from '../src-main/hosts/open-workbench';
import type { SecretStore } from '../src-main/services/secrets';
import type { Workbench } from '../src-main/services/workbench';
import type { Connection, Dataset, JobEvent, Run } from '../src-shared/contract';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { startTestServer, type TestServer } from './pg/server';

/** Postgres as a source, against a real server started for these tests (with TLS). */
const root = path.resolve(__dirname, '..');
const BIG_ROWS = 1_200_000;
let server: TestServer;
let admin: pg.Client;

const conn = (over: Partial<PgConnection> = {}): PgConnection => ({
  url: server.url('postgres', 'shop'),
  password: null,
  sslMode: 'disable',
  caFile: null,
  certFile: null,
  keyFile: null,
  ...over,
});
const pgSource = (query: string, over: Partial<PostgresSource> = {}): PostgresSource => ({
  kind: 'postgres',
  connection: conn(),
  query,
  statementTimeoutMs: 60_000,
  ...over,
});
const options = (o: AnalyzeOptionsInput) => AnalyzeOptionsSchema.parse(o);
/**
 * The parts of an artifact that must not depend on where the rows came from. Numbers are compared
 * to 12 significant digits: Postgres adds doubles in its own order, DuckDB with a compensated sum,
 * so the last bit may differ.
 */
const round = (v: unknown, digits = 12): unknown =>
  typeof v === 'number'
    ? Number(v.toPrecision(digits))
    : Array.isArray(v)
      ? v.map((x) => round(x, digits))
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x, digits)]))
        : v;
const results = (a: AnalyzeArtifact) =>
  round({ records: a.records, segments: a.segments, groups: a.groups, period: a.period_compare, alerts: a.alerts });

beforeAll(async () => {
  server = await startTestServer();
  admin = new pg.Client({ connectionString: server.url('postgres', 'postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE shop');
  await admin.end();
  admin = new pg.Client({ connectionString: server.url('postgres', 'shop') });
  await admin.connect();
  await admin.query(
    `CREATE TABLE sales (order_date date, region text, channel text, product_line text, plan_tier int, revenue_usd numeric(14,2), cost_usd numeric(14,2), orders int)`,
  );
  const rows = parse(readFileSync(path.join(root, 'data', 'factorlens_demo_sales.csv'), 'utf8'), { from_line: 2 }) as string[][];
  const values = rows.map((_, i) => `(${Array.from({ length: 8 }, (__, j) => `$${i * 8 + j + 1}`).join(', ')})`).join(', ');
  await admin.query(`INSERT INTO sales VALUES ${values}`, rows.flat());
  // A generated table of 1.2M rows, and the same rows as a CSV file written by the server.
  await admin.query(`CREATE TABLE big AS
    SELECT (DATE '2026-01-01' + (i % 120))::date AS day,
           (ARRAY['US','EU','APAC','LATAM'])[1 + i % 4] AS region,
           (ARRAY['Direct','Partner','Marketplace'])[1 + (i / 7) % 3] AS channel,
           round(((i::bigint * 7919) % 100000) / 100.0, 2)::numeric(12,2) AS revenue,
           (i % 13) AS units
    FROM generate_series(1, ${BIG_ROWS}) AS i`);
  await admin.query(`COPY big TO '${path.join(server.dir, 'big.csv')}' WITH (FORMAT csv, HEADER true)`);
  await admin.query(
    `CREATE TABLE revenue (date date, region text, channel text, device_type text, campaign text, traffic int, conversion_rate numeric, orders int, avg_price_usd numeric(10,2), revenue_usd numeric(14,2))`,
  );
  const rev = parse(readFileSync(path.join(root, 'data', 'demo_revenue_residual.csv'), 'utf8'), { from_line: 2 }) as string[][];
  for (let at = 0; at < rev.length; at += 500) {
    const chunk = rev.slice(at, at + 500);
    await admin.query(
      `INSERT INTO revenue VALUES ${chunk.map((_, i) => `(${Array.from({ length: 10 }, (__, j) => `$${i * 10 + j + 1}`).join(', ')})`).join(', ')}`,
      chunk.flat(),
    );
  }
  // The factor demo data: prices, portfolio weights and factor returns.
  await admin.query('CREATE TABLE prices (date date, ticker text, close numeric(12,4))');
  await admin.query('CREATE TABLE portfolio (ticker text, weight float8)');
  await admin.query('CREATE TABLE factor_returns (date date, "MKT" float8, "SMB" float8, "HML" float8)');
  for (const [table, file] of [
    ['prices', 'prices.csv'],
    ['portfolio', 'portfolio.csv'],
    ['factor_returns', 'factors.csv'],
  ] as const) {
    const body = parse(readFileSync(path.join(root, 'data', file), 'utf8'), { from_line: 2 }) as string[][];
    const width = body[0]!.length;
    await admin.query(
      `INSERT INTO ${table} VALUES ${body.map((_, i) => `(${Array.from({ length: width }, (__, j) => `$${i * width + j + 1}`).join(', ')})`).join(', ')}`,
      body.flat(),
    );
  }
  await admin.query("CREATE ROLE tlsonly LOGIN PASSWORD 'tls-pw'");
  await admin.query('CREATE ROLE certuser LOGIN');
  await admin.query("CREATE ROLE reader LOGIN PASSWORD 'reader-pw'");
  await admin.query('GRANT SELECT ON ALL TABLES IN SCHEMA public TO tlsonly, certuser, reader');
  await admin.query('CREATE SEQUENCE counter');
}, 180_000);

afterAll(async () => {
  await admin?.end().catch(() => {});
  server?.stop();
});

describe('analyze pushed down to Postgres', () => {
  it('the demo sales from Postgres give the same segments, metrics and period comparison as the CSV', async () => {
    const o = options({
      groupBy: ['region', 'channel'],
      metrics: ['revenue_usd', 'cost_usd', 'orders'],
      rankBy: 'revenue_usd',
      period: { mode: 'derived', dateColumn: 'order_date', grain: 'month', preset: 'current', anchorDate: '2026-03-15' },
    });
    const fromCsv = await runAnalyze({ source: { kind: 'file', path: path.join(root, 'data', 'factorlens_demo_sales.csv') }, options: o });
    const fromPg = await runAnalyze({ source: pgSource('SELECT * FROM sales;'), options: o });
    expect(results(fromPg)).toEqual(results(fromCsv));
    expect(fromPg.records).toBe(100);
    expect(fromPg.input).toBe(`postgres://postgres@localhost:${server.port}/shop: SELECT * FROM sales`);
  });

  it('auto-detects groups and metrics from a typed query, and medians and percentiles use percentile_cont', async () => {
    const o = options({ agg: 'median', percentiles: [50, 90] });
    const fromCsv = await runAnalyze({ source: { kind: 'file', path: path.join(root, 'data', 'factorlens_demo_sales.csv') }, options: o });
    const fromPg = await runAnalyze({ source: pgSource('-- the whole table\nSELECT * FROM sales -- all of it\n'), options: o });
    expect(fromPg.group_by).toEqual(fromCsv.group_by);
    expect(fromPg.metrics).toEqual(fromCsv.metrics);
    expect(results(fromPg)).toEqual(results(fromCsv));
  });

  it('a NaN or infinity stored in a numeric column reads as no value, as a CSV cell does', async () => {
    await admin.query('CREATE TABLE odd (region text, v numeric, f float8)');
    await admin.query("INSERT INTO odd VALUES ('a', 1, 1), ('a', 'NaN', 'NaN'), ('b', 2, 2), ('b', 'Infinity', '-Infinity'), ('b', 4, 4)");
    const a = await runAnalyze({
      source: pgSource('SELECT * FROM odd'),
      options: options({ groupBy: ['region'], metrics: ['v', 'f'], agg: 'mean', rankBy: 'count' }),
    });
    expect(a.groups.map((g) => [g.group, g.count, g.v, g.f])).toEqual([
      ['b', 3, 3, 3],
      ['a', 2, 1, 1],
    ]);
  });

  it(`${BIG_ROWS.toLocaleString('en-US')} rows: sums and means from the server equal the CSV export's (only the cube comes back)`, async () => {
    const o = options({ groupBy: ['region', 'channel'], metrics: ['revenue', 'units'], agg: 'mean', rankBy: 'revenue' });
    const fromCsv = await runAnalyze({ source: { kind: 'file', path: path.join(server.dir, 'big.csv') }, options: o });
    const fromPg = await runAnalyze({ source: pgSource('SELECT * FROM big'), options: o });
    expect(fromPg.records).toBe(BIG_ROWS);
    expect(fromPg.groups.map((g) => g.group)).toEqual(fromCsv.groups.map((g) => g.group));
    fromPg.groups.forEach((g, i) => {
      const c = fromCsv.groups[i]!;
      expect(g.count).toBe(c.count);
      // Postgres sums doubles in its own order; DuckDB's compensated sum is exact: equal to 1e-9.
      expect(g.revenue as number).toBeCloseTo(c.revenue as number, 4);
      expect(g.units as number).toBeCloseTo(c.units as number, 9);
    });
    // Hand check: region US holds rows i % 4 == 0, a quarter of them.
    expect(fromPg.groups.filter((g) => String(g.group).startsWith('US')).reduce((s, g) => s + g.count, 0)).toBe(BIG_ROWS / 4);
  }, 120_000);
});

describe('why it changed, pushed down to Postgres', () => {
  const residualCsv = path.join(root, 'data', 'demo_revenue_residual.csv');
  const march = { current: { start: '2026-03-01', end: '2026-03-31' }, previous: { start: '2026-02-01', end: '2026-02-28' } };
  const strip = (a: { input: string; input_new?: string | null }, digits = 12) => round({ ...a, input: null, input_new: null }, digits);
  /** Paths where two artifacts differ: numbers beyond a relative tolerance, anything else at all. */
  const differences = (a: unknown, b: unknown, rel: number, at = ''): string[] => {
    if (typeof a === 'number' && typeof b === 'number')
      return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b)) ? [] : [`${at}: ${a} vs ${b}`];
    if (a && b && typeof a === 'object' && typeof b === 'object') {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
      return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], rel, `${at}.${k}`));
    }
    return a === b ? [] : [`${at}: ${String(a)} vs ${String(b)}`];
  };

  it('analyze-drivers: identity, LMDI contributions, bridge by region and residual findings equal the CSV run', async () => {
    const req = {
      input: residualCsv,
      inputNew: null,
      metric: 'revenue_usd',
      period: { dateColumn: 'date', windows: march },
      identity: null,
      method: 'lmdi' as const,
      by: 'region',
    };
    const fromCsv = await runDrivers(req);
    const fromPg = await runDrivers({ ...req, source: pgSource('SELECT * FROM revenue') });
    expect(strip(fromPg)).toEqual(strip(fromCsv));
    expect(fromPg.identity.expression).toBe('revenue_usd = orders * avg_price_usd');
    expect(fromPg.residual.signals[0]?.name).toBe(fromCsv.residual.signals[0]?.name);
    expect(fromPg.input).toBe(`postgres://postgres@localhost:${server.port}/shop: SELECT * FROM revenue`);
  });

  it('analyze-investigate: the regression of SPEC 14.1 C from the server equals the CSV run', async () => {
    const req = {
      input: residualCsv,
      metric: 'revenue_usd',
      dateColumn: 'date',
      windows: march,
      drivers: ['sum(orders)', 'sum(traffic)', 'avg(avg_price_usd)'],
      include: [],
      exclude: [],
      select: { preset: null, auto: 'deterministic' as const, dedup: true, topDrivers: 3, maxId: 3, maxCat: 2, maxNum: 2 },
      contributionView: 'both' as const,
    };
    const fromCsv = await runInvestigate(req);
    const fromPg = await runInvestigate({ ...req, source: pgSource('SELECT * FROM revenue') });
    // A regression from sums of squares amplifies the last-bit differences of the sums: 1e-9 relative.
    expect(differences({ ...fromPg, input: '' }, { ...fromCsv, input: '' }, 1e-9)).toEqual([]);
    expect(fromPg.decomposition_mode).toBe('regression');
    expect(fromPg.drivers[0]).toMatchObject({ name: 'sum(orders)', coefficient: expect.closeTo(79.8934, 4) });
    // Automatic driver selection runs on the server too.
    const auto = { ...req, drivers: [], select: { ...req.select, preset: 'amount' as const } };
    expect(
      differences(
        { ...(await runInvestigate({ ...auto, source: pgSource('SELECT * FROM revenue') })), input: '' },
        { ...(await runInvestigate(auto)), input: '' },
        1e-9,
      ),
    ).toEqual([]);
  });

  it('analyze-segments: the cube built on the server gives the bridge, splits and root causes of the CSV run', async () => {
    for (const options of [
      { metric: 'revenue_usd', dateColumn: 'date', windows: march },
      {
        metric: 'conversion',
        numerator: 'orders',
        denominator: 'traffic',
        dimensions: ['region', 'channel', 'device_type'],
        dateColumn: 'date',
        windows: march,
      },
    ]) {
      const req = { input: residualCsv, source: null, inputNew: null, options: SegmentsOptionsSchema.parse(options) };
      const fromCsv = await runSegments(req);
      const fromPg = await runSegments({ ...req, source: pgSource('SELECT * FROM revenue') });
      expect(differences(fromPg, fromCsv, 1e-9)).toEqual([]);
      expect(fromPg.closure_error).toBeLessThan(1e-9);
    }
  });

  it('analyze-suggest profiles a sample on the server and suggests what the CSV run suggests', async () => {
    const o = { profileName: 'suggested', autoGroupK: 4, maxMetrics: 3, sampleRows: 2000, sampleMode: 'head' as const, sampleSeed: 42 };
    const fromCsv = await runSuggest(path.join(root, 'data', 'factorlens_demo_sales.csv'), o);
    const fromPg = await runSuggest(pgSource('SELECT * FROM sales'), o);
    const pick = (a: typeof fromCsv) => ({
      rows: a.rows,
      sampled: a.sampled_rows,
      group: a.suggested_group_by,
      metrics: a.suggested_metrics,
      rank: a.suggested_rank_by,
      date: a.suggested_date_column,
      // Top values tie on counts: compare them as sets; a numeric(14,2) prints 115377.10 where the CSV has 115377.1.
      columns: a.columns.map((c) => ({
        ...c,
        top_values: c.top_values.map(([v, n]) => [Number.isNaN(Number(v)) ? v : String(Number(v)), n]).sort(),
      })),
    });
    expect(round(pick(fromPg))).toEqual(round(pick(fromCsv)));
    // A seeded random sample from the server: the same seed, the same rows.
    const r1 = await runSuggest(pgSource('SELECT * FROM big'), { ...o, sampleRows: 500, sampleMode: 'random', sampleSeed: 7 });
    const r2 = await runSuggest(pgSource('SELECT * FROM big'), { ...o, sampleRows: 500, sampleMode: 'random', sampleSeed: 7 });
    expect(r1.columns).toEqual(r2.columns);
    expect(r1).toMatchObject({ rows: BIG_ROWS, sampled_rows: 500 });
  }, 60_000);

  it('factor models read prices, weights and factor returns from queries (SPEC 14.2 numbers)', async () => {
    const fit = await runFit({
      prices: pgSource('SELECT * FROM prices'),
      k: 3,
      kAuto: false,
      portfolio: pgSource('SELECT * FROM portfolio'),
      holdings: null,
      includeWeekends: false,
      missing: 'common',
    });
    expect(fit.model.dates).toHaveLength(63);
    expect(fit.model.explained_variance_ratio.map((v) => Number(v.toFixed(4)))).toEqual([0.4397, 0.3449, 0.2154]);
    expect(fit.weights).toEqual({ AAA: 0.4, BBB: 0.3, CCC: 0.3 });
    expect(fit.input).toBe(`postgres://postgres@localhost:${server.port}/shop: SELECT * FROM prices`);
    const reg = await runRegress({
      prices: pgSource('SELECT * FROM prices'),
      factors: pgSource('SELECT * FROM factor_returns ORDER BY date'),
      portfolio: pgSource('SELECT * FROM portfolio'),
      holdings: null,
      includeWeekends: false,
    });
    expect(reg.observations).toBe(63);
    expect(reg.alpha).toBeCloseTo(0.0017416, 7);
    expect(reg.betas.SMB).toBeCloseTo(1.7624, 4);
    // A bad value names its row of the query.
    await expect(
      runFit({
        prices: pgSource(
          "SELECT date, ticker, CASE WHEN ticker = 'BBB' AND date = '2025-01-03' THEN -1 ELSE close END AS close FROM prices ORDER BY date, ticker",
        ),
        k: 2,
        kAuto: false,
        portfolio: null,
        holdings: null,
        includeWeekends: false,
        missing: 'common',
      }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/SELECT date, ticker, CASE .* row 8: close is -1(\.0+)?; a log return needs positive prices$/),
    });
  });

  it('two-snapshot mode needs files', async () => {
    await expect(
      runDrivers({
        input: 'q',
        inputNew: residualCsv,
        metric: 'revenue_usd',
        period: null,
        identity: null,
        method: 'lmdi',
        source: pgSource('SELECT * FROM revenue'),
      }),
    ).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringContaining('two-snapshot mode') });
  });
});

describe('read-only, timeout, cancel', () => {
  it('a query that writes is refused and nothing changes', async () => {
    const o = options({ groupBy: ['region'], metrics: ['orders'] });
    await expect(runAnalyze({ source: pgSource("SELECT *, nextval('counter') AS n FROM sales"), options: o })).rejects.toMatchObject({
      code: 'DB_READ_ONLY',
    });
    await expect(runAnalyze({ source: pgSource("UPDATE sales SET region = 'X' RETURNING *"), options: o })).rejects.toMatchObject({
      code: 'DB_QUERY_FAILED',
    });
    expect((await admin.query("SELECT count(*)::int AS n FROM sales WHERE region = 'X'")).rows[0].n).toBe(0);
    expect((await admin.query('SELECT last_value::int AS v, is_called FROM counter')).rows[0]).toEqual({ v: 1, is_called: false });
  });

  it('the statement timeout stops a long query on the server', async () => {
    await expect(
      runAnalyze({
        source: pgSource('SELECT s.* FROM sales s, pg_sleep(5) AS z', { statementTimeoutMs: 300 }),
        options: options({ groupBy: ['region'] }),
      }),
    ).rejects.toMatchObject({
      code: 'DB_TIMEOUT',
      hint: 'Raise --statement-timeout, or narrow the query.',
    });
  });

  it('cancelling the job cancels the query on the server', async () => {
    const runner = new JobRunner(
      nodeEngineLauncher(engineEntryBeside(pathToFileURL(path.join(root, 'src-main', 'hosts', 'cli', 'index.ts')).href)),
    );
    const job = runner.start({
      kind: 'analyze',
      request: { source: pgSource('SELECT s.* FROM sales s, pg_sleep(60) AS z'), options: options({ groupBy: ['region'] }) },
    });
    const active = async () =>
      Number(
        (
          await admin.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND application_name = 'FactorLens Workbench'",
          )
        ).rows[0].n,
      );
    // The sleeping statement, not the short ones the engine runs first (the columns of the query):
    // active for more than half a second.
    const sleeping = async () =>
      Number(
        (
          await admin.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND application_name = 'FactorLens Workbench' AND now() - query_start > interval '500 milliseconds'",
          )
        ).rows[0].n,
      );
    // The result is awaited below; until then a failure of the job must not surface as an unhandled rejection.
    job.result.catch(() => {});
    // A loaded machine may take a while to start the engine and connect: up to 30 s.
    for (let i = 0; i < 300 && (await sleeping()) === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await sleeping()).toBe(1);
    runner.cancel(job.id);
    await expect(job.result).rejects.toMatchObject({ code: 'CANCELLED' });
    for (let i = 0; i < 50 && (await active()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await active()).toBe(0);
  }, 60_000);
});

describe('connections and TLS', () => {
  const ok = async (c: PgConnection) => {
    const client = await connectPg(c);
    const { rows } = await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    await client.end();
    return rows[0].ssl as boolean;
  };

  it('each sslmode against a TLS server: the right CA, a wrong CA, a host name the certificate does not name', async () => {
    // localhost is the certificate's name; 127.0.0.1 is not.
    const byIp = (c: Partial<PgConnection>) => conn({ url: server.url('postgres', 'shop').replace('localhost', '127.0.0.1'), ...c });
    expect(await ok(conn({ sslMode: 'disable' }))).toBe(false);
    expect(await ok(conn({ sslMode: 'allow' }))).toBe(false);
    expect(await ok(conn({ sslMode: 'prefer' }))).toBe(true);
    expect(await ok(conn({ sslMode: 'require' }))).toBe(true);
    expect(await ok(conn({ sslMode: 'verify-ca', caFile: server.ca }))).toBe(true);
    expect(await ok(conn({ sslMode: 'verify-full', caFile: server.ca }))).toBe(true);
    expect(await ok(byIp({ sslMode: 'verify-ca', caFile: server.ca }))).toBe(true);
    await expect(ok(byIp({ sslMode: 'verify-full', caFile: server.ca }))).rejects.toMatchObject({
      code: 'DB_TLS_FAILED',
      message: expect.stringContaining('no unencrypted retry was made'),
    });
    for (const mode of ['verify-ca', 'verify-full', 'require'] as const) {
      await expect(ok(conn({ sslMode: mode, caFile: server.wrongCa }))).rejects.toMatchObject({ code: 'DB_TLS_FAILED' });
    }
    // prefer with a CA that does not match fails; it never falls back to plaintext.
    await expect(ok(conn({ sslMode: 'prefer', caFile: server.wrongCa }))).rejects.toMatchObject({ code: 'DB_TLS_FAILED' });
    // Without a CA file, verify-ca checks against the system's roots, which do not hold the test CA.
    await expect(ok(conn({ sslMode: 'verify-ca' }))).rejects.toMatchObject({ code: 'DB_TLS_FAILED' });
  });

  it('allow retries with TLS when the server refuses plaintext; a client certificate logs in', async () => {
    const tlsOnly = (mode: PgConnection['sslMode']) => conn({ url: server.url('tlsonly', 'shop', 'tls-pw'), sslMode: mode });
    await expect(ok(tlsOnly('disable'))).rejects.toMatchObject({ code: 'DB_TLS_FAILED' });
    expect(await ok(tlsOnly('allow'))).toBe(true);
    const cert = conn({
      url: `postgres://certuser@localhost:${server.port}/shop`,
      sslMode: 'verify-full',
      caFile: server.ca,
      certFile: server.clientCert,
      keyFile: server.clientKey,
    });
    expect(await ok(cert)).toBe(true);
    await expect(ok({ ...cert, keyFile: null })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('bad URL, bad password, unknown database, nobody listening, unknown table: typed errors', async () => {
    await expect(connectPg(conn({ url: 'mysql://x@localhost/db' }))).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringContaining('is not a Postgres URL'),
    });
    await expect(connectPg(conn({ url: server.url('reader', 'shop', 'wrong') }))).rejects.toMatchObject({
      code: 'DB_AUTH_FAILED',
      message: expect.stringContaining("user 'reader'"),
    });
    await expect(connectPg(conn({ url: server.url('postgres', 'nosuchdb') }))).rejects.toMatchObject({
      code: 'DB_NOT_FOUND',
      message: expect.stringContaining("'nosuchdb' does not exist"),
    });
    await expect(connectPg(conn({ url: `postgres://x:y@127.0.0.1:1/shop` }))).rejects.toMatchObject({
      code: 'DB_UNREACHABLE',
      message: expect.stringContaining('refused'),
    });
    await expect(runAnalyze({ source: pgSource('SELECT * FROM nosuch'), options: options({ groupBy: ['region'] }) })).rejects.toMatchObject(
      { code: 'DB_QUERY_FAILED', message: expect.stringContaining('relation "nosuch" does not exist') },
    );
    await expect(runAnalyze({ source: pgSource('SELECT 1; SELECT 2'), options: options({ groupBy: ['region'] }) })).rejects.toMatchObject({
      code: 'DB_QUERY_FAILED',
    });
  });

  it('cleans the query: trailing semicolons and comments', () => {
    expect(cleanQuery('SELECT 1;  ')).toBe('SELECT 1');
    expect(cleanQuery('SELECT 1; -- done\n')).toBe('SELECT 1');
    expect(cleanQuery('SELECT 1 /* end */ ;;')).toBe('SELECT 1');
    expect(cleanQuery("SELECT ';' AS x")).toBe("SELECT ';' AS x");
    expect(() => cleanQuery(' ; ')).toThrow('the query is empty');
  });
});

describe('the CLI with a Postgres source', () => {
  const bin = path.join(root, 'bin', 'factorlens.js');
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-pg-cli-'));
    const r = spawnSync(process.execPath, [bin, ...args], {
      cwd,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, DATABASE_URL: '', ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, cwd };
  };

  it('analyze --postgres-url --query writes the same groups as analyze --input', () => {
    const flags = ['--group-by', 'region', '--metrics', 'revenue_usd,orders', '--rank-by', 'revenue_usd', '--output-format', 'json'];
    const viaPg = cli([
      'analyze',
      '--postgres-url',
      server.url('postgres', 'shop'),
      '--postgres-ssl-mode',
      'verify-full',
      '--postgres-ca-file',
      server.ca,
      '--query',
      'SELECT * FROM sales;',
      ...flags,
    ]);
    expect(viaPg.stderr).toBe('');
    expect(viaPg.stdout).toContain(
      `Analysis of postgres://postgres@localhost:${server.port}/shop: SELECT * FROM sales: 100 records in 4 segments`,
    );
    const viaCsv = cli(['analyze', '--input', path.join(root, 'data', 'factorlens_demo_sales.csv'), ...flags]);
    const groups = (dir: string, name: string) =>
      round((JSON.parse(readFileSync(path.join(dir, 'artifacts', name), 'utf8')) as AnalyzeArtifact).groups);
    expect(groups(viaPg.cwd, 'analyze_query.json')).toEqual(groups(viaCsv.cwd, 'analyze_factorlens_demo_sales.json'));
  });

  it('analyze-drivers and analyze-investigate take the same source flags', () => {
    const pgFlags = [
      '--postgres-url',
      server.url('postgres', 'shop'),
      '--query',
      'SELECT * FROM revenue',
      '--metric',
      'revenue_usd',
      '--date-column',
      'date',
      '--time-grain',
      'month',
      '--period',
      'last',
      '--anchor-date',
      '2026-04-15',
      '--output-format',
      'json',
    ];
    const drivers = cli(['analyze-drivers', ...pgFlags, '--method', 'seed']);
    expect(drivers.stderr).toBe('');
    const seed = JSON.parse(readFileSync(path.join(drivers.cwd, 'artifacts', 'drivers_query.json'), 'utf8'));
    // SPEC 14.1 A from the server: explained -17.9% (109%), residual +1.5% (+77,765.73).
    expect(seed.explained_pct.toFixed(1)).toBe('-17.9');
    expect(seed.residual.residual_pct.toFixed(1)).toBe('1.5');
    expect(seed.residual.residual_amount).toBeCloseTo(77_765.73, 2);
    const inv = cli(['analyze-investigate', ...pgFlags, '--drivers', 'sum(orders),sum(traffic),avg(avg_price_usd)']);
    expect(inv.stderr).toBe('');
    // SPEC 14.1 C: explained -16.3%, residual -0.1%.
    const c = JSON.parse(readFileSync(path.join(inv.cwd, 'artifacts', 'investigate_query.json'), 'utf8'));
    expect(c.explained_pct.toFixed(1)).toBe('-16.3');
    expect(c.residual.residual_pct.toFixed(1)).toBe('-0.1');
  });

  it('takes the URL from DATABASE_URL and the query from a file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-pg-q-'));
    writeFileSync(path.join(dir, 'by_channel.sql'), '-- revenue by channel\nSELECT channel, revenue_usd FROM sales;\n');
    const r = cli(['analyze', '--query-file', path.join(dir, 'by_channel.sql'), '--group-by', 'channel', '--output-format', 'json'], {
      DATABASE_URL: `${server.url('reader', 'shop', 'reader-pw')}?sslmode=require`,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Written:\n- artifacts/analyze_by_channel.json');
  });

  it('refuses two sources, a query without a server, and names a failed login', () => {
    const both = cli(['analyze', '--input', 'x.csv', '--postgres-url', server.url(), '--query', 'SELECT 1']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('choose exactly one input source');
    const noUrl = cli(['analyze', '--query', 'SELECT 1']);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('--query/--query-file require --postgres-url (or DATABASE_URL env var)');
    const badPw = cli(['analyze', '--postgres-url', server.url('reader', 'shop', 'nope'), '--query', 'SELECT * FROM sales']);
    expect(badPw.code).toBe(1);
    expect(badPw.stderr).toMatch(
      /^Error \[DB_AUTH_FAILED\]: the server refused user 'reader': .*\nHint: Check the user name and password\.\n$/,
    );
    expect(badPw.stderr).not.toContain('nope');
  });
});

describe('saved connections and query datasets (the workbench service)', () => {
  /** A stand-in for the OS secret store: AES-GCM with a key that never touches the disk. */
  const key = randomBytes(32);
  const fakeOsStore: SecretStore = {
    description: 'a test keyring',
    persistent: true,
    encrypt: (text) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt: (data) => {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8');
    },
  };
  const entry = pathToFileURL(path.join(root, 'src-main', 'hosts', 'cli', 'index.ts')).href;
  const open = (file: string, secrets?: SecretStore) =>
    openWorkbench({ workspaceFile: file, dataDir: path.dirname(file), engineEntryUrl: entry, secrets });
  const input = (over: Record<string, unknown> = {}) => ({
    name: 'Shop (local)',
    host: 'localhost',
    port: server.port,
    database: 'shop',
    user: 'reader',
    password: 'reader-pw',
    sslMode: 'verify-full',
    caFile: server.ca,
    certFile: null,
    keyFile: null,
    ...over,
  });
  const finished = (wb: Workbench, jobId: string) =>
    new Promise<string>((resolve, reject) => {
      wb.on('job', (e: JobEvent) => {
        if (e.jobId !== jobId) return;
        if (e.type === 'done') resolve(e.runId);
        else if (e.type === 'failed') reject(new Error(e.error.message));
      });
    });

  it('keeps the password only as the secret store encrypted it, and reconnects after reopening', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-conn-')), 'w.flworkspace');
    let wb = await open(file, fakeOsStore);
    expect(((await wb.handle('connections.list', {})) as { secretStore: unknown }).secretStore).toEqual({
      kind: 'os',
      label: 'a test keyring',
    });
    const saved = (await wb.handle('connections.save', input())) as Connection;
    expect(saved).toMatchObject({ name: 'Shop (local)', passwordSaved: true });
    expect(JSON.stringify(saved)).not.toContain('reader-pw');
    wb.shutdown();
    expect(readFileSync(file).includes(Buffer.from('reader-pw'))).toBe(false);
    wb = await open(file, fakeOsStore);
    expect(await wb.handle('connections.test', { ...input(), id: saved.id, password: null })).toEqual({
      serverVersion: expect.stringMatching(/^1\d/),
      tls: true,
      user: 'reader',
      database: 'shop',
    });
    wb.shutdown();
    // Without an OS secret store the password lasts for the session only.
    const file2 = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-conn-')), 'w.flworkspace');
    wb = await open(file2);
    expect(((await wb.handle('connections.list', {})) as { secretStore: unknown }).secretStore).toEqual({
      kind: 'session',
      label: 'this session only (no OS secret store here)',
    });
    const s2 = (await wb.handle('connections.save', input())) as Connection;
    expect(s2.passwordSaved).toBe(false);
    expect((await wb.handle('connections.test', { ...input(), id: s2.id, password: null })) as object).toMatchObject({ user: 'reader' });
    wb.shutdown();
    wb = await open(file2);
    await expect(wb.handle('connections.test', { ...input(), id: s2.id, password: null })).rejects.toMatchObject({
      code: 'DB_AUTH_FAILED',
    });
    wb.shutdown();
  });

  it('Test connection says clearly what failed', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-conn-')), 'w.flworkspace');
    const wb = await open(file);
    const test = (over: Record<string, unknown>) => wb.handle('connections.test', input(over));
    await expect(test({ port: 1 })).rejects.toMatchObject({ code: 'DB_UNREACHABLE' });
    await expect(test({ password: 'wrong' })).rejects.toMatchObject({ code: 'DB_AUTH_FAILED' });
    await expect(test({ caFile: server.wrongCa })).rejects.toMatchObject({ code: 'DB_TLS_FAILED' });
    await expect(test({ host: '127.0.0.1' })).rejects.toMatchObject({ code: 'DB_TLS_FAILED' });
    await expect(test({ database: 'nosuchdb' })).rejects.toMatchObject({ code: 'DB_NOT_FOUND' });
    wb.shutdown();
  });

  it('browses the schema, previews a query, adds it as a dataset and analyzes it on the server', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-conn-')), 'w.flworkspace');
    const wb = await open(file, fakeOsStore);
    const c = (await wb.handle('connections.save', input())) as Connection;
    const { tables } = (await wb.handle('connections.schema', { id: c.id })) as {
      tables: { schema: string; name: string; columns: { name: string; type: string }[] }[];
    };
    const sales = tables.find((t) => t.schema === 'public' && t.name === 'sales')!;
    expect(sales.columns.slice(0, 2)).toEqual([
      { name: 'order_date', type: 'date' },
      { name: 'region', type: 'text' },
    ]);
    const preview = (await wb.handle('connections.preview', {
      id: c.id,
      sql: "SELECT order_date, region, revenue_usd FROM sales WHERE channel = 'Direct' AND region = 'US' ORDER BY order_date LIMIT 3;",
    })) as { columns: { name: string }[]; rows: string[][] };
    expect(preview.columns.map((x) => x.name)).toEqual(['order_date', 'region', 'revenue_usd']);
    expect(preview.rows[0]).toEqual(['2026-01-01', 'US', '42670.12']);
    const dataset = (await wb.handle('datasets.addQuery', {
      connectionId: c.id,
      name: 'Sales (Postgres)',
      sql: 'SELECT * FROM sales',
    })) as Dataset;
    expect(dataset).toMatchObject({ name: 'Sales (Postgres)', rowCount: 100, query: { connectionId: c.id, sql: 'SELECT * FROM sales' } });
    expect(dataset.columns.find((x) => x.name === 'revenue_usd')?.type).toBe('number');
    expect(dataset.columns.find((x) => x.name === 'order_date')?.type).toBe('date');
    const rows = (await wb.handle('datasets.preview', { id: dataset.id, where: [{ column: 'region', value: 'US' }] })) as {
      rows: string[][];
    };
    expect(rows.rows.every((r) => r[1] === 'US')).toBe(true);
    const o = { groupBy: ['region'], metrics: ['revenue_usd'], rankBy: 'revenue_usd' };
    const { jobId } = (await wb.handle('analyze.start', { datasetId: dataset.id, options: o })) as { jobId: string };
    const run = wb.getRun(await finished(wb, jobId)) as Run & { kind: 'analyze' };
    const fromCsv = await runAnalyze({
      source: { kind: 'file', path: path.join(root, 'data', 'factorlens_demo_sales.csv') },
      options: options(o),
    });
    expect(round(run.artifact.groups)).toEqual(round(fromCsv.groups));
    await expect(wb.handle('connections.remove', { id: c.id })).rejects.toMatchObject({
      message: expect.stringContaining("'Sales (Postgres)'"),
    });
    expect(((await wb.handle('datasets.suggest', { id: dataset.id })) as { rows: number }).rows).toBe(100);

    wb.shutdown();
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvestigationOptionsSchema } from '../src-shared/analysis-options';
import type { PostgresSource } from '../src-shared/analyze-options';
import { buildInvestigationCube } from '../src-main/engine/investigation/build-cube';
import { deterministicPlanner, runInvestigation } from '../src-main/engine/investigation/run';
import { startTestServer, type TestServer } from './pg/server';

/**
 * investigate on a Postgres query: the two periods are split and summed on the server (one
 * query), and the steps are those of the same rows read from two CSV files.
 */
const root = path.resolve(__dirname, '..');
let server: TestServer;
let admin: pg.Client;

const source = (query: string): PostgresSource => ({
  kind: 'postgres',
  connection: { url: server.url('postgres', 'shop'), password: null, sslMode: 'disable', caFile: null, certFile: null, keyFile: null },
  query,
  statementTimeoutMs: 60_000,
});
const rowsOf = (file: string) => parse(readFileSync(path.join(root, 'data', file), 'utf8'), { from_line: 2 }) as string[][];

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
  // The 100-row snapshot moved two years back (2024), the 150-row one as it is (February and March 2026).
  const rows = [
    ...rowsOf('factorlens_demo_sales.csv').map((r) => [r[0]!.replace(/^2026-/, '2024-'), ...r.slice(1)]),
    ...rowsOf('factorlens_demo_sales_150.csv'),
  ];
  const values = rows.map((_, i) => `(${Array.from({ length: 8 }, (__, j) => `$${i * 8 + j + 1}`).join(', ')})`).join(', ');
  await admin.query(`INSERT INTO sales VALUES ${values}`, rows.flat());
}, 180_000);

afterAll(async () => {
  await admin?.end().catch(() => {});
  server?.stop();
});

describe('investigate on a Postgres query', () => {
  it('the server splits the periods; the steps are those of the two CSV snapshots', async () => {
    const windows = { previous: { start: '2024-01-01', end: '2024-02-29' }, current: { start: '2026-02-01', end: '2026-03-31' } };
    const o = InvestigationOptionsSchema.parse({
      question: 'Why did revenue change?',
      metric: 'revenue_usd',
      dateColumn: 'order_date',
      windows,
    });
    const cube = await buildInvestigationCube({ base: null, new: null, source: source('SELECT * FROM sales'), options: o });
    expect(cube.input.kind).toBe('postgres_query');
    expect(cube.input.date_column).toBe('order_date');
    expect(cube.dimensions).toEqual(['region', 'channel', 'product_line', 'plan_tier']);
    const fromPg = await runInvestigation(cube, o, deterministicPlanner);

    const csv = InvestigationOptionsSchema.parse({ question: 'Why did revenue change?', metric: 'revenue_usd' });
    const fromCsv = await runInvestigation(
      await buildInvestigationCube({
        base: path.join(root, 'data/factorlens_demo_sales.csv'),
        new: path.join(root, 'data/factorlens_demo_sales_150.csv'),
        source: null,
        options: csv,
      }),
      csv,
      deterministicPlanner,
    );
    // Postgres and DuckDB add doubles in their own order: compared to 10 significant digits.
    const round = (steps: unknown) =>
      JSON.parse(JSON.stringify(steps, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v)));
    expect(round(fromPg.steps)).toEqual(round(fromCsv.steps));
    expect(fromPg.steps.map((s) => s.id)).toEqual([
      'd0:region:all',
      'd1:channel:region=US',
      'd1:plan_tier:region=EU',
      'd1:channel:region=APAC',
    ]);
    expect([fromPg.steps[0]!.movers[0]!.base_records, fromPg.steps[0]!.movers[0]!.new_records]).toEqual([29, 71]);
  });

  it('a query has no second snapshot: --new with a query is refused before it reaches the server', async () => {
    const o = InvestigationOptionsSchema.parse({ question: 'q', metric: 'revenue_usd' });
    const err = await buildInvestigationCube({ base: null, new: 'b.csv', source: source('SELECT * FROM sales'), options: o }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'BAD_ARGUMENT', options: ['dateColumn', 'windows'] });
  });
});

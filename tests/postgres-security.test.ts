import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type PgConnection, type PostgresSource } from '../src-shared/analyze-options';
import type { Connection, Dataset } from '../src-shared/contract';
import { runAnalyze } from '../src-main/engine/analyze/run';
import { openWorkbench } from '../src-main/hosts/open-workbench';
import { engineEntryBeside, nodeChildLink, startEngineChild } from '../src-main/process/engine-process';
import { JobRunner } from '../src-main/process/job-runner';
import { cleanQuery, withPgSession } from '../src-main/sources/postgres';
import type { Workbench } from '../src-main/services/workbench';
import { startTestServer, type TestServer } from './pg/server';
import { childPids, isAlive, waitUntil } from './processes';

/**
 * A user query must never leave the read-only transaction it is wrapped in: a query that closes
 * the wrapping bracket and appends statements (COMMIT; DELETE …) is refused by a pre-check with a
 * clear message, and by the server itself (every query goes with the extended protocol, which
 * takes one statement). A query whose engine dies does not keep running on the server.
 */
const root = path.resolve(__dirname, '..');
const entry = pathToFileURL(path.join(root, 'src-main', 'hosts', 'cli', 'index.ts')).href;
let server: TestServer;
let admin: pg.Client;
let marker: string;

const SALES_ROWS = 100;
const conn = (): PgConnection => ({
  url: server.url('postgres', 'shop'),
  password: null,
  sslMode: 'disable',
  caFile: null,
  certFile: null,
  keyFile: null,
});
const pgSource = (query: string, statementTimeoutMs = 60_000): PostgresSource => ({
  kind: 'postgres',
  connection: conn(),
  query,
  statementTimeoutMs,
});
const byRegion = AnalyzeOptionsSchema.parse({ groupBy: ['region'], metrics: ['orders'] });

/** Queries that try to end the wrapping subquery and the transaction, then write (run as the superuser). */
const escapes = (): Record<string, string> => ({
  'delete after COMMIT': "SELECT * FROM sales) AS a; COMMIT; DELETE FROM sales WHERE region = 'LATAM'; SELECT * FROM (SELECT * FROM sales",
  'create table after COMMIT': 'SELECT * FROM sales) AS a; COMMIT; CREATE TABLE pwned AS SELECT 1 AS x; SELECT * FROM (SELECT * FROM sales',
  'COPY TO PROGRAM after COMMIT': `SELECT * FROM sales) AS a; COMMIT; COPY (SELECT 1) TO PROGRAM 'touch ${marker}'; SELECT * FROM (SELECT * FROM sales`,
  // Semicolons hidden from a scanner that misreads E'…' escapes or takes a$b$ for a dollar quote.
  'semicolon after an escaped quote': "SELECT E'\\''; COMMIT; DELETE FROM sales WHERE region = 'LATAM'; SELECT '",
  'semicolon inside a$b$': 'SELECT 1 AS a$b$; COMMIT; CREATE TABLE pwned (x int); SELECT $b$',
  'statement after the query': "SELECT * FROM sales; DELETE FROM sales WHERE region = 'LATAM'",
});

const salesRows = async () => Number((await admin.query('SELECT count(*)::int AS n FROM sales')).rows[0].n);
const publicTables = async () =>
  (await admin.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map(
    (r: { tablename: string }) => r.tablename,
  );
/** Nothing changed: every row is there, no table was created, no program ran. */
const expectUntouched = async () => {
  expect(await salesRows()).toBe(SALES_ROWS);
  expect(await publicTables()).toEqual(['sales']);
  expect(existsSync(marker)).toBe(false);
};
/** Statements of this app the server is running (its query text may be cut at 1 kB, so it is not matched). */
const activeQueries = async () =>
  Number(
    (
      await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND application_name = 'FactorLens Workbench'",
      )
    ).rows[0].n,
  );
/**
 * The long statement of these tests (pg_sleep) running on the server: active for over half a
 * second, so a run's short queries before it (its profile) do not count. (Its text is not matched:
 * the server keeps only its first 1 kB, which may end before the pg_sleep of a wrapped query.)
 */
const sleepingQueries = async () =>
  Number(
    (
      await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND application_name = 'FactorLens Workbench' AND now() - query_start > interval '500 milliseconds'",
      )
    ).rows[0].n,
  );
const waitFor = async (check: () => Promise<boolean>, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end && !(await check());) await new Promise((r) => setTimeout(r, 100));
};

beforeAll(async () => {
  server = await startTestServer();
  marker = path.join(server.dir, 'program-ran');
  admin = new pg.Client({ connectionString: server.url('postgres', 'postgres') });
  await admin.connect();
  await admin.query('CREATE DATABASE shop');
  await admin.end();
  admin = new pg.Client({ connectionString: server.url('postgres', 'shop') });
  await admin.connect();
  await admin.query(
    'CREATE TABLE sales (order_date date, region text, channel text, product_line text, plan_tier int, revenue_usd numeric(14,2), cost_usd numeric(14,2), orders int)',
  );
  const rows = parse(readFileSync(path.join(root, 'data', 'factorlens_demo_sales.csv'), 'utf8'), { from_line: 2 }) as string[][];
  const values = rows.map((_, i) => `(${Array.from({ length: 8 }, (__, j) => `$${i * 8 + j + 1}`).join(', ')})`).join(', ');
  await admin.query(`INSERT INTO sales VALUES ${values}`, rows.flat());
  expect(await salesRows()).toBe(SALES_ROWS);
  expect((await admin.query("SELECT count(*)::int AS n FROM sales WHERE region = 'LATAM'")).rows[0].n).toBeGreaterThan(0);
}, 180_000);

afterAll(async () => {
  await admin?.end().catch(() => {});
  server?.stop();
});

describe('a query cannot leave its read-only transaction', () => {
  it('the pre-check refuses a second statement and a bracket closed early, and says where', () => {
    for (const [name, sql] of Object.entries(escapes())) {
      expect(() => cleanQuery(sql), name).toThrow(
        expect.objectContaining({ code: 'DB_QUERY_FAILED', hint: expect.stringMatching(/^Give one SELECT/) }),
      );
    }
    expect(() => cleanQuery('SELECT 1; SELECT 2')).toThrow("the query holds more than one statement (a ';' at character 9 ends the first)");
    expect(() => cleanQuery('SELECT * FROM sales) AS a, (SELECT 1')).toThrow(
      'the query closes a parenthesis it did not open (at character 20)',
    );
    expect(() => cleanQuery('SELECT count(* FROM sales')).toThrow('the query leaves 1 parenthesis open');
  });

  it('legitimate queries pass the pre-check unchanged', () => {
    expect(cleanQuery("SELECT ';' AS a, 'it''s; (' AS b")).toBe("SELECT ';' AS a, 'it''s; (' AS b");
    expect(cleanQuery("SELECT E'it\\'s; (' AS a")).toBe("SELECT E'it\\'s; (' AS a");
    expect(cleanQuery('SELECT $$a; b)$$ AS a, $t1$c; ($t1$ AS b')).toBe('SELECT $$a; b)$$ AS a, $t1$c; ($t1$ AS b');
    expect(cleanQuery('SELECT 1 AS "x;)" /* a; ( /* nested; */ ) */ -- c; (\n FROM sales;  -- done\n')).toBe(
      'SELECT 1 AS "x;)" /* a; ( /* nested; */ ) */ -- c; (\n FROM sales',
    );
    expect(cleanQuery('WITH x AS (SELECT (1 + (2 * 3)) AS v) SELECT v FROM x;;')).toBe(
      'WITH x AS (SELECT (1 + (2 * 3)) AS v) SELECT v FROM x',
    );
  });

  it('through the analysis engine: refused with DB_QUERY_FAILED, and nothing changed', async () => {
    for (const [name, sql] of Object.entries(escapes())) {
      await expect(runAnalyze({ source: pgSource(sql), options: byRegion }), name).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
    }
    await expectUntouched();
  });

  it('the server takes one statement per query, whatever SQL reaches the session (generated SQL too)', async () => {
    await withPgSession(pgSource('SELECT * FROM sales'), async (session) => {
      for (const sql of [
        "SELECT 1; COMMIT; DELETE FROM sales WHERE region = 'LATAM'",
        `SELECT 1; COMMIT; COPY (SELECT 1) TO PROGRAM 'touch ${marker}'`,
        'SELECT 1; COMMIT; CREATE TABLE pwned (x int)',
      ]) {
        await expect(session.query(sql)).rejects.toMatchObject({
          code: 'DB_QUERY_FAILED',
          message: 'the query holds more than one statement',
          hint: expect.stringMatching(/^Give one SELECT/),
        });
      }
    });
    await expectUntouched();
  });

  it('through the CLI: an error with a hint (no internal error), exit code 1, and nothing changed', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-pg-sec-'));
    for (const [name, sql] of Object.entries(escapes())) {
      const r = spawnSync(
        process.execPath,
        [
          path.join(root, 'bin', 'factorlens.js'),
          'analyze',
          '--postgres-url',
          server.url('postgres', 'shop'),
          '--postgres-ssl-mode',
          'disable',
          '--query',
          sql,
          '--group-by',
          'region',
        ],
        {
          cwd,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, DATABASE_URL: '' },
        },
      );
      expect(r.status, `${name}: ${r.stderr}`).toBe(1);
      expect(r.stderr, name).toMatch(
        /^Error \[DB_QUERY_FAILED\]: the query (holds more than one statement|closes a parenthesis it did not open).*\nHint: Give one SELECT.*\n$/,
      );
      expect(r.stderr).not.toMatch(/iterable|internal/i);
    }
    // The query is checked before connecting: the answer is the same with no server at all.
    const offline = spawnSync(
      process.execPath,
      [
        path.join(root, 'bin', 'factorlens.js'),
        'analyze',
        '--postgres-url',
        'postgres://nobody@127.0.0.1:1/shop',
        '--query',
        'SELECT 1; SELECT 2',
      ],
      { cwd, encoding: 'utf8', timeout: 60_000 },
    );
    expect(offline.stderr).toMatch(
      /^Error \[DB_QUERY_FAILED\]: the query holds more than one statement \(a ';' at character 9 ends the first\)\nHint: Give one SELECT/,
    );
    return expectUntouched();
  }, 120_000);

  it('through the workbench: connections.preview and datasets.addQuery refuse them, and nothing changed', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-pg-sec-')), 'w.flworkspace');
    const wb: Workbench = await openWorkbench({ workspaceFile: file, dataDir: path.dirname(file), engineEntryUrl: entry });
    try {
      const c = (await wb.handle('connections.save', {
        name: 'Shop (superuser)',
        host: 'localhost',
        port: server.port,
        database: 'shop',
        user: 'postgres',
        password: server.password,
        sslMode: 'disable',
        caFile: null,
        certFile: null,
        keyFile: null,
      })) as Connection;
      for (const [name, sql] of Object.entries(escapes())) {
        await expect(wb.handle('connections.preview', { id: c.id, sql }), name).rejects.toMatchObject({ code: 'DB_QUERY_FAILED' });
        await expect(wb.handle('datasets.addQuery', { connectionId: c.id, name: 'x', sql }), name).rejects.toMatchObject({
          code: 'DB_QUERY_FAILED',
        });
      }
      await expectUntouched();
      expect(((await wb.handle('workspace.get', {})) as { datasets: Dataset[] }).datasets).toEqual([]);
    } finally {
      wb.shutdown();
    }
  });

  it('legitimate queries still run: a ; in a string, trailing ; and comment, a CTE, nested brackets, $$ strings', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-pg-sec-')), 'w.flworkspace');
    const wb: Workbench = await openWorkbench({ workspaceFile: file, dataDir: path.dirname(file), engineEntryUrl: entry });
    try {
      const c = (await wb.handle('connections.save', {
        name: 'Shop',
        host: 'localhost',
        port: server.port,
        database: 'shop',
        user: 'postgres',
        password: server.password,
        sslMode: 'disable',
        caFile: null,
        certFile: null,
        keyFile: null,
      })) as Connection;
      const preview = async (sql: string) =>
        ((await wb.handle('connections.preview', { id: c.id, sql })) as { rows: (string | null)[][] }).rows;
      expect(await preview("SELECT 'a;b' AS s, E'it\\'s;' AS e, 'x)' AS p")).toEqual([['a;b', "it's;", 'x)']]);
      expect(await preview('SELECT $$semi; colon ( $$ AS d, $q1$ ) $q1$ AS e;  -- the end\n')).toEqual([['semi; colon ( ', ' ) ']]);
      expect(
        await preview("WITH latam AS (SELECT * FROM sales WHERE region = 'LATAM') SELECT count(*) AS n FROM latam /* done; */ ;"),
      ).toEqual([[String((await admin.query("SELECT count(*) AS n FROM sales WHERE region = 'LATAM'")).rows[0].n)]]);
      expect(await preview('SELECT ((1 + (2 * (3 - 1)))) AS v FROM (SELECT 1) AS one')).toEqual([['5']]);
      const dataset = (await wb.handle('datasets.addQuery', {
        connectionId: c.id,
        name: 'Sales',
        sql: "SELECT * FROM sales WHERE region <> ';' -- all\n;",
      })) as Dataset;
      expect(dataset.rowCount).toBe(SALES_ROWS);
    } finally {
      wb.shutdown();
    }
    const a = await runAnalyze({
      source: pgSource("WITH s AS (SELECT *, 'x;y' AS tag FROM sales) SELECT region, orders FROM s;\n-- trailing\n"),
      options: byRegion,
    });
    expect(a.records).toBe(SALES_ROWS);
  });
});

describe('a query dies with its engine', () => {
  it('an engine killed with SIGKILL leaves no query running on the server', async () => {
    let child: ChildProcess | null = null;
    const runner = new JobRunner(() => {
      child = startEngineChild(engineEntryBeside(entry), 'pg');
      return nodeChildLink(child);
    });
    try {
      const job = runner.start({
        kind: 'analyze',
        request: { source: pgSource('SELECT s.* FROM sales s, pg_sleep(30) AS z'), options: byRegion },
      });
      const failed = job.result.catch((err: unknown) => err);
      await waitFor(async () => (await sleepingQueries()) > 0, 15_000);
      expect(await activeQueries()).toBe(1);
      (child as ChildProcess | null)!.kill('SIGKILL');
      expect(await failed).toMatchObject({ code: 'ENGINE_CRASHED' });
      // The server notices the closed connection at its next check (1 s), long before the 30 s sleep ends.
      await waitFor(async () => (await activeQueries()) === 0, 5000);
      expect(await activeQueries()).toBe(0);
    } finally {
      runner.close();
    }
  }, 40_000);

  it('a connection cut in the middle of a statement stops the statement', async () => {
    // The session talks to the server through a TCP relay, so the test can cut the line as a crash or a network failure would.
    const sockets: net.Socket[] = [];
    const relay = net.createServer((client) => {
      const upstream = net.connect(server.port, '127.0.0.1');
      for (const s of [client, upstream]) {
        s.on('error', () => {});
        sockets.push(s);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    try {
      const port = (relay.address() as net.AddressInfo).port;
      const source = {
        ...pgSource('SELECT 1'),
        connection: { ...conn(), url: `postgres://postgres:${server.password}@127.0.0.1:${port}/shop` },
      };
      const running = withPgSession(source, (session) => session.query('SELECT pg_sleep(30)')).catch((err: unknown) => err);
      await waitFor(async () => (await sleepingQueries()) > 0, 10_000);
      expect(await activeQueries()).toBe(1);
      for (const s of sockets) s.destroy();
      expect(await running).toMatchObject({ code: 'DB_UNREACHABLE' });
      await waitFor(async () => (await activeQueries()) === 0, 5000);
      expect(await activeQueries()).toBe(0);
    } finally {
      relay.close();
    }
  }, 20_000);
});

describe('killing the CLI in the middle of a query', () => {
  // Whatever ends the command (Ctrl-C, a closed terminal, a kill, even SIGKILL), its engine ends
  // too and the statement stops on the server; the run writes nothing.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
    it(`${signal} ends the engine and the statement`, async () => {
      // A clean start: no statement of an earlier test still running (each ends within its 30 s sleep).
      await waitFor(async () => (await activeQueries()) === 0, 35_000);
      expect(await activeQueries()).toBe(0);
      const out = mkdtempSync(path.join(os.tmpdir(), 'fl-pg-kill-'));
      const cli: ChildProcess = spawn(
        process.execPath,
        [
          path.join(root, 'bin', 'factorlens.js'),
          'analyze',
          '--postgres-url',
          server.url('postgres', 'shop'),
          '--query',
          'SELECT s.* FROM sales s, pg_sleep(30) AS z',
          '--group-by',
          'region',
          '--out',
          path.join(out, 'a.json'),
        ],
        { cwd: out, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let stderr = '';
      cli.stderr!.on('data', (d) => (stderr += String(d)));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        cli.once('exit', (code, sig) => resolve({ code, signal: sig })),
      );
      // Mid-run: the statement is running on the server.
      await waitFor(async () => (await sleepingQueries()) > 0, 20_000);
      expect(await activeQueries()).toBe(1);
      const engines = childPids(cli.pid!);
      expect(engines.length).toBeGreaterThan(0);
      cli.kill(signal);
      const end = await exited;
      if (signal === 'SIGKILL') expect(end.signal).toBe('SIGKILL');
      else expect(end.code).toBe({ SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[signal]);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(await waitUntil(() => engines.every((pid) => !isAlive(pid)), 6000)).toBe(true);
      await waitFor(async () => (await activeQueries()) === 0, 5000);
      expect(await activeQueries()).toBe(0);
      expect(readdirSync(out)).toEqual([]);
    }, 80_000);
  }
});

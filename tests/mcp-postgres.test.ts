import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './pg/server';

/**
 * Long MCP calls on a real Postgres server: progress notifications as the run goes, a call
 * the client cancels and one that passes its time limit, both ending the statement on the server.
 */
const root = path.resolve(__dirname, '..');
let server: TestServer;
let admin: pg.Client;
let client: Client;
const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-mcp-pg-'));
const artifacts = path.join(cwd, 'artifacts');

const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;
const active = async () =>
  Number(
    (
      await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND application_name = 'FactorLens Workbench'",
      )
    ).rows[0].n,
  );
/** A statement of the server's engines running for more than half a second (not the short ones before it). */
const sleeping = async () =>
  Number(
    (
      await admin.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND application_name = 'FactorLens Workbench' AND now() - query_start > interval '500 milliseconds'",
      )
    ).rows[0].n,
  );
const until = async (check: () => Promise<boolean>, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await check()) return true;
  return false;
};

beforeAll(async () => {
  server = await startTestServer();
  admin = new pg.Client({ connectionString: server.url('postgres', 'postgres') });
  await admin.connect();
  client = new Client({ name: 'factorlens-tests', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [path.join(root, 'bin', 'factorlens.js'), 'mcp', '--allow-read', path.join(root, 'data'), '--allow-write', artifacts],
      cwd,
      stderr: 'pipe',
    }),
  );
}, 120_000);
afterAll(async () => {
  await client?.close();
  await admin?.end();
  server?.stop();
});

const query = (sql: string) => ({ query: sql, postgres_url: server.url('postgres', 'postgres'), postgres_ssl_mode: 'disable' });

describe('factorlens mcp on a Postgres query', () => {
  it('sends progress notifications, rising, while a 2,000,000-row query runs', async () => {
    const seen: Progress[] = [];
    const r = (await client.callTool(
      {
        name: 'analyze',
        arguments: {
          ...query('SELECT g AS id, (g % 4)::text AS region, g % 10 AS amount FROM generate_series(1, 2000000) AS g'),
          group_by: ['region'],
          metrics: ['amount'],
          output_format: 'json',
        },
      },
      undefined,
      { onprogress: (p) => seen.push(p), timeout: 120_000 },
    )) as CallToolResult;
    expect(textOf(r)).toContain('- Rows read: 2,000,000');
    expect(r.isError).toBeFalsy();
    // The scan runs in the database (its GROUP BY): the engine reports its stages as it passes them.
    expect(seen.map((p) => p.message)).toEqual(['Starting', 'Profiling columns', 'Scanning rows', 'Ranking segments', 'Done']);
    expect(seen.map((p) => p.progress)).toEqual([0, 5, 10, 95, 100]);
    expect(seen.every((p) => p.total === 100)).toBe(true);
  }, 120_000);

  it('a call the client cancels ends its statement on the server and writes nothing; the next call runs', async () => {
    const before = readdirSync(artifacts).sort();
    const abort = new AbortController();
    const call = client.callTool(
      {
        name: 'analyze',
        arguments: {
          ...query("SELECT 'a' AS region, 1 AS n FROM pg_sleep(60)"),
          group_by: ['region'],
          out: path.join(artifacts, 'cancelled.md'),
        },
      },
      undefined,
      { signal: abort.signal, timeout: 120_000 },
    );
    expect(await until(async () => (await sleeping()) === 1, 20_000)).toBe(true);
    abort.abort();
    await expect(call).rejects.toThrow();
    expect(await until(async () => (await active()) === 0, 10_000)).toBe(true);
    expect(readdirSync(artifacts).sort()).toEqual(before);
    const next = (await client.callTool({
      name: 'analyze',
      arguments: { ...query("SELECT 'b' AS region, 2 AS n"), group_by: ['region'], output_format: 'json' },
    })) as CallToolResult;
    expect(next.isError).toBeFalsy();
  }, 60_000);

  it('a call past its timeout_sec is stopped with RUN_TIMEOUT, and its statement ends on the server', async () => {
    const r = (await client.callTool(
      { name: 'analyze', arguments: { ...query("SELECT 'a' AS region FROM pg_sleep(60)"), group_by: ['region'], timeout_sec: 1.5 } },
      undefined,
      { timeout: 60_000 },
    )) as CallToolResult;
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /^Error \[RUN_TIMEOUT\]: the run was stopped after 1\.5 s, its time limit\nHint: Give timeout_sec a larger number/,
    );
    expect(await until(async () => (await active()) === 0, 10_000)).toBe(true);
  }, 60_000);
});

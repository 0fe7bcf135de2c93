import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANALYSES } from '../src-main/analyses';
import type { AnalyzeArtifact } from '../src-shared/artifacts/analyze';

/**
 * `factorlens mcp`, driven by the MCP SDK's own client over stdio and over Streamable HTTP: the
 * built CLI as an assistant starts it, the demo data, real numbers in the answers.
 */
const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');
const data = path.join(root, 'data');
const demo = path.join(data, 'factorlens_demo_sales.csv');

const textOf = (r: CallToolResult) => (r.content[0] as { text: string }).text;

describe('factorlens mcp over stdio', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-mcp-'));
  const artifacts = path.join(cwd, 'artifacts');
  let client: Client;

  beforeAll(async () => {
    client = new Client({ name: 'factorlens-tests', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [bin, 'mcp', '--allow-read', data, '--allow-write', artifacts],
        cwd,
        stderr: 'pipe',
      }),
    );
  }, 60_000);
  afterAll(async () => client?.close());

  it('lists a tool per analysis of the registry, with the flags as typed parameters, and the helpers', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const def of ANALYSES) expect(names).toContain(def.command.replace(/[ -]/g, '_'));
    expect(names).toEqual(
      expect.arrayContaining([
        'analyze_validate',
        'analyze_compare',
        'report',
        'read_artifact',
        'summarize_investigation',
        'server_info',
        'healthcheck',
      ]),
    );
    const analyze = tools.find((t) => t.name === 'analyze')!;
    const props = analyze.inputSchema.properties as Record<
      string,
      { type?: string; default?: unknown; enum?: string[]; description?: string }
    >;
    expect(props.group_by).toMatchObject({ type: 'array', description: expect.stringContaining('group') });
    expect(props.top).toMatchObject({ type: 'integer', default: 20, minimum: 1 });
    expect(props.agg).toMatchObject({ enum: ['sum', 'mean', 'median'], default: 'sum' });
    expect(Object.keys(props)).toEqual(
      expect.arrayContaining(['input', 'query', 'postgres_url', 'time_grain', 'anchor_date', 'profile', 'out', 'timeout_sec']),
    );
    // Analyses write their report (the same files for the same call); helpers only read.
    expect(analyze.annotations).toEqual({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
    expect(tools.find((t) => t.name === 'read_artifact')!.annotations?.readOnlyHint).toBe(true);
    const drivers = tools.find((t) => t.name === 'analyze_drivers')!;
    expect(drivers.inputSchema.required).toEqual(['metric']);
  });

  it('analyze on the demo data: the seed’s US segment (29 records, revenue 4,020,509.65), written where it says', async () => {
    const r = (await client.callTool({
      name: 'analyze',
      arguments: { input: demo, group_by: ['region'], metrics: ['revenue_usd'], rank_by: 'revenue_usd', output_format: 'both' },
    })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toContain('| US | 29 | 29.00% | 4,020,509.65 | 27.96% |');
    const json = path.join(artifacts, 'analyze_factorlens_demo_sales.json');
    expect(r.structuredContent).toEqual({
      ok: true,
      tool: 'analyze',
      kind: 'analyze',
      files: [path.join(artifacts, 'analyze_factorlens_demo_sales.md'), json],
    });
    expect(r.content.slice(1)).toEqual([
      expect.objectContaining({
        type: 'resource_link',
        uri: `file://${path.join(artifacts, 'analyze_factorlens_demo_sales.md')}`,
        mimeType: 'text/markdown',
      }),
      expect.objectContaining({ type: 'resource_link', uri: `file://${json}`, mimeType: 'application/json' }),
    ]);
    const artifact = JSON.parse(readFileSync(json, 'utf8')) as AnalyzeArtifact;
    const us = artifact.groups.find((g) => g.group === 'US')!;
    expect(us.count).toBe(29);
    expect(us.revenue_usd as number).toBeCloseTo(4_020_509.65, 2);
    // The files are resources too.
    const { resources } = await client.listResources();
    expect(resources.map((x) => x.name)).toEqual(
      expect.arrayContaining(['analyze_factorlens_demo_sales.json', 'analyze_factorlens_demo_sales.md']),
    );
    const read = await client.readResource({ uri: `file://${json}` });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toEqual(artifact);
  });

  it('analyze_segments: the bridge of revenue by region, February to March (the CLI’s numbers)', async () => {
    const r = (await client.callTool({
      name: 'analyze_segments',
      arguments: {
        input: path.join(data, 'demo_revenue_residual.csv'),
        metric: 'revenue_usd',
        dimensions: ['region'],
        max_depth: 1,
        date_column: 'date',
        anchor_date: '2026-04-15',
      },
    })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toContain('| region = US | 2,875,929.20 | 2,325,712.80 | -550,216.40 | 62.5% | 12 → 12 |');
    const json = JSON.parse(readFileSync(path.join(artifacts, 'segments_demo_revenue_residual.json'), 'utf8'));
    expect(json).toMatchObject({ kind: 'segments', dimensions: ['region'], comparison: { mode: 'period', date_column: 'date' } });
  });

  it('factors_fit writes its folder (named after the prices file), and report turns it into HTML', async () => {
    const fit = (await client.callTool({
      name: 'factors_fit',
      arguments: { prices: path.join(data, 'prices.csv'), portfolio: path.join(data, 'portfolio.csv'), k: 2 },
    })) as CallToolResult;
    expect(fit.isError).toBeFalsy();
    const folder = path.join(artifacts, 'factors_prices');
    const model = JSON.parse(readFileSync(path.join(folder, 'factors.json'), 'utf8'));
    // SPEC 14.2: 63 common return dates; explained variance ratios 0.4397 and 0.3449.
    expect(model.model.explained_variance_ratio.map((x: number) => Number(x.toFixed(4)))).toEqual([0.4397, 0.3449]);
    const report = (await client.callTool({ name: 'report', arguments: { artifacts: folder, format: 'html' } })) as CallToolResult;
    expect(report.structuredContent).toEqual({ ok: true, tool: 'report', files: [path.join(folder, 'report.html')] });
    expect(readFileSync(path.join(folder, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('refuses a file outside its folders, to read or to write, with a typed error naming the parameter; nothing is written', async () => {
    const before = readdirSync(artifacts).sort();
    const read = (await client.callTool({ name: 'analyze', arguments: { input: '/etc/passwd' } })) as CallToolResult;
    expect(read.isError).toBe(true);
    expect(textOf(read)).toMatch(
      /^Error \[PATH_NOT_ALLOWED\]: the input file \/etc\/passwd is outside the folders this MCP server may read/,
    );
    expect(read.structuredContent).toMatchObject({ ok: false, error: { code: 'PATH_NOT_ALLOWED' } });
    const outside = path.join(cwd, 'elsewhere.md');
    const write = (await client.callTool({
      name: 'analyze',
      arguments: { input: demo, group_by: ['region'], out: outside },
    })) as CallToolResult;
    expect(textOf(write)).toMatch(
      /^Error \[PATH_NOT_ALLOWED\]: the output path .*elsewhere\.md is outside the folders this MCP server may write/,
    );
    expect(existsSync(outside)).toBe(false);
    const bad = (await client.callTool({ name: 'analyze', arguments: { input: demo, top: 0 } })) as CallToolResult;
    expect(textOf(bad)).toBe(
      "Error [BAD_ARGUMENT]: top must be at least 1 (got '0')\nHint: Change top (it must be at least 1), or leave the flag out to use its default.",
    );
    const format = (await client.callTool({ name: 'analyze', arguments: { input: demo, output_format: 'pdf' } })) as CallToolResult;
    expect(textOf(format)).toMatch(/^Error \[BAD_ARGUMENT\]: output_format must be one of md, json, both, html \(got 'pdf'\)/);
    const typo = (await client.callTool({ name: 'analyze', arguments: { input: demo, groupby: ['region'] } })) as CallToolResult;
    expect(textOf(typo)).toMatch(/^Error \[BAD_ARGUMENT\]: analyze has no parameter groupby\n/);
    expect(readdirSync(artifacts).sort()).toEqual(before);
  });

  it('answers a health check and says its folders', async () => {
    const h = (await client.callTool({ name: 'healthcheck', arguments: {} })) as CallToolResult;
    expect(h.structuredContent).toMatchObject({ ok: true, engine: 'answered', records: 3 });
    const info = (await client.callTool({ name: 'server_info', arguments: {} })) as CallToolResult;
    expect(info.structuredContent).toMatchObject({
      mcp_server_name: 'factorlens',
      transport: 'stdio',
      read_dirs: [data],
      write_dirs: [artifacts],
    });
  });
});

describe('factorlens mcp over Streamable HTTP', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-mcp-http-'));
  let child: ChildProcess;
  let url = '';
  const token = 'test-token-0123456789';

  beforeAll(async () => {
    child = spawn(
      process.execPath,
      [bin, 'mcp', '--http', '--port', '0', '--token', token, '--allow-read', data, '--allow-write', path.join(cwd, 'artifacts')],
      {
        cwd,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    url = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const m = /Streamable HTTP\): (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', () => reject(new Error(`factorlens mcp --http ended: ${err}`)));
    });
  }, 60_000);
  afterAll(() => child?.kill('SIGTERM'));

  it('serves the same tools to a client with the token', async () => {
    const client = new Client({ name: 'factorlens-tests', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
    );
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('analyze_drivers');
    const r = (await client.callTool({
      name: 'analyze',
      arguments: { input: demo, group_by: ['region'], metrics: ['revenue_usd'], output_format: 'json' },
    })) as CallToolResult;
    expect(r.isError).toBeFalsy();
    const artifact = JSON.parse(readFileSync(path.join(cwd, 'artifacts', 'analyze_factorlens_demo_sales.json'), 'utf8')) as AnalyzeArtifact;
    expect(artifact.groups.find((g) => g.group === 'US')!.count).toBe(29);
    await client.close();
  });

  it('refuses a request without the token (401), with a wrong one, and one from another web origin (403)', async () => {
    const init = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    };
    const post = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(init),
      });
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect((await post({ authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${token}`, origin: 'http://evil.example' })).status).toBe(403);
    const client = new Client({ name: 'no-token', version: '1.0.0' });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(url)))).rejects.toThrow();
  });
});

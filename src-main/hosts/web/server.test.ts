import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src-shared/contract';
import type { Workbench } from '../../services/workbench';
import { openWorkbench } from '../open-workbench';
import { startWebHost, type WebHost } from './server';

const root = path.resolve(__dirname, '../../..');
let host: WebHost;
let workbench: Workbench;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-web-'));
  workbench = await openWorkbench({ workspaceFile: path.join(dir, 'w.flworkspace'), dataDir: dir, demoDataDir: path.join(root, 'data'), engineEntryUrl: pathToFileURL(__filename).href });
  host = await startWebHost({ workbench, rendererDir: path.join(root, 'src-renderer') });
});
afterAll(async () => {
  await host.close();
  workbench.shutdown();
});

const base = () => `http://127.0.0.1:${host.port}`;
const call = (name: string, body: unknown, token: string | null = host.token) =>
  fetch(`${base()}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });

describe('web host', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[\\w-]{20,}$`));
  });

  it('refuses API requests without the right token', async () => {
    const none = await call('workspace.get', {}, null);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    expect((await call('workspace.get', {}, 'x'.repeat(host.token.length))).status).toBe(401);
    expect((await fetch(`${base()}/api/events`)).status).toBe(401);
  });

  it('refuses requests for another host name or from another origin', async () => {
    const other = await fetch(`${base()}/api/call/workspace.get`, { method: 'POST', headers: { authorization: `Bearer ${host.token}`, origin: 'http://evil.example' }, body: '{}' });
    expect(other.status).toBe(403);
  });

  it('serves the demo workspace and validates requests against the contract', async () => {
    const res = await call('workspace.get', {});
    expect(res.status).toBe(200);
    const ws = ((await res.json()) as { value: { name: string; datasets: { name: string; rowCount: number }[] } }).value;
    expect(ws.name).toBe('Demo workspace');
    expect(ws.datasets.find((d) => d.name === 'factorlens_demo_sales.csv')?.rowCount).toBe(100);
    const bad = await call('runs.get', { id: 42 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    const unknown = await call('runs.delete_everything', {});
    expect(unknown.status).toBe(400);
  });

  it('uploads a file, runs analyze in the engine with progress events, stores and exports the run', async () => {
    const csv = readFileSync(path.join(root, 'tests/fixtures/small.csv'));
    const up = await fetch(`${base()}/api/upload?name=${encodeURIComponent('my sales.csv')}`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` }, body: csv });
    expect(up.status).toBe(200);
    const dataset = ((await up.json()) as { value: { id: string; name: string; rowCount: number; autoGroupBy: string[] } }).value;
    expect(dataset).toMatchObject({ name: 'my sales.csv', rowCount: 8, autoGroupBy: ['region', 'team'] });

    const events: JobEvent[] = [];
    const done = new Promise<JobEvent>((resolve) => workbench.on('job', (e) => (events.push(e), e.type !== 'progress' && resolve(e))));
    const start = await call('analyze.start', { datasetId: dataset.id, options: { groupBy: ['team'], metrics: ['sales'], rankBy: 'sales' } });
    expect(start.status).toBe(200);
    const final = await done;
    expect(final.type).toBe('done');
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    const runId = (final as { runId: string }).runId;

    const run = ((await (await call('runs.get', { id: runId })).json()) as { value: { artifact: { groups: { group: string; sales: number }[] } } }).value;
    expect(run.artifact.groups[0]).toMatchObject({ group: 'Blue', sales: 1012 });
    const md = ((await (await call('runs.export', { id: runId, format: 'md' })).json()) as { value: { filename: string; content: string } }).value;
    expect(md.filename).toBe('analyze_my sales.md');
    expect(md.content).toContain('| Blue | 3 | 37.50% | 1,012 | 93.70% |');
  });

  it('an upload that is not a table is refused and not kept', async () => {
    const up = await fetch(`${base()}/api/upload?name=page.csv`, { method: 'POST', headers: { authorization: `Bearer ${host.token}` }, body: '<html><body>nope</body></html>' });
    expect(up.status).toBe(422);
    const err = ((await up.json()) as { error: { code: string; hint: string } }).error;
    expect(err.code).toBe('NOT_A_TABLE');
    const ws = ((await (await call('workspace.get', {})).json()) as { value: { datasets: { name: string }[] } }).value;
    expect(ws.datasets.map((d) => d.name)).not.toContain('page.csv');
  });

  it('serves the app shell with a strict content security policy', async () => {
    const res = await fetch(`${base()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<div id="app">');
    expect((await fetch(`${base()}/../package.json`)).status).toBe(404);
  });
});

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

  it('profiles: built-ins are read-only, bad values are refused with the field, TOML goes out and back in', async () => {
    const body = async (res: Response) => (await res.json()) as { ok: boolean; value: never; error: { code: string; message: string } };
    const builtin = await body(await call('profiles.save', { name: 'exec', profile: { top: 3 } }));
    expect(builtin.error.message).toContain("'exec' is a built-in profile");
    const badName = await body(await call('profiles.save', { name: 'my profile!', profile: {} }));
    expect(badName.error.code).toBe('BAD_REQUEST');
    const badTop = await body(await call('profiles.save', { name: 'p1', profile: { top: 0 } }));
    expect(badTop.error.message).toMatch(/profile.top|top/);
    expect((await body(await call('profiles.save', { name: 'weekly', profile: { group_by: ['region'], rank_by: 'revenue_usd', metrics: ['revenue_usd'] } }))).ok).toBe(true);
    const demo = ((await (await call('workspace.get', {})).json()) as { value: { datasets: { id: string; name: string }[] } }).value.datasets.find((d) => d.name === 'factorlens_demo_sales.csv')!;
    const check = (await body(await call('profiles.validate', { profile: { group_by: ['regio'], metrics: ['revenue_usd'], rank_by: 'orders' }, datasetId: demo.id }))).value as { problems: string[] };
    expect(check.problems).toEqual(["rank_by 'orders' is not one of the profile's metrics (revenue_usd)", "group_by: column 'regio' is not in this dataset"]);
    const toml = (await body(await call('profiles.exportToml', {}))).value as { content: string };
    expect(toml.content).toContain('[profiles.weekly]');
    const imported = (await body(await call('profiles.importToml', { content: toml.content.replaceAll('weekly', 'weekly_copy'), source: 'copy.toml' }))).value as { imported: string[] };
    expect(imported.imported).toEqual(['weekly_copy']);
    const broken = await body(await call('profiles.importToml', { content: '[profiles.x\ntop = 1', source: 'broken.toml' }));
    expect(broken.error.message).toContain('broken.toml is not valid TOML');
    const list = (await body(await call('profiles.list', {}))).value as { saved: { name: string }[]; builtins: { name: string }[] };
    expect(list.saved.map((p) => p.name)).toEqual(['weekly', 'weekly_copy']);
    expect(list.builtins.map((p) => p.name)).toEqual(['exec', 'segment', 'supplier']);
  });

  it('compare takes analyze artifacts and refuses anything else', async () => {
    const bad = await call('compare.artifacts', { base: { label: 'a.json', json: { hello: 1 } }, new: { label: 'b.json', json: { groups: [] } } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/a\.json is not an analyze artifact/);
    const ok = await call('compare.artifacts', {
      base: { label: 'a.json', json: { records: 4, segments: 2, top5_count: 4, primary_metric: 'v', groups: [{ group: 'x', count: 3, v: 30 }, { group: 'y', count: 1, v: 5 }] } },
      new: { label: 'b.json', json: { records: 4, segments: 2, top5_count: 4, primary_metric: 'v', groups: [{ group: 'x', count: 1, v: 12 }, { group: 'z', count: 3, v: 9 }] } },
    });
    const runId = ((await ok.json()) as { value: { runId: string } }).value.runId;
    const run = ((await (await call('runs.get', { id: runId })).json()) as { value: { kind: string; artifact: { movers: { segment: string; delta_share_pp: number }[]; new_only_segments: number } } }).value;
    expect(run.kind).toBe('compare');
    // x: 75% -> 25% (-50 pp); z: 0 -> 75% (+75); y: 25% -> 0 (-25).
    expect(run.artifact.movers.map((m) => [m.segment, m.delta_share_pp])).toEqual([
      ['z', 75],
      ['x', -50],
      ['y', -25],
    ]);
    expect(run.artifact.new_only_segments).toBe(1);
  });

  it('serves the app shell with a strict content security policy', async () => {
    const res = await fetch(`${base()}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<div id="app">');
    expect((await fetch(`${base()}/../package.json`)).status).toBe(404);
  });
});

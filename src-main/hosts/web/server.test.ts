import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../src-shared/contract';
import type { Workbench } from '../../services/workbench';
import { openWorkbench } from '../open-workbench';
import { startWebHost, type WebHost } from './server';
import { childPids, isAlive, waitUntil } from '../../../tests/processes';

const root = path.resolve(__dirname, '../../..');
let host: WebHost;
let workbench: Workbench;
/** The workspace's folder (uploads go to its uploads/), and a folder allowed as with --allow-dir. */
let dir: string;
let allowed: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fl-web-'));
  allowed = mkdtempSync(path.join(os.tmpdir(), 'fl-web-allowed-'));
  workbench = await openWorkbench({
    workspaceFile: path.join(dir, 'w.flworkspace'),
    dataDir: dir,
    demoDataDir: path.join(root, 'data'),
    demoProfilesDir: path.join(root, 'profiles'),
    engineEntryUrl: pathToFileURL(__filename).href,
    limitFilesTo: [allowed],
  });
  host = await startWebHost({ workbench, rendererDir: path.join(root, 'src-renderer') });
});
afterAll(async () => {
  await host.close();
  workbench.shutdown();
});

const base = () => `http://127.0.0.1:${host.port}`;
const call = (name: string, body: unknown, token: string | null = host.token) =>
  fetch(`${base()}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

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
    const other = await fetch(`${base()}/api/call/workspace.get`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, origin: 'http://evil.example' },
      body: '{}',
    });
    expect(other.status).toBe(403);
  });

  it('serves the demo workspace and validates requests against the contract', async () => {
    const res = await call('workspace.get', {});
    expect(res.status).toBe(200);
    const ws = ((await res.json()) as { value: { name: string; datasets: { name: string; rowCount: number }[] } }).value;
    expect(ws.name).toBe('Demo workspace');
    expect(ws.datasets.find((d) => d.name === 'factorlens_demo_sales.csv')?.rowCount).toBe(100);
    // The example profiles of profiles/demo.toml came with it; the *.example.toml template did not.
    type Named = { name: string; profile: { group_by?: string[] } };
    const profiles = ((await (await call('profiles.list', {})).json()) as { value: { saved: Named[] } }).value.saved;
    expect(profiles.map((p) => p.name).sort()).toEqual(['demo_revenue', 'demo_sales', 'demo_sales_regions']);
    expect(profiles.find((p) => p.name === 'demo_sales')!.profile.group_by).toEqual(['region', 'channel', 'product_line', 'plan_tier']);
    const bad = await call('runs.get', { id: 42 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    const unknown = await call('runs.delete_everything', {});
    expect(unknown.status).toBe(400);
  });

  it('uploads a file, runs analyze in the engine with progress events, stores and exports the run', async () => {
    const csv = readFileSync(path.join(root, 'tests/fixtures/small.csv'));
    const up = await fetch(`${base()}/api/upload?name=${encodeURIComponent('my sales.csv')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
      body: csv,
    });
    expect(up.status).toBe(200);
    const dataset = ((await up.json()) as { value: { id: string; name: string; rowCount: number; autoGroupBy: string[] } }).value;
    expect(dataset).toMatchObject({ name: 'my sales.csv', rowCount: 8, autoGroupBy: ['region', 'team'] });

    const events: JobEvent[] = [];
    const done = new Promise<JobEvent>((resolve) => workbench.on('job', (e) => (events.push(e), e.type !== 'progress' && resolve(e))));
    const start = await call('analyze.start', {
      datasetId: dataset.id,
      options: { groupBy: ['team'], metrics: ['sales'], rankBy: 'sales' },
    });
    expect(start.status).toBe(200);
    const final = await done;
    expect(final.type).toBe('done');
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    const runId = (final as { runId: string }).runId;

    const run = (
      (await (await call('runs.get', { id: runId })).json()) as { value: { artifact: { groups: { group: string; sales: number }[] } } }
    ).value;
    expect(run.artifact.groups[0]).toMatchObject({ group: 'Blue', sales: 1012 });
    const md = ((await (await call('runs.export', { id: runId, format: 'md' })).json()) as { value: { filename: string; content: string } })
      .value;
    expect(md.filename).toBe('analyze_my sales.md');
    expect(md.content).toContain('| Blue | 3 | 37.50% | 1,012 | 93.70% |');
  });

  it('an upload that is not a table is refused and not kept', async () => {
    const up = await fetch(`${base()}/api/upload?name=page.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}` },
      body: '<html><body>nope</body></html>',
    });
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
    expect(
      (
        await body(
          await call('profiles.save', {
            name: 'weekly',
            profile: { group_by: ['region'], rank_by: 'revenue_usd', metrics: ['revenue_usd'] },
          }),
        )
      ).ok,
    ).toBe(true);
    const demo = (
      (await (await call('workspace.get', {})).json()) as { value: { datasets: { id: string; name: string }[] } }
    ).value.datasets.find((d) => d.name === 'factorlens_demo_sales.csv')!;
    const check = (
      await body(
        await call('profiles.validate', {
          profile: { group_by: ['regio'], metrics: ['revenue_usd'], rank_by: 'orders' },
          datasetId: demo.id,
        }),
      )
    ).value as { problems: string[] };
    expect(check.problems).toEqual([
      "rank_by 'orders' is not one of the profile's metrics (revenue_usd)",
      "group_by: column 'regio' is not in this dataset",
    ]);
    const toml = (await body(await call('profiles.exportToml', {}))).value as { content: string };
    expect(toml.content).toContain('[profiles.weekly]');
    const imported = (
      await body(await call('profiles.importToml', { content: toml.content.replaceAll('weekly', 'weekly_copy'), source: 'copy.toml' }))
    ).value as { imported: string[] };
    // The export also held the demo workspace's profiles, which come back unchanged.
    expect(imported.imported.filter((n) => !n.startsWith('demo_'))).toEqual(['weekly_copy']);
    const broken = await body(await call('profiles.importToml', { content: '[profiles.x\ntop = 1', source: 'broken.toml' }));
    expect(broken.error.message).toContain('broken.toml is not valid TOML');
    const list = (await body(await call('profiles.list', {}))).value as { saved: { name: string }[]; builtins: { name: string }[] };
    expect(list.saved.map((p) => p.name)).toEqual(['demo_revenue', 'demo_sales', 'demo_sales_regions', 'weekly', 'weekly_copy']);
    expect(list.builtins.map((p) => p.name)).toEqual(['exec', 'segment', 'supplier']);
  });

  it('compare takes analyze artifacts and refuses anything else', async () => {
    const bad = await call('compare.artifacts', {
      base: { label: 'a.json', json: { hello: 1 } },
      new: { label: 'b.json', json: { groups: [] } },
    });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/a\.json is not an analyze artifact/);
    const ok = await call('compare.artifacts', {
      base: {
        label: 'a.json',
        json: {
          records: 4,
          segments: 2,
          top5_count: 4,
          primary_metric: 'v',
          groups: [
            { group: 'x', count: 3, v: 30 },
            { group: 'y', count: 1, v: 5 },
          ],
        },
      },
      new: {
        label: 'b.json',
        json: {
          records: 4,
          segments: 2,
          top5_count: 4,
          primary_metric: 'v',
          groups: [
            { group: 'x', count: 1, v: 12 },
            { group: 'z', count: 3, v: 9 },
          ],
        },
      },
    });
    const runId = ((await ok.json()) as { value: { runId: string } }).value.runId;
    const run = (
      (await (await call('runs.get', { id: runId })).json()) as {
        value: { kind: string; artifact: { movers: { segment: string; delta_share_pp: number }[]; new_only_segments: number } };
      }
    ).value;
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

  it('answers 400 to an address that is not valid percent-encoding', async () => {
    const res = await fetch(`${base()}/%E0%A4%A`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
  });
});

type Answer = { ok: boolean; value: never; error: { code: string; message: string; hint?: string } };
const answer = async (res: Response) => ({ status: res.status, ...((await res.json()) as Answer) });

describe('web host: files API calls may name', () => {
  const refused = async (res: Response) => {
    const a = await answer(res);
    expect(a.status).toBe(403);
    expect(a.error.code).toBe('PATH_NOT_ALLOWED');
    expect(a.error.hint).toContain('--allow-dir');
    return a.error;
  };

  it('refuses /etc/passwd, and a path that climbs out of an allowed folder', async () => {
    const error = await refused(await call('datasets.addFile', { path: '/etc/passwd' }));
    expect(error.message).toContain('/etc/passwd is outside the folders this web workbench may read');
    await refused(await call('datasets.addFile', { path: path.join(allowed, '..', '..', 'etc', 'passwd') }));
    // Whether a file exists outside is not told either: a missing one is refused the same way.
    await refused(await call('datasets.addFile', { path: '/etc/no-such-file.csv' }));
    const ws = ((await (await call('workspace.get', {})).json()) as { value: { datasets: { path: string }[] } }).value;
    expect(ws.datasets.map((d) => d.path)).not.toContain('/etc/passwd');
  });

  it('refuses a symlink in an allowed folder that points outside (to a file or a folder)', async () => {
    symlinkSync('/etc/passwd', path.join(allowed, 'users.csv'));
    symlinkSync('/etc', path.join(dir, 'etc-link'));
    await refused(await call('datasets.addFile', { path: path.join(allowed, 'users.csv') }));
    await refused(await call('datasets.addFile', { path: path.join(dir, 'etc-link', 'passwd') }));
  });

  it('takes files in an --allow-dir folder and in the workspace folder; a missing one there is FILE_NOT_FOUND', async () => {
    writeFileSync(path.join(allowed, 'teams.csv'), 'team,sales\nBlue,3\nRed,4\nBlue,5\n');
    const added = await answer(await call('datasets.addFile', { path: path.join(allowed, 'teams.csv') }));
    expect(added.status).toBe(200);
    expect(added.value).toMatchObject({ name: 'teams.csv', rowCount: 3 });
    const preview = await answer(await call('datasets.preview', { id: (added.value as { id: string }).id }));
    expect((preview.value as { rows: string[][] }).rows).toEqual([
      ['Blue', '3'],
      ['Red', '4'],
      ['Blue', '5'],
    ]);
    writeFileSync(path.join(dir, 'beside.csv'), 'a,b\n1,2\n');
    expect(
      ((await answer(await call('datasets.addFile', { path: path.join(dir, 'beside.csv') }))).value as { rowCount: number }).rowCount,
    ).toBe(1);
    const missing = await answer(await call('datasets.addFile', { path: path.join(allowed, 'gone.csv') }));
    expect(missing.error.code).toBe('FILE_NOT_FOUND');
  });

  it('checks every other call that names a file: connection CA/cert/key files, model files, explain settings', async () => {
    const connection = {
      name: 'shop',
      host: '127.0.0.1',
      port: 1,
      database: 'shop',
      user: 'reader',
      sslMode: 'verify-full',
      caFile: null,
      certFile: null,
      keyFile: null,
    };
    for (const field of ['caFile', 'certFile', 'keyFile']) {
      await refused(await call('connections.save', { ...connection, [field]: '/etc/passwd' }));
      await refused(await call('connections.test', { ...connection, [field]: '/etc/passwd' }));
    }
    const list = ((await (await call('connections.list', {})).json()) as { value: { connections: unknown[] } }).value;
    expect(list.connections).toEqual([]);
    // An allowed CA file is kept (as its real path).
    writeFileSync(path.join(allowed, 'ca.crt'), 'not really a certificate\n');
    const saved = await answer(await call('connections.save', { ...connection, caFile: path.join(allowed, 'ca.crt') }));
    expect(saved.status).toBe(200);
    expect((saved.value as { caFile: string }).caFile).toBe(path.join(realpathSync(allowed), 'ca.crt'));
    await call('connections.remove', { id: (saved.value as { id: string }).id });

    await refused(await call('explain.addModel', { path: '/etc/passwd' }));
    const settings = ((await (await call('explain.settings', {})).json()) as { value: Record<string, unknown> }).value;
    await refused(await call('explain.saveSettings', { ...settings, localModel: '/etc/passwd' }));
    await refused(await call('explain.saveSettings', { ...settings, addedModels: ['/etc/passwd'] }));
    // A model in an allowed folder is fine to name (it need not be a model for the settings to save).
    const ok = await answer(await call('explain.saveSettings', { ...settings, localModel: path.join(allowed, 'tiny.gguf') }));
    expect(ok.status).toBe(200);
  });

  it('a web host will not serve a workbench that lets calls name any file', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'fl-web-open-'));
    const open = () =>
      openWorkbench({ workspaceFile: path.join(other, 'w.flworkspace'), dataDir: other, engineEntryUrl: pathToFileURL(__filename).href });
    await expect(startWebHost({ workbench: open, rendererDir: path.join(root, 'src-renderer') })).rejects.toThrow(
      /lets API calls name any file/,
    );
  });
});

describe('web host: uploads and the token', () => {
  const uploads = () => path.join(dir, 'uploads');
  const listing = () => (existsSync(uploads()) ? readdirSync(uploads()).sort() : []);
  const upload = (name: string, body: BodyInit, to = host) =>
    fetch(`http://127.0.0.1:${to.port}/api/upload?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${to.token}` },
      body,
    });

  it('refuses upload names that are not plain file names, and writes nothing', async () => {
    const before = { uploads: listing(), beside: readdirSync(dir).sort() };
    for (const name of ['..', '.', 'a/b', 'a\\b', '', 'x\u0001.csv']) {
      const a = await answer(await upload(name, 'a,b\n1,2\n'));
      expect([name, a.status, a.error.code]).toEqual([name, 400, 'BAD_REQUEST']);
      expect(a.error.message).toContain('is not a plain file name');
    }
    expect(listing()).toEqual(before.uploads);
    expect(readdirSync(dir).sort()).toEqual(before.beside);
  });

  it('refuses an upload over --max-upload-mb, declared or streamed, and leaves no file behind', async () => {
    const small = await startWebHost({ workbench, rendererDir: path.join(root, 'src-renderer'), maxUploadBytes: 1000 });
    try {
      const before = listing();
      const body = `a,b\n${'1,2\n'.repeat(1000)}`;
      const declared = await answer(await upload('big.csv', body, small));
      expect(declared.status).toBe(400);
      expect(declared.error.message).toContain('larger than this server takes');
      expect(declared.error.hint).toContain('--max-upload-mb');
      // Without a length up front (chunked), the count stops it mid-way; the partial file is deleted.
      const chunks = [`a,b\n${'1,2\n'.repeat(200)}`, '1,2\n'.repeat(200), '1,2\n'.repeat(200)];
      const stream = new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      });
      const streamed = await answer(
        await fetch(`http://127.0.0.1:${small.port}/api/upload?name=big.csv`, {
          method: 'POST',
          headers: { authorization: `Bearer ${small.token}` },
          body: stream,
          duplex: 'half',
        } as RequestInit),
      );
      expect(streamed.status).toBe(400);
      expect(streamed.error.message).toContain('larger than this server takes');
      expect(listing()).toEqual(before);
      // Under the limit it is taken.
      const fits = await answer(await upload('fits.csv', 'a,b\n1,2\n', small));
      expect(fits.status).toBe(200);
      expect(listing()).toHaveLength(before.length + 1);
    } finally {
      await small.close();
    }
  });

  it('an upload cut off by the client leaves no file behind', async () => {
    const before = listing();
    const until = async (done: () => boolean, what: string) => {
      for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!done()) throw new Error(`timed out waiting until ${what}`);
    };
    const req = http.request({
      host: '127.0.0.1',
      port: host.port,
      method: 'POST',
      path: '/api/upload?name=cut.csv',
      headers: { authorization: `Bearer ${host.token}`, 'content-length': 100_000 },
    });
    req.on('error', () => {});
    req.write(`a,b\n${'1,2\n'.repeat(1000)}`);
    await until(() => listing().length === before.length + 1, 'the server writes the upload');
    req.destroy();
    await until(() => listing().length === before.length, 'the server deletes the partial upload');
    expect(listing()).toEqual(before);
  });

  it('takes the token in the URL only for the event stream', async () => {
    const inUrl = await fetch(`${base()}/api/call/workspace.get?token=${host.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(inUrl.status).toBe(401);
    const uploadInUrl = await fetch(`${base()}/api/upload?name=x.csv&token=${host.token}`, { method: 'POST', body: 'a\n1\n' });
    expect(uploadInUrl.status).toBe(401);
    const abort = new AbortController();
    const events = await fetch(`${base()}/api/events?token=${host.token}`, { signal: abort.signal });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    abort.abort();
  });
});

describe('factorlens serve', () => {
  it('on a busy port fails with a typed error and makes no workspace file', () => {
    const folder = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-serve-busy-')), 'x');
    const file = path.join(folder, 'new.flworkspace');
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'bin', 'factorlens.js'), 'serve', '--port', String(host.port), '--workspace', file],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`port ${host.port} is already in use`);
    expect(r.stderr).toContain('BAD_ARGUMENT');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(folder)).toBe(false);
  });

  it('refuses an --allow-dir that is not a folder, and a bad --max-upload-mb', () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'fl-serve-flags-'));
    const file = path.join(folder, 'new.flworkspace');
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(root, 'bin', 'factorlens.js'), 'serve', '--workspace', file, ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      });
    const noDir = run('--allow-dir', path.join(folder, 'missing'));
    expect(noDir.status).toBe(2);
    expect(noDir.stderr).toContain('no such folder');
    const badMb = run('--max-upload-mb', '0');
    expect(badMb.status).toBe(2);
    expect(badMb.stderr).toContain('--max-upload-mb must be a whole number of at least 1');
    expect(existsSync(file)).toBe(false);
  });

  it('keeps a warm engine ready, and its engines end at once when the server is killed', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'fl-serve-kill-'));
    const serve = spawn(
      process.execPath,
      [
        path.join(root, 'bin', 'factorlens.js'),
        'serve',
        '--workspace',
        path.join(folder, 'w.flworkspace'),
        '--demo-data',
        path.join(root, 'data'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    serve.stderr!.on('data', (d) => (stderr += String(d)));
    // The line may come in more than one chunk: read the output so far, and fail at once if the server ends.
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      serve.stdout!.on('data', (d) => {
        stdout += String(d);
        if (stdout.includes('Open: ')) resolve();
      });
      serve.on('exit', (code) => reject(new Error(`serve ended (code ${code}) before it listened: ${stderr}`)));
    });
    // The pool starts one engine before any run is asked for.
    const engines = childPids(serve.pid!);
    expect(engines).toHaveLength(1);
    serve.kill('SIGKILL');
    await waitUntil(() => !engines.some(isAlive), 3000);
    expect(engines.filter(isAlive)).toEqual([]);

    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../../src-shared/analyze-options';
import { engineEntryBeside, nodeChildLink, startEngineChild, type EngineLauncher } from './engine-process';
import type { FromEngine, ToEngine } from '../engine/jobs';
import { JobRunner } from './job-runner';
import { isAlive, waitUntil } from '../../tests/processes';

const root = path.resolve(__dirname, '../..');
const small = path.join(root, 'tests/fixtures/small.csv');
const entry = engineEntryBeside(pathToFileURL(__filename).href);
const request = {
  source: { kind: 'file' as const, path: small },
  options: AnalyzeOptionsSchema.parse({ groupBy: ['team'], metrics: ['sales'], rankBy: 'sales' }),
};
const job = { kind: 'analyze' as const, request };
const sums = (a: { groups: { group: string; sales?: unknown }[] }) => a.groups.map((g) => [g.group, g.sales]);
const expected = [
  ['Blue', 1012],
  ['Red', 60],
  ['Green', 8],
];

/** A launcher that counts the engines it starts and remembers their pids. */
function countingLauncher(): { launch: EngineLauncher; pids: number[] } {
  const pids: number[] = [];
  return {
    pids,
    launch: () => {
      const child = startEngineChild(entry, 'duckdb');
      pids.push(child.pid!);
      return nodeChildLink<ToEngine, FromEngine>(child);
    },
  };
}

const runners: JobRunner[] = [];
afterAll(() => runners.forEach((r) => r.close()));
const pool = (launch: EngineLauncher, options: ConstructorParameters<typeof JobRunner>[1]) => {
  const r = new JobRunner(launch, options);
  runners.push(r);
  return r;
};

describe('engine pool', () => {
  it('keeps an engine warm: a second job runs in the same process', async () => {
    const l = countingLauncher();
    const runner = pool(l.launch, { size: 1 });
    expect(sums(await runner.start(job).result)).toEqual(expected);
    expect(sums(await runner.start(job).result)).toEqual(expected);
    expect(l.pids).toHaveLength(1);
    expect(runner.stats()).toEqual({ engines: 1, busy: 0, queued: 0 });
  });

  it('starts at most `size` engines for many runs at once, and tells waiting runs their place', async () => {
    const l = countingLauncher();
    const runner = pool(l.launch, { size: 2 });
    const stages: string[][] = [];
    const handles = Array.from({ length: 12 }, (_, i) => {
      stages[i] = [];
      return runner.start(job, (_f, stage) => stages[i]!.push(stage));
    });
    expect(runner.stats()).toMatchObject({ engines: 2, busy: 2, queued: 10 });
    const results = await Promise.all(handles.map((h) => h.result));
    for (const a of results) expect(sums(a)).toEqual(expected);
    expect(l.pids).toHaveLength(2);
    // The last run waited behind the 11 others (2 running, 9 queued ahead of it), then moved up
    // until only the two running ones were ahead.
    expect(stages[11]![0]).toBe('Waiting for an engine: 11 runs ahead');
    expect(stages[11]).toContain('Waiting for an engine: 2 runs ahead');
    expect(stages[11]!.filter((s) => s.startsWith('Waiting'))).toHaveLength(10);
    expect(stages[0]!.some((s) => s.startsWith('Waiting'))).toBe(false);
  });

  it('cancels a queued run without touching the engines, and a running one by replacing only its engine', async () => {
    const l = countingLauncher();
    const runner = pool(l.launch, { size: 2 });
    const a = runner.start(job);
    const b = runner.start(job);
    const queued = runner.start(job);
    expect(runner.cancel(queued.id)).toBe(true);
    await expect(queued.result).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(runner.cancel(a.id)).toBe(true);
    await expect(a.result).rejects.toMatchObject({ code: 'CANCELLED' });
    const cancelledPid = l.pids[0]!;
    expect(sums(await b.result)).toEqual(expected);
    expect(await waitUntil(() => !isAlive(cancelledPid), 5000)).toBe(true);
    expect(isAlive(l.pids[1]!)).toBe(true);
    // The next run gets an engine as usual.
    expect(sums(await runner.start(job).result)).toEqual(expected);
    expect(runner.cancel(a.id)).toBe(false);
  });

  it('fails only the run of an engine that dies, saying how it died, and goes on', async () => {
    const l = countingLauncher();
    const runner = pool(l.launch, { size: 1 });
    const first = runner.start(job);
    process.kill(l.pids[0]!, 'SIGKILL');
    await expect(first.result).rejects.toMatchObject({ code: 'ENGINE_CRASHED', message: expect.stringContaining('killed (SIGKILL)') });
    expect(sums(await runner.start(job).result)).toEqual(expected);
    expect(l.pids).toHaveLength(2);
  });

  it('survives an engine killed in its first moments, before it reads the job (no IPC error escapes)', async () => {
    for (let i = 0; i < 5; i++) {
      const runner = pool(
        () => {
          const child = startEngineChild(entry, 'duckdb');
          child.kill('SIGKILL');
          return nodeChildLink<ToEngine, FromEngine>(child);
        },
        { size: 1 },
      );
      await expect(runner.start(job).result).rejects.toMatchObject({ code: 'ENGINE_CRASHED' });
    }
  });

  it('replaces an engine after its job limit', async () => {
    const l = countingLauncher();
    const runner = pool(l.launch, { size: 1, maxJobsPerEngine: 1 });
    await runner.start(job).result;
    await runner.start(job).result;
    expect(l.pids).toHaveLength(2);
    expect(await waitUntil(() => !isAlive(l.pids[0]!), 5000)).toBe(true);
  });

  it('keeps one engine started before any job when warm, and ends it on close', async () => {
    const l = countingLauncher();
    const runner = pool(l.launch, { size: 2, warm: true });
    expect(l.pids).toHaveLength(1);
    expect(sums(await runner.start(job).result)).toEqual(expected);
    runner.close();
    expect(await waitUntil(() => l.pids.every((p) => !isAlive(p)), 5000)).toBe(true);
  });

  it('ends an engine whose host was killed', async () => {
    // A host process that forks an engine, prints its pid, and waits.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-host-'));
    const host = path.join(dir, 'host.mjs');
    writeFileSync(
      host,
      `import { fork } from 'node:child_process';
const c = fork(${JSON.stringify(entry.path)}, [], { execArgv: ${JSON.stringify(entry.execArgv)}, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
process.stdout.write(String(c.pid) + '\\n');
setInterval(() => {}, 1000);`,
    );
    const parent = spawn(process.execPath, [host], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
    expect(isAlive(pid)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    parent.kill('SIGKILL');
    expect(await waitUntil(() => !isAlive(pid), 5000)).toBe(true);
  });
});

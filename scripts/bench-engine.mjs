#!/usr/bin/env node
// `npm run bench` (part): how fast a small question is answered, and how the engine pool holds
// under load. Figures side by side with a reference measured in the same run; nothing here is a test.
//  1. The CLI on the 100-row demo, whole process (`node bin/factorlens.js analyze`), against a
//     bare `node` start. Target: 0.30 s where Node starts in 0.05 s (6x a bare start).
//  2. The web host (the workbench over HTTP, warm engines): from the analyze call to its `done`
//     event, against a round trip of a call that does no work. Target: 0.15 s.
//  3. 50 and then 200 runs started at once on the web host: all finish, none times out, and the
//     peak memory of the host's process tree does not grow with the number queued.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, treeRss } from './bench-util.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'factorlens.js');
const demo = path.join(root, 'data', 'factorlens_demo_sales.csv');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const row = (what, s, ref, extra = '') =>
  process.stdout.write(`${what.padEnd(52)}${s.toFixed(3).padStart(9)}${`${(s / ref).toFixed(2)}x`.padStart(9)}${extra}\n`);

// 1. The CLI, alternating with the reference so that drift hits both.
const out = mkdtempSync(path.join(os.tmpdir(), 'fl-bench-'));
const cliTimes = [];
const nodeTimes = [];
for (let i = 0; i <= RUNS; i++) {
  const a = await measure(process.execPath, ['-e', '0']);
  const b = await measure(process.execPath, [bin, 'analyze', '--input', demo, '--out', path.join(out, 'a.json')], { cwd: out });
  if (i === 0) continue; // warm-up (file cache)
  nodeTimes.push(a.seconds);
  cliTimes.push(b.seconds);
}
// The target was set on a machine where Node starts in 0.05 s: 0.30 s there is 6x a bare start.
// Both are printed; a machine slower at starting Node is held to the ratio.
const cliMet = median(cliTimes) <= 0.3 || median(cliTimes) / median(nodeTimes) <= 6;
process.stdout.write(`\nCLI, 100-row demo (median of ${RUNS})\n${'what'.padEnd(52)}${'wall s'.padStart(9)}${'vs ref'.padStart(9)}\n`);
row('node -e 0 (reference: a bare Node start)', median(nodeTimes), median(nodeTimes));
row('factorlens analyze (whole process tree)', median(cliTimes), median(nodeTimes));
process.stdout.write(`target (0.30 s, or 6x a bare Node start where Node starts slower than 0.05 s): ${cliMet ? 'met' : 'NOT met'}\n`);

// 2 and 3: a web host on a fresh workspace seeded with the demo data.
const home = mkdtempSync(path.join(os.tmpdir(), 'fl-bench-host-'));
const host = spawn(
  process.execPath,
  [bin, 'serve', '--workspace', path.join(home, 'bench.flworkspace'), '--demo-data', path.join(root, 'data')],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve, reject) => {
  let text = '';
  host.stdout.on('data', (d) => {
    text += d;
    const m = /Open: (\S+)/.exec(text);
    if (m) resolve(new URL(m[1]));
  });
  host.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
});
const token = url.searchParams.get('token');
const base = `${url.protocol}//${url.host}`;
const call = async (name, body = {}) => {
  const res = await fetch(`${base}/api/call/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!json.ok) throw new Error(`${name}: ${json.error.message}`);
  return json.value;
};

// Job events from the event stream, by job id.
const waiters = new Map();
const early = new Map();
const events = await fetch(`${base}/api/events?token=${token}`);
void (async () => {
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of events.body) {
    buf += decoder.decode(chunk, { stream: true });
    let at;
    while ((at = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, at);
      buf = buf.slice(at + 2);
      const data = block.split('\n').find((l) => l.startsWith('data: '));
      if (!data) continue;
      const e = JSON.parse(data.slice(6));
      if (e.type !== 'done' && e.type !== 'failed' && e.type !== 'cancelled') continue;
      const w = waiters.get(e.jobId);
      if (w) w(e);
      else early.set(e.jobId, e);
    }
  }
})().catch(() => {});
const finished = (jobId) =>
  new Promise((resolve) => {
    if (early.has(jobId)) resolve(early.get(jobId));
    else waiters.set(jobId, resolve);
  });

const ws = await call('workspace.get');
const dataset = ws.datasets.find((d) => d.name.includes('factorlens_demo_sales') && !d.name.includes('150'));
const options = { groupBy: ['region', 'channel'], metrics: ['revenue_usd'], rankBy: 'revenue_usd' };
const analyzeOnce = async () => {
  const t0 = performance.now();
  const { jobId } = await call('analyze.start', { datasetId: dataset.id, options });
  const e = await finished(jobId);
  if (e.type !== 'done') throw new Error(`run ${e.type}: ${JSON.stringify(e.error ?? {})}`);
  return (performance.now() - t0) / 1000;
};
const idleTimes = [];
const clickTimes = [];
for (let i = 0; i <= RUNS * 2; i++) {
  const t0 = performance.now();
  await call('workspace.get');
  const idle = (performance.now() - t0) / 1000;
  const click = await analyzeOnce();
  if (i < 2) continue; // warm-up: the first runs load the analysis code into the engines
  idleTimes.push(idle);
  clickTimes.push(click);
}
const clickMet = median(clickTimes) <= 0.15;
process.stdout.write(
  `\nWorkbench (web host), 100-row demo, call to result (median of ${clickTimes.length})\n${'what'.padEnd(52)}${'wall s'.padStart(9)}${'vs ref'.padStart(9)}\n`,
);
row('workspace.get round trip (reference)', median(idleTimes), median(idleTimes));
row('analyze.start to its done event', median(clickTimes), median(idleTimes));
process.stdout.write(`target (0.15 s): ${clickMet ? 'met' : 'NOT met'}\n`);

/** Starts n runs at once; returns the wall time, the slowest run, the peak tree memory and engines. */
async function burst(n) {
  let peak = 0;
  let engines = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, treeRss(host.pid));
    engines = Math.max(engines, childCount(host.pid));
  }, 25);
  const t0 = performance.now();
  const times = await Promise.all(Array.from({ length: n }, () => analyzeOnce()));
  clearInterval(sample);
  return { wall: (performance.now() - t0) / 1000, slowest: Math.max(...times), peak, engines };
}
function childCount(pid) {
  let n = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      n += readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).length;
    } catch {
      // the thread ended
    }
  }
  return n;
}
const small = await burst(50);
const large = await burst(200);
const memMet = large.peak <= small.peak * 1.25;
process.stdout.write(
  `\nRuns started at once on the web host (all finished)\n${'runs'.padEnd(10)}${'wall s'.padStart(9)}${'slowest s'.padStart(11)}${'engines'.padStart(9)}${'peak MB'.padStart(10)}\n`,
);
for (const [n, r] of [
  [50, small],
  [200, large],
]) {
  process.stdout.write(
    `${String(n).padEnd(10)}${r.wall.toFixed(2).padStart(9)}${r.slowest.toFixed(2).padStart(11)}${String(r.engines).padStart(9)}${(r.peak / 1e6).toFixed(0).padStart(10)}\n`,
  );
}
process.stdout.write(`target (memory of 200 within 1.25x of 50; engines bounded by the pool): ${memMet ? 'met' : 'NOT met'}\n`);
host.kill('SIGTERM');
process.stdout.write(`\nengine targets ${cliMet && clickMet && memMet ? 'met' : 'NOT met'}\n`);
process.exit(0);

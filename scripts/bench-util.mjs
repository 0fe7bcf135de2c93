// Shared by the bench scripts: a seeded PRNG, timing and the memory of a process tree (Linux /proc).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Child pids of a process, from /proc/<pid>/task/<tid>/children (cheap: no scan of /proc). */
function childPids(pid) {
  const out = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (text) out.push(...text.split(/\s+/).map(Number));
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    // the process ended meanwhile
  }
  return out;
}

/** Resident memory of a process and all its descendants (Linux /proc), in bytes. */
export function treeRss(rootPid) {
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {
      // ended
    }
    stack.push(...childPids(pid));
  }
  return total;
}

/** A small seeded PRNG (mulberry32), so every machine benchmarks the same generated file. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs a command once: wall seconds, the peak memory of its whole process tree (sampled every
 * 25 ms) and what it printed. A failed run is an error with its output.
 */
export function measure(cmd, args, { cwd = process.cwd(), env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let peak = 0;
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 25);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${out}`));
      else resolve({ seconds, peak, out });
    });
  });
}

/** The best (lowest) time of `runs` runs, and the highest peak memory of them. */
export async function best(runs, cmd, args, options) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await measure(cmd, args, options));
  return { seconds: Math.min(...all.map((r) => r.seconds)), peak: Math.max(...all.map((r) => r.peak)), out: all.at(-1).out };
}

/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Two commands in turn, A B A B … (`runs` pairs, after one unmeasured warm-up of each), so that a
 * shared machine's drift hits both alike: each side's median wall seconds and highest peak memory
 * (whole process tree), and the median of the pairwise ratios A/B, the figure to quote.
 */
export async function sideBySide(runs, a, b) {
  await measure(a.cmd, a.args, a.options);
  await measure(b.cmd, b.args, b.options);
  const pairs = [];
  for (let i = 0; i < runs; i++) pairs.push([await measure(a.cmd, a.args, a.options), await measure(b.cmd, b.args, b.options)]);
  const side = (k) => ({
    seconds: median(pairs.map((p) => p[k].seconds)),
    peak: Math.max(...pairs.map((p) => p[k].peak)),
    out: pairs.at(-1)[k].out,
  });
  return {
    a: side(0),
    b: side(1),
    ratio: median(pairs.map(([x, y]) => x.seconds / y.seconds)),
    ratios: pairs.map(([x, y]) => x.seconds / y.seconds),
  };
}

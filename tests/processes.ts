import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Helpers for tests about process lifetimes (Linux /proc). */

/** The pids of a process's children. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const file = `/proc/${pid}/task/${task}/children`;
    if (existsSync(file)) out.push(...readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` every 50 ms until it holds or `ms` pass; says whether it held. */
export async function waitUntil(check: () => boolean, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until;) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

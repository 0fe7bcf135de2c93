// Shared by the bench scripts: memory of a process tree on Linux.
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


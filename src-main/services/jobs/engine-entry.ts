import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the engine process starts from. Node built-ins only: the CLI loads this first thing. */
export interface WorkerEntry {
  path: string;
  execArgv: string[];
}

/**
 * The engine entry next to a host entry: `engine.js` beside a built entry, or the TypeScript
 * source run through tsx when the host itself runs from source (tests, development).
 */
export function engineEntryBeside(entryUrl: string): WorkerEntry {
  const here = fileURLToPath(entryUrl);
  const dir = path.dirname(here);
  for (const candidate of [path.join(dir, 'engine.js'), path.join(dir, '..', 'engine.js')]) {
    if (existsSync(candidate)) return { path: candidate, execArgv: [] };
  }
  let root = dir;
  while (!existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) root = path.dirname(root);
  return { path: path.join(root, 'src-main', 'engine', 'worker.ts'), execArgv: ['--import', 'tsx'] };
}

export function startEngineChild(entry: WorkerEntry): ChildProcess {
  return fork(entry.path, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
}

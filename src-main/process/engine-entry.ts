import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the engine process starts from. Node built-ins only: the CLI loads this first thing. */
export interface WorkerEntry {
  path: string;
  execArgv: string[];
}

/** The helper processes and their sources: the analysis engine and the local language model. */
const WORKERS = {
  engine: ['src-main', 'process', 'engine-worker.ts'],
  model: ['src-main', 'explain', 'local', 'model-worker.ts'],
} as const;

/**
 * A helper process entry next to a host entry: `engine.js` (or `model.js`) beside a built entry,
 * or the TypeScript source run through tsx when the host itself runs from source (tests,
 * development).
 */
export function workerEntryBeside(entryUrl: string, worker: keyof typeof WORKERS): WorkerEntry {
  const here = fileURLToPath(entryUrl);
  const dir = path.dirname(here);
  for (const candidate of [path.join(dir, `${worker}.js`), path.join(dir, '..', `${worker}.js`)]) {
    if (existsSync(candidate)) return { path: candidate, execArgv: [] };
  }
  let root = dir;
  while (!existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) root = path.dirname(root);
  return { path: path.join(root, ...WORKERS[worker]), execArgv: ['--import', 'tsx'] };
}

export const engineEntryBeside = (entryUrl: string): WorkerEntry => workerEntryBeside(entryUrl, 'engine');

/** Where a helper process's stdout goes: this process's stdout, or its stderr (file descriptor 2). */
let workerStdout: 'inherit' | 2 = 'inherit';

/**
 * Sends whatever helper processes print to stdout to this process's stderr instead: the MCP
 * server over stdio owns stdout for its protocol, where one stray line would break the session.
 */
export function keepStdoutForProtocol(): void {
  workerStdout = 2;
}

/** Forks a helper process entry as a Node child with an IPC channel. */
export function forkWorker(entry: WorkerEntry, env: NodeJS.ProcessEnv = process.env, stderr: 'inherit' | 'pipe' = 'inherit'): ChildProcess {
  return fork(entry.path, [], { execArgv: entry.execArgv, stdio: ['ignore', workerStdout, stderr, 'ipc'], serialization: 'advanced', env });
}

/**
 * Forks the engine. `preload` names the database driver the coming job will need, so that the
 * engine loads it while it waits for the job (the CLI knows it from its flags).
 */
export function startEngineChild(entry: WorkerEntry, preload: 'duckdb' | 'pg' | null = null): ChildProcess {
  return forkWorker(entry, preload ? { ...process.env, FACTORLENS_ENGINE_PRELOAD: preload } : process.env);
}

import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromEngine, ToEngine } from '../../engine/jobs';

/** A running engine process, whatever started it (Electron utilityProcess or Node fork). */
export interface EngineProcess {
  send(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type EngineLauncher = () => EngineProcess;

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

/** Starts the engine as a forked Node child (CLI, web host, tests). */
export function nodeEngineLauncher(entry: WorkerEntry): EngineLauncher {
  return () => {
    const child = fork(entry.path, [], { execArgv: entry.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    return {
      send: (m) => child.send(m),
      onMessage: (l) => child.on('message', (m) => l(m as FromEngine)),
      onExit: (l) => child.on('exit', (code) => l(code)),
      kill: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      },
    };
  };
}

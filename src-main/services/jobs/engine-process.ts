import type { ChildProcess } from 'node:child_process';
import { startEngineChild, type WorkerEntry } from './engine-entry';
import type { FromEngine, ToEngine } from '../../engine/jobs';

/** A running engine process, whatever started it (Electron utilityProcess or Node fork). */
export interface EngineProcess {
  send(message: ToEngine): void;
  onMessage(listener: (message: FromEngine) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export type EngineLauncher = () => EngineProcess;

export { engineEntryBeside, startEngineChild, type WorkerEntry } from './engine-entry';

/**
 * Starts the engine as a forked Node child (CLI, web host, tests). `prestarted` may hand over a
 * child that was forked earlier (the CLI starts one while it is still loading).
 */
export function nodeEngineLauncher(entry: WorkerEntry, prestarted: () => ChildProcess | null = () => null): EngineLauncher {
  return () => {
    const child = prestarted() ?? startEngineChild(entry);
    return {
      send: (m) => child.send(m),
      onMessage: (l) => child.on('message', (m) => l(m as FromEngine)),
      onExit: (l) => child.on('exit', (code) => l(code)),
      // SIGTERM lets the engine cancel a statement running on a database server first; one that
      // does not end within 5 s is killed.
      kill: () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }, 5000);
        timer.unref();
        child.once('exit', () => clearTimeout(timer));
      },
    };
  };
}

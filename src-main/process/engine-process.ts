import type { ChildProcess } from 'node:child_process';
import { startEngineChild, type WorkerEntry } from './engine-entry';
import type { ToEngine } from '../engine/jobs';

/** A running helper process, whatever started it (Electron utilityProcess or Node fork). */
export interface ChildLink<To, From> {
  send(message: To): void;
  onMessage(listener: (message: From) => void): void;
  /** Once, when the process has ended: its exit code, or the signal that ended it. */
  onExit(listener: (code: number | null, signal?: string | null) => void): void;
  kill(): void;
}

/** A running engine process. What it sends is read as unknown: the pool parses it (engine-messages.ts). */
export type EngineProcess = ChildLink<ToEngine, unknown>;
export type EngineLauncher = () => EngineProcess;

export { engineEntryBeside, forkWorker, startEngineChild, workerEntryBeside, type WorkerEntry } from './engine-entry';

/**
 * Wraps a forked Node child. Ending it sends SIGTERM, which lets the engine cancel a statement
 * running on a database server first; a child that does not end within 5 s is killed.
 */
export function nodeChildLink<To, From>(child: ChildProcess): ChildLink<To, From> {
  // A child that dies while a message is on its way makes send() fail with ERR_IPC_CHANNEL_CLOSED;
  // its exit is reported through onExit, so the failed send itself is not an error of the host.
  child.on('error', () => {});
  return {
    send: (m) => {
      if (child.connected) child.send(m as object, () => {});
    },
    onMessage: (l) => child.on('message', (m) => l(m as From)),
    onExit: (l) => child.once('exit', (code, signal) => l(code, signal)),
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // The host need not wait for it: an engine whose host has gone ends itself (see worker.ts).
      child.unref();
      child.channel?.unref();
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, 5000);
      timer.unref();
      child.once('exit', () => clearTimeout(timer));
    },
  };
}

/**
 * Starts the engine as a forked Node child (CLI, web host, tests). `prestarted` may hand over a
 * child that was forked earlier (the CLI starts one while it is still loading).
 */
export function nodeEngineLauncher(entry: WorkerEntry, prestarted: () => ChildProcess | null = () => null): EngineLauncher {
  return () => nodeChildLink<ToEngine, unknown>(prestarted() ?? startEngineChild(entry, 'duckdb'));
}

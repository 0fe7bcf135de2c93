/**
 * Commands that run in the engine process fork it first thing, so that the engine loads its scan
 * engine while this process is still loading the CLI: the two start-ups overlap instead of adding
 * up. Imported before anything else by the CLI entry. A child nobody adopts is ended at exit.
 */
import type { ChildProcess } from 'node:child_process';
import { engineEntryBeside, startEngineChild } from '../../process/engine-entry';

const ENGINE_COMMANDS = new Set([
  'analyze',
  'analyze-period',
  'analyze-suggest',
  'analyze-drivers',
  'analyze-investigate',
  'investigate',
  'factors',
]);
const args = process.argv.slice(2);
let child: ChildProcess | null = null;

if (ENGINE_COMMANDS.has(args[0] ?? '') && !args.includes('--help') && !args.includes('-h')) {
  const postgres = ['--postgres-url', '--query', '--query-file'].some((f) => args.some((a) => a === f || a.startsWith(`${f}=`)));
  child = startEngineChild(engineEntryBeside(import.meta.url), postgres ? 'pg' : 'duckdb');
  // Until a job adopts it, the child must not keep this process alive (e.g. after a flag error).
  child.unref();
  child.channel?.unref();
  process.once('exit', () => child?.kill('SIGKILL'));
}

/** The early child, once; null when there is none (any later job forks its own). */
export function takePrestartedEngine(): ChildProcess | null {
  const c = child;
  child = null;
  if (c) {
    c.ref();
    c.channel?.ref();
  }
  return c;
}

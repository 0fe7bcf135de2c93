import { utilityProcess } from 'electron';
import type { ChildLink, EngineLauncher } from '../process/engine-process';
import type { FromEngine, ToEngine } from '../engine/jobs';

/** A helper process in an Electron utility process: a crash or a cancel never touches the window. */
export function electronChild<To, From>(entryPath: string, serviceName: string, env: NodeJS.ProcessEnv = process.env): ChildLink<To, From> {
  const child = utilityProcess.fork(entryPath, [], { serviceName, stdio: 'inherit', env });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  return {
    send: (m) => child.postMessage(m),
    onMessage: (l) => child.on('message', (m: unknown) => l(m as From)),
    onExit: (l) => child.on('exit', (code) => l(code)),
    kill: () => {
      if (!exited) child.kill();
    },
  };
}

/** An engine utility process (the pool keeps them warm), loading DuckDB before its first job. */
export function electronEngineLauncher(enginePath: string): EngineLauncher {
  return () =>
    electronChild<ToEngine, FromEngine>(enginePath, 'FactorLens engine', { ...process.env, FACTORLENS_ENGINE_PRELOAD: 'duckdb' });
}

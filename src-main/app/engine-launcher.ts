import { utilityProcess } from 'electron';
import type { EngineLauncher } from '../services/jobs/engine-process';
import type { FromEngine } from '../engine/jobs';

/** The engine in an Electron utility process: a crash or a cancel never touches the window. */
export function electronEngineLauncher(enginePath: string): EngineLauncher {
  return () => {
    const child = utilityProcess.fork(enginePath, [], { serviceName: 'FactorLens engine', stdio: 'inherit' });
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    return {
      send: (m) => child.postMessage(m),
      onMessage: (l) => child.on('message', (m: unknown) => l(m as FromEngine)),
      onExit: (l) => child.on('exit', (code) => l(code)),
      kill: () => {
        if (!exited) child.kill();
      },
    };
  };
}

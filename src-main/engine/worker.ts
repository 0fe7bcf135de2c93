/**
 * Entry of the engine process: Electron's utilityProcess in the desktop app, a forked Node child
 * in the CLI and the web host. It runs one job and reports progress; the host cancels a job by
 * ending the process, so a runaway scan can never hold the UI.
 */
import { toErrorInfo } from '../../src-shared/errors';
import { runAnalyze } from './analyze/run';
import { runSuggest } from './suggest/run';
import { runDrivers } from './drivers/run';
import { runInvestigate } from './investigate/run';
import { runFit } from './factors/fit';
import { runRegress } from './factors/run-regress';
import type { FromEngine, ToEngine } from './jobs';
import { cancelActivePgQuery } from '../services/sources/postgres';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: FromEngine): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

async function handle(message: ToEngine): Promise<void> {
  if (message?.type !== 'run') return;
  try {
    const { job } = message;
    let last = -1;
    const progress = (fraction: number, stage: string) => {
      // At most one progress message per percent.
      const pct = Math.floor(fraction * 100);
      if (pct !== last) {
        last = pct;
        send({ type: 'progress', fraction, stage });
      }
    };
    progress(0, 'Starting');
    const artifact =
      job.kind === 'analyze'
        ? await runAnalyze(job.request, progress, job.inputLabel)
        : job.kind === 'suggest'
          ? await runSuggest(job.source ?? job.file, job.options, job.inputLabel)
          : job.kind === 'drivers'
            ? await runDrivers(job.request)
            : job.kind === 'investigate'
              ? await runInvestigate(job.request)
              : job.kind === 'factors'
                ? await runFit(job.request, progress)
                : await runRegress(job.request, progress);
    send({ type: 'done', artifact });
  } catch (err) {
    send({ type: 'failed', error: toErrorInfo(err) });
  }
}

// Ending the engine ends its job; a statement running on a Postgres server is cancelled there
// first (at most a few seconds), so that cancelling in the UI or Ctrl-C in the CLI stops it too.
let ending = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (ending) return;
    ending = true;
    const timer = new Promise((resolve) => setTimeout(resolve, 3000));
    void Promise.race([cancelActivePgQuery(), timer]).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

if (parentPort) parentPort.on('message', (e) => void handle(e.data as ToEngine));
else process.on('message', (m) => void handle(m as ToEngine));

/**
 * Entry of the engine process: Electron's utilityProcess in the desktop app, a forked Node child
 * in the CLI and the web host. It stays warm between jobs (DuckDB loaded, its instance open) and
 * runs one job at a time, reporting progress; the host cancels a job by ending the process, so a
 * runaway scan can never hold the UI, and starts a fresh engine in its place.
 */
import { onParentGone, onParentMessage, toParent } from './parent-port';
import { toErrorInfo } from '../../src-shared/errors';
import type { FromEngine } from '../engine/jobs';
import { cancelActivePgQuery } from '../sources/postgres';
import { warmUpDuckdb } from '../sources/duckdb';

function send(message: FromEngine): void {
  toParent(message);
}

// The schemas (zod) load once the engine is listening, not before: the first job rarely waits for them.
const messages = import('./engine-messages');

async function handle(raw: unknown): Promise<void> {
  const { firstIssue, ToEngineSchema, unreadableMessage } = await messages;
  const parsed = ToEngineSchema.safeParse(raw);
  if (!parsed.success) {
    // The host waits for an answer to whatever it sent: a job this engine cannot read fails.
    send({ type: 'failed', error: unreadableMessage('the host', firstIssue(parsed.error)).toInfo(), rss: process.memoryUsage.rss() });
    return;
  }
  try {
    const { job } = parsed.data;
    let last = { pct: -1, stage: '', at: 0 };
    const progress = (fraction: number, stage: string, rowsRead?: number) => {
      // At most one message per percent (or per stage); rows read, at most five a second.
      const pct = Math.floor(fraction * 100);
      const now = Date.now();
      const news = pct !== last.pct || stage !== last.stage || (rowsRead !== undefined && now - last.at >= 200);
      if (!news) return;
      last = { pct, stage, at: now };
      send({ type: 'progress', fraction, stage, ...(rowsRead !== undefined ? { rowsRead } : {}) });
    };
    progress(0, 'Starting');
    // Each analysis is loaded when its first job arrives, so the engine is ready sooner and loads only what it runs.
    const artifact =
      job.kind === 'analyze'
        ? await (await import('../engine/analyze/run')).runAnalyze(job.request, progress, job.inputLabel)
        : job.kind === 'suggest'
          ? await (await import('../engine/suggest/run')).runSuggest(job.source ?? job.file, job.options, job.inputLabel)
          : job.kind === 'drivers'
            ? await (await import('../engine/drivers/where-it-changed')).runWhyItChanged(job.request, progress)
            : job.kind === 'investigate'
              ? await (await import('../engine/investigate/run')).runInvestigate(job.request)
              : job.kind === 'segments'
                ? await (await import('../engine/segments/run')).runSegments(job.request, progress)
                : job.kind === 'investigation_cube'
                  ? await (await import('../engine/investigation/build-cube')).buildPackedInvestigationCube(job.request, progress)
                  : job.kind === 'factors'
                    ? await (await import('../engine/factors/fit')).runFit(job.request, progress)
                    : await (await import('../engine/factors/run-regress')).runRegress(job.request, progress);
    send({ type: 'done', artifact, rss: process.memoryUsage.rss() });
  } catch (err) {
    send({ type: 'failed', error: toErrorInfo(err), rss: process.memoryUsage.rss() });
  }
}

// The driver the host expects the jobs to need is loaded while the engine waits for its first job.
const preload = process.env.FACTORLENS_ENGINE_PRELOAD;
if (preload === 'pg') void import('pg').catch(() => {});
else if (preload === 'duckdb')
  void warmUpDuckdb()
    .then(() => import('../engine/analyze/run'))
    .catch(() => {});

// Ending the engine ends its job; a statement running on a Postgres server is cancelled there
// first (at most a few seconds), so that cancelling in the UI, Ctrl-C in the CLI, or a host that
// dies stops it too.
let ending = false;
function end(code: number): void {
  if (ending) return;
  ending = true;
  const timer = new Promise((resolve) => setTimeout(resolve, 3000).unref());
  void Promise.race([cancelActivePgQuery(), timer]).finally(() => process.exit(code));
}
process.on('SIGTERM', () => end(143));
process.on('SIGINT', () => end(130));
process.on('SIGHUP', () => end(129));
onParentGone(() => end(0));

onParentMessage((m) => void handle(m));

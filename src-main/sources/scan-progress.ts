import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * The progress of one scan query, as the engine that runs it can tell it: DuckDB estimates the
 * fraction of its input read; a Postgres query tells only the rows it has sent back so far (the
 * server does not say how many it will send).
 */
export type ScanProgress = { fraction: number } | { rowsRead: number };
export type OnScanProgress = (progress: ScanProgress) => void;

/**
 * DuckDB tracks a query's progress only with its progress bar on (off by default outside its
 * shell), and would then print the bar itself: the tracking is turned on, the printing off.
 * Both settings belong to the connection.
 */
export const DUCKDB_PROGRESS_SETTINGS = 'SET enable_progress_bar = true; SET enable_progress_bar_print = false';

/**
 * Runs a DuckDB query while asking the connection for its progress every `everyMs` (the query
 * runs off the JavaScript thread, so the timer fires meanwhile). DuckDB says -1 until it has an
 * estimate; a lower estimate than one already reported is not passed on, so the bar never goes back.
 */
export async function withDuckdbProgress<T>(
  conn: DuckDBConnection,
  work: () => Promise<T>,
  onProgress: OnScanProgress,
  everyMs = 150,
): Promise<T> {
  let best = -1;
  const timer = setInterval(() => {
    const percentage = conn.progress.percentage;
    if (!(percentage > best)) return;
    best = percentage;
    onProgress({ fraction: Math.min(1, percentage / 100) });
  }, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** A run-level report: a fraction of the whole run, the stage's name, and rows read when the fraction is not known. */
export type RunProgressReport = (fraction: number, stage: string, rowsRead?: number) => void;

/**
 * A scan's progress as part of a run's: its fraction spread over [from, to] of the run; rows read
 * (no fraction known) reported at `from` with the count.
 */
export function stageProgress(report: RunProgressReport, from: number, to: number, stage: string): OnScanProgress {
  return (p) => {
    if ('fraction' in p) report(from + (to - from) * p.fraction, stage);
    else report(from, stage, p.rowsRead);
  };
}

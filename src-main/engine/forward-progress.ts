import type { RunProgressReport } from '../sources/scan-progress';

/**
 * A run's reports with its fraction never going back: a run that does part of its work again
 * (a scan read again in another day/month order, a drivers run that falls back to where it
 * changed) keeps its bar where it was until the new work passes it.
 */
export function forwardOnly(report: RunProgressReport): RunProgressReport {
  let furthest = 0;
  return (fraction, stage, rowsRead) => {
    furthest = Math.max(furthest, fraction);
    report(furthest, stage, rowsRead);
  };
}

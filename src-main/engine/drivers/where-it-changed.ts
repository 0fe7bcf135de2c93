import { SegmentsOptionsSchema, type SegmentsOptions } from '../../../src-shared/analysis-options';
import type { RunProgressReport } from '../../sources/scan-progress';
import { forwardOnly } from '../forward-progress';
import { runSegments } from '../segments/run';
import type { DriversArtifact } from '../../../src-shared/artifacts/drivers';
import { NoIdentityFits } from './identity';
import { runDrivers, type DriversRequest } from './run';

/**
 * "Why it changed" never ends at an error: when no formula of the metric fits its columns (or the
 * analyst sets the identity to "none"), the drivers run answers with where the metric changed,
 * the segment analysis of the same table, periods or files, with one sentence that says why.
 */

/**
 * The drivers job: the split by the metric's identity, or, when no identity fits (or the identity
 * is "none"), where the metric changed. A segments run that fails too reports the identity's error.
 */
export async function runWhyItChanged(
  req: DriversRequest,
  onProgress: RunProgressReport = () => {},
): Promise<DriversArtifact | WhereItChanged> {
  // The fallback starts its own stages where the drivers run stopped, never further back.
  const report = forwardOnly(onProgress);
  if (asksForSegments(req.identity)) return whereItChanged(req, chosenReason(req.metric), report);
  try {
    return await runDrivers(req, report);
  } catch (err) {
    if (!(err instanceof NoIdentityFits)) throw err;
    let fallback: WhereItChanged;
    try {
      fallback = await whereItChanged(req, noFormulaReason(err), report);
    } catch {
      throw err;
    }
    return fallback;
  }
}

/** The identity "none": the analyst asks for where the metric changed rather than a formula's split. */
export function asksForSegments(identity: string | null): boolean {
  return identity !== null && identity.trim().toLowerCase() === 'none';
}

/** The segment analysis's options for a drivers request: the same metric (summed) and comparison, the table's own dimensions. */
export function segmentsOptionsFor(req: Pick<DriversRequest, 'metric' | 'period'>): SegmentsOptions {
  return SegmentsOptionsSchema.parse({
    metric: req.metric,
    dateColumn: req.period?.dateColumn ?? null,
    windows: req.period?.windows ?? null,
  });
}

/** The segments result (its artifact, and the cube when the request keeps it), with the reason it answers. */
export type WhereItChanged = Awaited<ReturnType<typeof runSegments>>;

export async function whereItChanged(req: DriversRequest, reason: string, onProgress?: RunProgressReport): Promise<WhereItChanged> {
  const result = await runSegments(
    {
      input: req.labels?.input ?? req.input,
      source: req.source ?? null,
      inputNew: req.inputNew,
      options: segmentsOptionsFor(req),
      keepCube: req.keepCube ?? false,
    },
    onProgress,
  );
  return { ...result, fallback_reason: reason };
}

/** How far a fit misses, as a percent an analyst reads (99%, 18%, 2.5%). */
function missText(mape: number): string {
  const pct = mape * 100;
  return `${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

export function noFormulaReason(err: NoIdentityFits): string {
  const why = err.best
    ? `the best, ${err.best.expression}, misses by ${missText(err.best.fit_mape)}`
    : 'it has no two other numeric columns to combine, or too few rows to measure a fit';
  return `No formula of ${err.metric} fits its columns (${why}), so this shows where it changed instead.`;
}

export function chosenReason(metric: string): string {
  return `The identity was set to none, so this shows where ${metric} changed instead of splitting it by a formula.`;
}

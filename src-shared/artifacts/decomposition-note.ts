import { formatSigned } from '../format';
import type { DriversArtifact } from './drivers';
import type { InvestigateArtifact } from './investigate';

/**
 * Drivers and Investigate can tell two stories about the same change. These sentences, built from
 * each artifact alone, say which split is exact (an identity of the columns) and what the other
 * estimates (a regression), so a reader knows which numbers add up and which are fitted.
 */

const percent = (fraction: number) => `${(fraction * 100).toFixed(fraction * 100 >= 10 ? 0 : 1)}%`;

/** Whether a drivers run's split is exact: every method on a sum, LMDI and Shapley on a product (the seed's log shares are not). */
export function driversSplitIsExact(a: DriversArtifact): boolean {
  return a.identity.op === 'sum' || a.method !== 'seed';
}

export function driversExactness(a: DriversArtifact): string {
  const { expression, fit_mape: mape, fit_rows: rows } = a.identity;
  if (!driversSplitIsExact(a))
    return `This split is approximate: the seed method applies ${expression} to each period's totals and shares the change by log ratios; LMDI or Shapley split it exactly.`;
  const fit = !Number.isFinite(mape)
    ? ''
    : mape === 0
      ? ` (it holds on each of the ${rows} rows it prices)`
      : ` (it misses ${a.metric} by ${percent(mape)} per row on average, over ${rows} rows)`;
  return `This split is exact: ${expression} is an identity of the columns${fit}, so the drivers' contributions add up to its change and the residual (${formatSigned(a.residual.residual_amount)}) is what it leaves out; a regression (Investigate) estimates effects instead, so its numbers can differ.`;
}

export function investigateEstimate(a: InvestigateArtifact): string {
  const r = a.regression;
  if (a.decomposition_mode === 'regression' && r)
    return `These effects are regression estimates (R² ${r.r_squared.toFixed(2)} over ${r.rows} rows): each is a fitted coefficient times its driver's change, not an identity of the columns; when ${a.metric} is a product or sum of its columns, Drivers splits it exactly.`;
  return `These contributions are a heuristic (each driver's own change, neither fitted nor an identity of the columns); when ${a.metric} is a product or sum of its columns, Drivers splits it exactly.`;
}

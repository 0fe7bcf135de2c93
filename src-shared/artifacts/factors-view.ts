import { factorKeys, type FactorsArtifact, type RegressionArtifact } from './factors';

/**
 * What the reports and the UI show of the factor artifacts, computed once: per-factor rows, the
 * cumulative contributions over time, the coefficient table, the fitted-versus-actual series.
 */
export interface FactorRow {
  key: string;
  label: string;
  explained: number;
  eigenvalue: number;
  exposure: number;
  exposure_standardized: number;
  risk_share: number;
  /** Sum of the factor's daily contributions over the sample (log-return units). */
  cumulative: number;
}

export function factorRows(a: FactorsArtifact): FactorRow[] {
  const cum = cumulativeContributions(a);
  return factorKeys(a.model.k).map((key, f) => ({
    key,
    label: a.factor_labels[f] ?? key,
    explained: a.model.explained_variance_ratio[f]!,
    eigenvalue: a.model.eigenvalues[f]!,
    exposure: a.exposures[f]!,
    exposure_standardized: a.exposures_standardized[f]!,
    risk_share: a.risk.factor_share[f]!,
    cumulative: cum.factors[f]!.at(-1) ?? 0,
  }));
}

/** Running sums of each factor's contribution, of the residual and of the portfolio's log return. */
export function cumulativeContributions(a: FactorsArtifact): { dates: string[]; factors: number[][]; residual: number[]; portfolio: number[] } {
  const k = a.model.k;
  const factors = Array.from({ length: k }, () => [] as number[]);
  const residual: number[] = [];
  const portfolio: number[] = [];
  const run = new Array<number>(k + 2).fill(0);
  for (const day of a.attribution) {
    for (let f = 0; f < k; f++) factors[f]!.push((run[f] = run[f]! + day.contributions[f]!));
    residual.push((run[k] = run[k]! + day.residual));
    portfolio.push((run[k + 1] = run[k + 1]! + day.portfolio_return));
  }
  return { dates: a.attribution.map((d) => d.date), factors, residual, portfolio };
}

/** The tickers that weigh most in the loadings (by the largest |loading| over the factors), at most `limit`. */
export function topLoadingTickers(a: FactorsArtifact, limit: number): number[] {
  return a.model.tickers
    .map((t, i) => ({ t, i, m: Math.max(...a.model.loadings[i]!.map(Math.abs)) }))
    .sort((x, y) => y.m - x.m || (x.t < y.t ? -1 : 1))
    .slice(0, limit)
    .map((x) => x.i)
    .sort((x, y) => x - y);
}

export interface CoefficientRow {
  term: string;
  estimate: number;
  std_error: number;
  t: number;
  p: number;
}

export function coefficientRows(a: RegressionArtifact): CoefficientRow[] {
  return ['alpha', ...Object.keys(a.betas)].map((term) => ({
    term,
    estimate: term === 'alpha' ? a.alpha : a.betas[term]!,
    std_error: a.std_errors[term]!,
    t: a.t_stats[term]!,
    p: a.p_values[term]!,
  }));
}

/** Cumulative actual and fitted portfolio log returns (daily returns are too noisy to read as lines). */
export function fittedVersusActual(a: RegressionArtifact): { dates: string[]; actual: number[]; fitted: number[] } {
  let [sa, sf] = [0, 0];
  return {
    dates: a.residuals.map((r) => r.date),
    actual: a.residuals.map((r) => (sa += r.portfolio_return)),
    fitted: a.residuals.map((r) => (sf += r.fitted_return)),
  };
}

export function standardErrorText(a: RegressionArtifact): string {
  return a.std_error_method === 'newey-west' ? `Newey-West, ${a.newey_west_lags} lag${a.newey_west_lags === 1 ? '' : 's'}` : 'classical OLS';
}

/** "p < 0.001" style for people. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/**
 * The artifacts of the factor commands. `factors fit` keeps the seed's factors.json keys (model,
 * top_outliers) and adds the rest; `factors regress` keeps the seed's regression.json keys.
 * (ours) marks additions.
 */
import type { Frequency } from './frequency';

export const FACTORS_SCHEMA = 'factorlens.factors/1' as const;
export const REGRESSION_SCHEMA = 'factorlens.regression/1' as const;

export const FACTOR_BASES = ['correlation', 'covariance'] as const;
export type FactorBasis = (typeof FACTOR_BASES)[number];
export const MISSING_RULES = ['common', 'pairwise'] as const;
export type MissingRule = (typeof MISSING_RULES)[number];

/** Where the portfolio weights came from. */
export interface WeightsSource {
  kind: 'equal' | 'portfolio' | 'holdings';
  path: string | null;
}

export interface FactorsArtifact {
  schema: typeof FACTORS_SCHEMA;
  kind: 'factors';
  /** (ours) The prices file. */
  input: string;
  weights_source: WeightsSource;
  options: { k: number; k_auto: boolean; basis: FactorBasis; missing: MissingRule; include_weekends: boolean };
  model: {
    dates: string[];
    tickers: string[];
    k: number;
    /** (ours) How k was chosen. */
    k_rule: string;
    basis: FactorBasis;
    /** (ours) How often the prices are sampled (median gap between dates); unset in older runs: daily. */
    frequency?: Frequency;
    explained_variance_ratio: number[];
    eigenvalues: number[];
    factor_returns: number[][];
    loadings: number[][];
    /**
     * The seed's T x assets matrix; left out of runs stored in a workspace (it can be large).
     * Float64Array rows as the engine hands them over (cheap between processes), number arrays
     * when read back from factors.json.
     */
    standardized_returns?: number[][] | Float64Array[];
  };
  /** (ours) One name per factor: generated from the loadings, or given in a labels file or the UI. */
  factor_labels: string[];
  /** (ours) How many dates the model kept, and why others were left out. */
  sample: { dates_with_any_return: number; dates_kept: number; dates_dropped: number; missing: MissingRule; note: string };
  /** (ours) What the reading of the inputs left out or assumed (weekend rows dropped, tickers with short histories, the dates' day/month order). */
  warnings?: string[];
  weights: Record<string, number>;
  /** (ours) Exposures in return units (log returns per unit of factor), and the seed's standardised ones. */
  exposures: number[];
  exposures_standardized: number[];
  /**
   * (ours) Per day, in log-return units: each factor's contribution (its exposure times the
   * factor's return on that day's raw returns) and the residual; contributions + residual = the
   * portfolio's log return, so summed over days they split the period's return.
   */
  attribution: { date: string; contributions: number[]; total_factor: number; portfolio_return: number; residual: number }[];
  /** (ours) The portfolio's mean daily log return over the sample. */
  mean_return: number;
  top_outliers: { date: string; residual: number; abs_residual: number }[];
  /** (ours) Each factor's share of the portfolio's return variance; the rest is specific risk. */
  risk: { factor_share: number[]; specific_share: number; portfolio_variance: number };
}

export interface RegressionArtifact {
  schema: typeof REGRESSION_SCHEMA;
  kind: 'regression';
  method: 'ols_known_factor_regression';
  /** (ours) The prices and factor files. */
  input: string;
  factors_file: string;
  weights_source: WeightsSource;
  observations: number;
  /** (ours) How often the observations are sampled (median gap between dates); unset in older runs: daily. */
  frequency?: Frequency;
  /** (ours) What the reading of the inputs left out or assumed. */
  warnings?: string[];
  alpha: number;
  betas: Record<string, number>;
  r2: number;
  /** (ours) */
  adj_r2: number;
  residual_std: number;
  /** (ours) 'ols' (classical) or 'newey-west' (heteroskedasticity and autocorrelation consistent). */
  std_error_method: 'ols' | 'newey-west';
  newey_west_lags: number | null;
  /** (ours) Standard errors, t statistics and two-sided p-values, alpha first. */
  std_errors: Record<string, number>;
  t_stats: Record<string, number>;
  p_values: Record<string, number>;
  /** Written to regression_residuals.csv by the CLI; kept in the run for the fitted-vs-actual chart. */
  residuals: { date: string; portfolio_return: number; fitted_return: number; residual: number }[];
}

/** factor_1 ... factor_k */
export const factorKeys = (k: number): string[] => Array.from({ length: k }, (_, i) => `factor_${i + 1}`);

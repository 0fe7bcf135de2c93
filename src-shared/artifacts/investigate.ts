import type { ResidualSignal } from './drivers';

/**
 * The `analyze-investigate` artifact: a metric's change between two periods decomposed onto
 * driver aggregates, by regression (with its diagnostics) or, when that is not possible, by a
 * heuristic that is labelled as such. Seed keys kept; (ours) marks additions.
 */
export const INVESTIGATE_SCHEMA = 'factorlens.investigate/1' as const;

export interface InvestigateDriver {
  /** sum(col), avg(col), count(col), count(*), count_distinct(col). */
  name: string;
  /** Contribution as a percent of |previous metric|. */
  contrib_pct: number;
  /** Regression: the contribution in metric units; heuristic: the driver's own change. */
  delta: number;
  /** (ours) The driver's value in each window. */
  previous: number;
  current: number;
  /** (ours) Regression coefficient, its standard error and t statistic (regression mode). */
  coefficient: number | null;
  std_error: number | null;
  t_stat: number | null;
}

export interface InvestigateArtifact {
  schema: typeof INVESTIGATE_SCHEMA;
  kind: 'investigate';
  input: string;
  metric: string;
  metric_change_pct: number;
  current_metric: number;
  previous_metric: number;
  window: { current_start: string; current_end: string; previous_start: string; previous_end: string; date_column: string };
  drivers: InvestigateDriver[];
  /** (ours) Drivers that a row-level regression cannot use (counts), with their own change. */
  other_drivers: { name: string; previous: number; current: number; delta: number }[];
  residual: {
    /** null in heuristic mode: the heuristic does not estimate a residual (the seed printed 0). */
    residual_pct: number | null;
    residual_amount: number | null;
    signals: ResidualSignal[];
  };
  explained_pct: number;
  explained_share_pct: number | null;
  contribution_view: 'percent' | 'amount' | 'both';
  decomposition_mode: 'regression' | 'heuristic';
  /** (ours) Regression diagnostics. */
  regression: {
    rows: number;
    r_squared: number;
    adj_r_squared: number;
    intercept: number;
    intercept_std_error: number;
    /** The intercept's share of the change: β0 × (rows now − rows before), part of the residual. */
    intercept_effect: number;
    /** Largest variance inflation factor among the drivers. */
    max_vif: number;
  } | null;
  warnings: string[];
}

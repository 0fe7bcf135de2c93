/**
 * The `analyze-drivers` artifact: a metric's change between two frames explained by the drivers of
 * its identity, with an exact closure (actual change = driver contributions + residual parts) and
 * the segments where the residual lives. Seed keys kept; (ours) marks additions.
 */
export const DRIVERS_SCHEMA = 'factorlens.drivers/1' as const;

export const DECOMPOSITION_METHODS = ['lmdi', 'shapley', 'seed'] as const;
export type DecompositionMethod = (typeof DECOMPOSITION_METHODS)[number];

export interface IdentityTerm {
  column: string;
  /** +1 multiplies, -1 divides; in a sum (form 'sum'), +1 adds and -1 subtracts. */
  power: 1 | -1;
}

/** (ours) How an identity's terms combine: a product of powers (orders * price) or a sum (online + store). */
export type IdentityForm = 'product' | 'sum';

export interface IdentityFit {
  /** "revenue_usd = orders * avg_price_usd" */
  expression: string;
  terms: IdentityTerm[];
  /** Mean absolute percentage error over the fit rows, as a fraction (0.0118 = 1.18%). */
  fit_mape: number;
  fit_rows: number;
  /** (ours) Absent: a product (identities stored before sums were searched). */
  form?: IdentityForm;
}

export interface DriverContribution {
  name: string;
  /** The driver's aggregate in each frame (see `aggregation`). */
  base: number;
  new: number;
  /** (ours) How the aggregate is formed: sum, mean (seed), or weighted (a ratio of sums, so that the drivers multiply to the modelled total). */
  aggregation: 'sum' | 'mean' | 'weighted';
  /** Contribution as a percent of the base metric. */
  contrib_pct: number;
  /** (ours) Contribution in metric units. */
  contrib_amount: number;
}

export interface ResidualSignal {
  name: string;
  signal_type: 'numeric' | 'categorical';
  /** Ranking score: the seed's (|corr| or |mean|·√n), or ours: a t statistic, the same scale for every column. */
  score: number;
  detail: string;
  /** (ours) Rows in the segment (categorical) or rows correlated (numeric). */
  rows: number;
  /** (ours) Columns that select exactly the same rows, reported as one finding. */
  same_rows_as: string[];
  /** (ours) Mean residual per row in the segment (categorical). */
  mean_residual: number | null;
  /** (ours) Total residual in the segment (categorical). */
  total_residual: number | null;
}

export interface DriversArtifact {
  schema: typeof DRIVERS_SCHEMA;
  kind: 'drivers';
  input: string;
  input_new: string | null;
  metric: string;
  method: DecompositionMethod;
  identity: { expression: string; left: string; right: string; op: 'multiply' | 'divide' | 'product' | 'sum'; fit_mape: number; fit_rows: number; terms: IdentityTerm[]; stated: boolean };
  /** (ours) The best identities found, best first (empty when the identity was stated). */
  candidates: IdentityFit[];
  metric_base: number;
  metric_new: number;
  metric_change: number;
  metric_change_pct: number;
  drivers: DriverContribution[];
  /** (ours) The modelled change (the sum of the contributions) and its share of the actual change. */
  explained_amount: number;
  explained_pct: number;
  explained_share_pct: number | null;
  residual: {
    residual_pct: number;
    residual_amount: number;
    /** (ours) The residual in named parts; they add up to residual_amount exactly. */
    parts: { name: string; amount: number }[];
    signals: ResidualSignal[];
  };
  window: { current_start: string; current_end: string; previous_start: string; previous_end: string; date_column: string } | null;
  /** (ours) Rows in each frame. */
  base_rows: number;
  new_rows: number;
  /** (ours) The mix/rate bridge by --by: volume, mix and rate effects per segment (see BridgeRow). */
  bridge: Bridge | null;
  warnings: string[];
}

export interface BridgeRow {
  segment: string;
  base_volume: number;
  new_volume: number;
  base_rate: number | null;
  new_rate: number | null;
  volume_effect: number;
  mix_effect: number;
  rate_effect: number;
  /** New segments (only in the new frame) add their whole value; gone ones remove it. */
  new_or_gone: number;
  total: number;
}

export interface Bridge {
  dimension: string;
  /** The first driver of the identity: the volume whose rate the rest is. */
  volume_driver: string;
  base_rate: number;
  new_rate: number;
  volume_effect: number;
  mix_effect: number;
  rate_effect: number;
  new_segments: number;
  gone_segments: number;
  new_or_gone_effect: number;
  total: number;
  rows: BridgeRow[];
  /** A Simpson's-paradox note when the overall rate moves against the segments holding most volume. */
  warning: string | null;
}

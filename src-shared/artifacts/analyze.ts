import type { MetricAggregation } from '../analyze-options';

/**
 * The `analyze` artifact: the one truth of a segment analysis run. Markdown, HTML, the UI
 * table and chart are all renderings of it. Keys follow the seed FactorLens CLI (snake_case) so
 * its JSON consumers keep working; keys we add are marked "(ours)".
 *
 * Versioning: `schema` names the kind and major version. Adding keys keeps the version;
 * renaming or changing the meaning of a key bumps it.
 */
export const ANALYZE_SCHEMA = 'factorlens.analyze/1' as const;

export interface SegmentRow {
  /** Group values joined by " | " (the seed's key), blank values shown as "(blank)". */
  group: string;
  /** (ours) The same values one per group column. */
  values: string[];
  /** Records in the segment. */
  count: number;
  /** Records in the segment as a percent of all records after filters. */
  count_share_pct: number;
  /** Aggregated metric values keyed by metric name; with agg=sum also `<metric>_share_pct`. */
  [metricOrShare: string]: number | string | string[];
}

export interface PeriodMover {
  group: string;
  current_records: number;
  previous_records: number;
  delta_records: number;
  current_primary_metric_value: number | null;
  previous_primary_metric_value: number | null;
  delta_primary_metric_value: number | null;
  /** (ours) Record share of the segment in each window, and the change in percentage points. */
  current_share_pct: number;
  previous_share_pct: number;
  delta_share_pp: number;
}

/** The period comparison of `analyze` (null when no period flag is given). */
export interface PeriodCompare {
  date_column: string;
  /** null for explicit windows. */
  time_grain: string | null;
  /** current | previous | last, or explicit. */
  period: string;
  anchor_date: string | null;
  current_start: string;
  current_end: string;
  previous_start: string;
  previous_end: string;
  /** (ours) The segments of the comparison: the grouping without the date column. */
  group_by: string[];
  current_records: number;
  previous_records: number;
  current_primary_metric_value: number | null;
  previous_primary_metric_value: number | null;
  delta_primary_metric_value: number | null;
  /** Change as a percent of |previous|; null when previous is 0. */
  delta_primary_metric_pct: number | null;
  /** (ours) Share of records in the five largest segments of each window (the seed used the five biggest movers). */
  current_top5_share_pct: number;
  previous_top5_share_pct: number;
  top5_share_delta_pp: number;
  /** Up to 20 segments, largest decline of the primary metric first (records with count-only); ties by name. */
  movers: PeriodMover[];
  /** (ours) The five segments whose record share moved most, in percentage points. */
  concentration_changes: PeriodMover[];
  /** (ours) The five largest declines of the primary metric (only segments that declined). */
  drivers: PeriodMover[];
  /** (ours) How date cells like 01/07/2026 were read: month-first, day-first, or by-separator (`/` month first, `.` day first); absent in older artifacts. */
  day_month_order?: 'month-first' | 'day-first' | 'by-separator';
  /** (ours) Filled date cells of the analysed rows that read as no date (so in neither window), with up to five of them; absent in older artifacts. */
  unreadable_dates?: { count: number; examples: string[] };
}

export interface AnalyzeArtifact {
  schema: typeof ANALYZE_SCHEMA;
  kind: 'analyze';
  /** The input file path (or source label). */
  input: string;
  /** The profile whose values filled the options the analyst left unset, if any. */
  profile: string | null;
  /** Data rows read from the source (before --where). */
  rows: number;
  /** Rows after --where filters. */
  records: number;
  /** Segments kept after --min-records. */
  segments: number;
  /** (ours) Segments before --min-records. */
  segments_total: number;
  group_by: string[];
  /** (ours) True when the group columns were auto-detected. */
  group_by_auto: boolean;
  filters: string[];
  /** (ours) True when the filters matched values ignoring case (--where-ignore-case). */
  filters_ignore_case?: boolean;
  exclude_blank_groups: boolean;
  /** (ours) Records left out because every group value was blank (with exclude_blank_groups). */
  excluded_blank_records: number;
  /** Display metrics: the base metrics, then their percentile columns (<metric>_p50, …). */
  metrics: string[];
  base_metrics: string[];
  /** (ours) True when the metrics were auto-detected. */
  metrics_auto: boolean;
  metric_aggregation: MetricAggregation;
  count_only: boolean;
  /** Requested percentiles as labels: ["p50", "p90"]. */
  percentiles: string[];
  normalize_text_groups: boolean;
  /** (ours) The group columns whose values were normalised (name/title columns). */
  normalized_columns: string[];
  word_frequency: { word: string; count: number }[];
  /** 'count' or the ranking metric. */
  rank_by: string;
  top: number;
  top_insights: number;
  opportunity_min_records: number;
  min_records: number;
  blank_share_pct: number;
  alert_thresholds: { top5_share: number | null; blank_share: number | null };
  alerts: string[];
  alert_rule_results: {
    rule: string;
    metric: string;
    operator: string;
    threshold: number;
    actual: number;
    triggered: boolean;
  }[];
  primary_metric: string | null;
  /** (ours) Sum over all segments (before --min-records) of the aggregated primary metric. */
  total_primary_metric_value: number | null;
  period_compare: PeriodCompare | null;
  /** Records in the first five ranked segments. */
  top5_count: number;
  /** (ours) top5_count as a percent of records. */
  top5_record_share_pct: number;
  /** Sum of the primary metric over the first five ranked segments (agg=sum), else their average. */
  top5_primary_metric_value: number | null;
  /** (ours) The largest segment by records among non-blank segments (first in ranked order on ties). */
  largest_segment: { group: string; count: number; count_share_pct: number; primary_share_pct: number | null } | null;
  top_risks: string[];
  top_opportunities: string[];
  /** (ours) What reading the input changed, e.g. a repeated column name read as `x_2`; absent in older artifacts. */
  warnings?: string[];
  /** (ours) Per metric that has any: cells spelled as numbers that are not finite (NaN, infinities, 1e309), left out of the aggregates; absent in older artifacts. */
  non_finite_cells?: Record<string, number>;
  /** Every ranked segment after --min-records. */
  groups: SegmentRow[];
}

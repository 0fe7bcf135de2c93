import type { Windows } from '../periods';

export const SEGMENTS_SCHEMA = 'factorlens.segments/1';

/** One dimension = value pair of a segment (a segment is their conjunction). */
export interface SegmentCondition {
  dimension: string;
  value: string;
}

/** A part of the change: its metric on each side and its exact contribution, split into rate and mix for a ratio. */
export interface SegmentPart {
  /** null: everything else. */
  segment: SegmentCondition[] | null;
  /** The part's metric on each side: its sum, or its own ratio (null without a denominator). */
  base: number | null;
  current: number | null;
  contribution: number;
  /** Ratio metrics: its own ratio moved (rate) and its share of the denominator moved (mix); 0 for a sum. */
  rate: number;
  mix: number;
  /** Of the whole change (null when the whole did not change). */
  share: number | null;
  /** Present on one side only. */
  status: 'both' | 'new' | 'gone' | 'none';
  /** Rows on each side (the denominator for a ratio). */
  base_weight: number;
  current_weight: number;
}

export interface RootCausePart {
  segment: SegmentCondition[];
  contribution: number;
  /** Of the whole change (null when the whole did not change). */
  share: number | null;
  /** The part of the table's departure from its baseline this cause accounts for (0..1). */
  explanatory_power: number;
  /** How far its share of the metric moved from its expected share (Jensen-Shannon). */
  surprise: number;
  /** 1 − the chance that noise alone shows a deviation this large in any segment searched. */
  confidence: number;
}

export interface SegmentsArtifact {
  schema: typeof SEGMENTS_SCHEMA;
  kind: 'segments';
  input: string;
  input_new: string | null;
  metric: string;
  /** sum: Σ metric; mean: Σ metric / count; ratio: Σ numerator / Σ denominator. */
  metric_kind: 'sum' | 'mean' | 'ratio';
  numerator: string | null;
  denominator: string | null;
  comparison:
    | { mode: 'period'; date_column: string; windows: Windows }
    | { mode: 'files' }
    | { mode: 'expected'; expected_column: string };
  /** How the two sides are named ("2026-02-01..2026-02-28", a file name, "expected"). */
  base_label: string;
  current_label: string;
  dimensions: string[];
  dimensions_auto: boolean;
  max_depth: number;
  base_value: number | null;
  current_value: number | null;
  change: number;
  change_pct: number | null;
  rows: { base: number; current: number };
  /** Combinations of the dimensions' values seen (the cube's leaves). */
  leaves: number;
  /** Non-overlapping segments and everything else; their contributions add up to the change. */
  bridge: SegmentPart[];
  /** |Σ bridge contributions − change| relative to |change|. */
  closure_error: number;
  /**
   * The root cause: the fewest segments whose own rows moved away from their baseline beyond the
   * noise of the other rows, the most general that holds each move; they never contain one another.
   */
  root_causes: RootCausePart[];
  /** The first level of the decomposition tree: the whole split by each dimension, the widest split first. */
  splits: { dimension: string; parts: SegmentPart[] }[];
  warnings: string[];
  /** Why a drivers run shows this analysis instead (no formula of the metric fits, or none was asked for); absent otherwise. */
  fallback_reason?: string;
}

/**
 * The `analyze-compare` artifact: how two analyze snapshots differ. Keys follow the seed;
 * `schema`, `kind` and keys marked (ours) are added.
 */
export const COMPARE_SCHEMA = 'factorlens.compare/1' as const;

export interface CompareMover {
  segment: string;
  base_records: number;
  new_records: number;
  base_share_pct: number;
  new_share_pct: number;
  delta_share_pp: number;
  base_primary_metric_value: number;
  new_primary_metric_value: number;
  delta_primary_metric_value: number;
  /** (ours) up, down or flat, by record share. */
  direction: 'up' | 'down' | 'flat';
}

export interface CompareArtifact {
  schema: typeof COMPARE_SCHEMA;
  kind: 'compare';
  /** Labels of the two snapshots (file paths, or run titles in the workbench). */
  base: string;
  new: string;
  base_records: number;
  new_records: number;
  base_segments: number;
  new_segments: number;
  primary_metric: string;
  top5_concentration: { base_pct: number; new_pct: number; delta_pp: number };
  segment_count_delta: { base: number; new: number; delta: number };
  /** (ours) Segments present in only one snapshot. */
  new_only_segments: number;
  base_only_segments: number;
  top_movers_limit: number;
  /** Largest |record-share change| first; ties by segment name. */
  movers: CompareMover[];
  /** (ours) The same movers ranked by the largest |change of the primary metric| first; ties by segment name. */
  movers_by_metric: CompareMover[];
}

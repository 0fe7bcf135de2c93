/**
 * The `analyze-suggest` report: what a sample of a new table looks like and which analyze
 * profile fits it. Keys follow the seed; `schema` and `kind` are ours.
 */
export const SUGGEST_SCHEMA = 'factorlens.suggest/1' as const;

export const COLUMN_ROLES = ['date', 'dimension', 'metric', 'numeric_other', 'text_other'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

export interface SuggestColumn {
  name: string;
  non_empty: number;
  /** Non-empty cells as a percent of sampled rows. */
  fill_pct: number;
  distinct_count: number;
  /** Share (0..1) of non-empty cells that read as numbers. */
  numeric_ratio: number;
  /** Share (0..1) of non-empty cells that read as calendar dates. */
  date_ratio: number;
  inferred_role: ColumnRole;
  /** (ours) Identifier-like name (id, *_id, *_key, uuid, *_url, …): never suggested. */
  id_like: boolean;
  /** Up to five most frequent values with their counts, most frequent first. */
  top_values: [string, number][];
}

export interface SuggestArtifact {
  schema: typeof SUGGEST_SCHEMA;
  kind: 'suggest';
  input: string;
  /** (ours) Rows in the whole file. */
  rows: number;
  sampled_rows: number;
  sample_mode: 'head' | 'random';
  sample_seed: number;
  profile_name: string;
  /** Where the profile file was written (null when only reported). */
  profile_path: string | null;
  suggested_group_by: string[];
  suggested_metrics: string[];
  suggested_rank_by: string | null;
  suggested_date_column: string | null;
  warnings: string[];
  columns: SuggestColumn[];
}

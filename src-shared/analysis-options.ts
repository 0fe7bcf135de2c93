import { z } from 'zod';
import { DECOMPOSITION_METHODS } from './artifacts/drivers';
import { FACTOR_BASES, MISSING_RULES } from './artifacts/factors';
import { ISO_DATE } from './periods';
import { WhereClauseSchema } from './analyze-options';

/**
 * The options of each analysis other than analyze (src-shared/analyze-options.ts) and suggest
 * (suggest-options.ts), in the analyst's words. These schemas are the only place their defaults
 * live: the CLI leaves an unset flag undefined and the schema fills it, the workbench's requests
 * (contract.ts) extend them with the datasets they read, and the forms start from `parse({})`.
 */

export const WindowsSchema = z.object({
  current: z.object({ start: z.string().regex(ISO_DATE), end: z.string().regex(ISO_DATE) }),
  previous: z.object({ start: z.string().regex(ISO_DATE), end: z.string().regex(ISO_DATE) }),
});

export const DriversOptionsSchema = z.object({
  metric: z.string().min(1),
  /** Period mode: the date column and the two windows (without a second snapshot). */
  dateColumn: z.string().min(1).nullable().default(null),
  windows: WindowsSchema.nullable().default(null),
  /** The identity stated ("revenue = orders * price"); null: inferred from the columns. */
  identity: z.string().min(1).nullable().default(null),
  method: z.enum(DECOMPOSITION_METHODS).default('lmdi'),
  /** A dimension for the mix/rate bridge. */
  by: z.string().min(1).nullable().default(null),
});
export type DriversOptions = z.infer<typeof DriversOptionsSchema>;

export const DRIVER_PRESETS = ['id', 'amount', 'category', 'mixed'] as const;
export const AUTO_DRIVERS = ['deterministic', 'numeric-corr'] as const;
export const CONTRIBUTION_VIEWS = ['percent', 'amount', 'both'] as const;

export const InvestigateOptionsSchema = z.object({
  metric: z.string().min(1),
  /** null: the column named like a date whose cells are dates. */
  dateColumn: z.string().min(1).nullable().default(null),
  windows: WindowsSchema,
  /** Driver expressions: sum(col), avg(col), count(col), count(*), count_distinct(col), or a column. */
  drivers: z.array(z.string().min(1)).default([]),
  include: z.array(z.string().min(1)).default([]),
  exclude: z.array(z.string().min(1)).default([]),
  preset: z.enum(DRIVER_PRESETS).nullable().default(null),
  auto: z.enum(AUTO_DRIVERS).default('deterministic'),
  /** Skip a numeric driver 95%+ correlated with one already chosen. */
  dedup: z.boolean().default(true),
  topDrivers: z.number().int().min(1).max(50).default(3),
  maxId: z.number().int().min(0).max(50).default(3),
  maxCat: z.number().int().min(0).max(50).default(2),
  maxNum: z.number().int().min(0).max(50).default(2),
  /** What each driver line shows (the seed's default: percent). */
  contributionView: z.enum(CONTRIBUTION_VIEWS).default('percent'),
});
export type InvestigateOptions = z.infer<typeof InvestigateOptionsSchema>;

/** How `01/02/2000` reads in a factor input: detected from the cells (auto), or as the analyst says. */
export const DATE_ORDERS = ['auto', 'day-first', 'month-first'] as const;

/** The columns of a long-form price table (unset: ticker or symbol, date, close or price) and its dates' day/month order. */
const PriceReadingOptions = {
  tickerColumn: z.string().min(1).nullable().default(null),
  dateColumn: z.string().min(1).nullable().default(null),
  priceColumn: z.string().min(1).nullable().default(null),
  dateOrder: z.enum(DATE_ORDERS).default('auto'),
};

export const FactorsOptionsSchema = z.object({
  // No upper bound: the engine caps k at what the data allows and says so.
  k: z.number().int().min(1).default(5),
  /** Choose k: eigenvalues above the Marchenko-Pastur noise edge. */
  kAuto: z.boolean().default(false),
  basis: z.enum(FACTOR_BASES).default('correlation'),
  missing: z.enum(MISSING_RULES).default('common'),
  includeWeekends: z.boolean().default(false),
  ...PriceReadingOptions,
});
export type FactorsOptions = z.infer<typeof FactorsOptionsSchema>;

export const RegressionOptionsSchema = z.object({
  includeWeekends: z.boolean().default(false),
  /** null: classical OLS errors; 'auto' or a lag count: Newey-West. */
  neweyWest: z
    .union([z.literal('auto'), z.number().int().min(0).max(100)])
    .nullable()
    .default(null),
  ...PriceReadingOptions,
});
export type RegressionOptions = z.infer<typeof RegressionOptionsSchema>;

export const CompareOptionsSchema = z.object({
  /** Segments listed as the biggest movers. */
  topMovers: z.number().int().min(1).max(500).default(10),
});
export type CompareOptionsValues = z.infer<typeof CompareOptionsSchema>;

export const SegmentsOptionsSchema = z.object({
  /** The metric: a column summed, its mean (aggregate 'mean'), or the name of a ratio of two sums (numerator / denominator). */
  metric: z.string().min(1),
  aggregate: z.enum(['sum', 'mean']).default('sum'),
  numerator: z.string().min(1).nullable().default(null),
  denominator: z.string().min(1).nullable().default(null),
  /** The dimensions segments are made of; empty: the low-cardinality text columns (at most 7). */
  dimensions: z.array(z.string().min(1)).default([]),
  /** Dimensions a segment may combine. */
  maxDepth: z.number().int().min(1).max(3).default(3),
  /** Named segments of the bridge (everything else is one more part). */
  top: z.number().int().min(1).max(50).default(8),
  /** Period mode: the date column and the two windows. */
  dateColumn: z.string().min(1).nullable().default(null),
  windows: WindowsSchema.nullable().default(null),
  /** Forecast against actual: the column of expected values (the metric is the actual one). */
  expected: z.string().min(1).nullable().default(null),
});
export type SegmentsOptions = z.infer<typeof SegmentsOptionsSchema>;

/** The guided investigation's four questions (the original's modes; hyphenated names are accepted by the CLI). */
export const INVESTIGATION_MODES = ['change_drivers', 'concentration_drivers', 'compare_snapshots', 'recommend_next'] as const;
export type InvestigationMode = (typeof INVESTIGATION_MODES)[number];
export const PLANNERS = ['deterministic', 'llm'] as const;
export const PLANNER_BACKENDS = ['local', 'bedrock'] as const;

/**
 * `factorlens investigate`: a drill-down from a question, on the segment cube of two snapshots (or
 * two periods of a Postgres query). Thresholds are on the scale of the score they test: share
 * points of records in concentration mode, percent of the whole change of the metric otherwise.
 */
export const InvestigationOptionsSchema = z.object({
  question: z.string().min(1),
  /** null: routed from the question's words (the original's table). */
  mode: z.enum(INVESTIGATION_MODES).nullable().default(null),
  metric: z.string().min(1),
  /** Period mode (Postgres query, or one table): the date column and the two windows. */
  dateColumn: z.string().min(1).nullable().default(null),
  windows: WindowsSchema.nullable().default(null),
  /** Investigate only these rows (column = value, all must hold): a segment found before, the recommended next question's. */
  where: z.array(WhereClauseSchema).default([]),
  /** The first is the top dimension; the rest are drill fields unless drillFields is given. Empty: inferred. */
  dimensions: z.array(z.string().min(1)).default([]),
  drillFields: z.array(z.string().min(1)).default([]),
  maxDepth: z.number().int().min(1).max(6).default(2),
  maxBranches: z.number().int().min(1).max(16).default(3),
  /** A branch's mover must score at least this: share points (concentration) or percent of the whole change (others). */
  minContribution: z.number().min(0).default(5),
  /** A branch's mover must move the metric by at least this much (metric units). */
  minDeltaAbs: z.number().min(0).default(0),
  /** A child must beat its parent's score by at least this (the score's own scale). */
  minScoreImprovement: z.number().min(0).default(0),
  /** A branch's segment must hold at least this many rows on one side. */
  minSliceRows: z.number().int().min(1).default(5),
  topMovers: z.number().int().min(1).max(100).default(12),
  planner: z.enum(PLANNERS).default('deterministic'),
  plannerBackend: z.enum(PLANNER_BACKENDS).default('local'),
  /** Local: a GGUF path (or FACTORLENS_PLANNER_LOCAL_MODEL / FACTORLENS_LOCAL_MODEL); Bedrock: a model id. */
  plannerModel: z.string().min(1).nullable().default(null),
  verbose: z.boolean().default(false),
  trace: z.boolean().default(false),
});
export type InvestigationOptions = z.infer<typeof InvestigationOptionsSchema>;

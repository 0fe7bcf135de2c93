import { z } from 'zod';
import { DECOMPOSITION_METHODS } from './artifacts/drivers';
import { FACTOR_BASES, MISSING_RULES } from './artifacts/factors';
import { ISO_DATE } from './periods';

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

export const FactorsOptionsSchema = z.object({
  // No upper bound: the engine caps k at what the data allows and says so.
  k: z.number().int().min(1).default(5),
  /** Choose k: eigenvalues above the Marchenko-Pastur noise edge. */
  kAuto: z.boolean().default(false),
  basis: z.enum(FACTOR_BASES).default('correlation'),
  missing: z.enum(MISSING_RULES).default('common'),
  includeWeekends: z.boolean().default(false),
});
export type FactorsOptions = z.infer<typeof FactorsOptionsSchema>;

export const RegressionOptionsSchema = z.object({
  includeWeekends: z.boolean().default(false),
  /** null: classical OLS errors; 'auto' or a lag count: Newey-West. */
  neweyWest: z
    .union([z.literal('auto'), z.number().int().min(0).max(100)])
    .nullable()
    .default(null),
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

import { z } from 'zod';
import { ALERT_METRICS, ALERT_OPERATORS, METRIC_AGGREGATIONS } from './analyze-syntax';
import { ISO_DATE, PERIOD_PRESETS, TIME_GRAINS } from './periods';

export * from './analyze-syntax';

export const DateWindowSchema = z.object({ start: z.string().regex(ISO_DATE), end: z.string().regex(ISO_DATE) });

/**
 * The options of one `analyze` run, in the analyst's words. The CLI flags, the UI form and the
 * web API all produce this object; the engine consumes it. Empty lists mean "auto-detect".
 */

export const WhereClauseSchema = z.object({
  column: z.string().min(1),
  value: z.string(),
});

export const AlertRuleSchema = z.object({
  rule: z.string(),
  metric: z.enum(ALERT_METRICS),
  operator: z.enum(ALERT_OPERATORS),
  threshold: z.number(),
});

export const PeriodOptionsSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('derived'),
    dateColumn: z.string().min(1),
    grain: z.enum(TIME_GRAINS),
    preset: z.enum(PERIOD_PRESETS),
    /** YYYY-MM-DD; the host fills in today (UTC) when the analyst gives none. */
    anchorDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
  z.object({
    mode: z.literal('explicit'),
    dateColumn: z.string().min(1),
    current: DateWindowSchema,
    previous: DateWindowSchema,
  }),
]);
export type PeriodOptions = z.infer<typeof PeriodOptionsSchema>;

export const AnalyzeOptionsSchema = z.object({
  groupBy: z.array(z.string().min(1)).default([]),
  metrics: z.array(z.string().min(1)).default([]),
  /** 'count' (the default) or one of the metrics. */
  rankBy: z.string().min(1).default('count'),
  agg: z.enum(METRIC_AGGREGATIONS).default('sum'),
  where: z.array(WhereClauseSchema).default([]),
  /** Filters match values ignoring case (`eu` keeps `EU` rows). */
  whereIgnoreCase: z.boolean().default(false),
  top: z.number().int().min(1).default(20),
  minRecords: z.number().int().min(1).default(1),
  autoGroupK: z.number().int().min(1).max(20).default(5),
  /** Records only: no metrics at all. */
  countOnly: z.boolean().default(false),
  /** Extra per-segment percentile columns, e.g. [50, 90] for <metric>_p50 and <metric>_p90. */
  percentiles: z.array(z.number().min(0).max(100)).default([]),
  /** Lowercase and strip punctuation in group columns named like *name* or *title*. */
  normalizeTextGroups: z.boolean().default(false),
  /** Top words of the name/title group columns. */
  wordFreq: z.boolean().default(false),
  /** Leave out rows whose every group value is blank. */
  excludeBlankGroups: z.boolean().default(false),
  /** Number of Risk and Opportunity lines (0: no Top Insights section). */
  topInsights: z.number().int().min(0).default(0),
  opportunityMinRecords: z.number().int().min(1).default(2),
  /** Alert when the top-5 record share (percent) reaches this. */
  alertTop5Share: z.number().nullable().default(null),
  /** Alert when the blank-group share (percent) reaches this. */
  alertBlankShare: z.number().nullable().default(null),
  alertRules: z.array(AlertRuleSchema).default([]),
  period: PeriodOptionsSchema.nullable().default(null),
  /** The profile the options came from, for the record. */
  profile: z.string().nullable().default(null),
});
export type AnalyzeOptions = z.infer<typeof AnalyzeOptionsSchema>;
export type AnalyzeOptionsInput = z.input<typeof AnalyzeOptionsSchema>;

/** Where the rows come from: a CSV/TSV file, or a Postgres query. */
export const FileSourceSchema = z.object({
  kind: z.literal('file'),
  path: z.string().min(1),
});

/** libpq's sslmode values, with libpq's meanings (see the README). */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** How to reach a Postgres server (a saved connection, or the CLI's flags). */
export const PgConnectionSchema = z.object({
  /** postgres://user@host:port/database (a password in the URL is accepted too). */
  url: z.string().min(1),
  /** Kept apart from the URL so that the desktop app can hold it in the OS secret store. */
  password: z.string().nullable().default(null),
  /** null: the URL's sslmode, else prefer. */
  sslMode: z.enum(SSL_MODES).nullable().default(null),
  caFile: z.string().min(1).nullable().default(null),
  certFile: z.string().min(1).nullable().default(null),
  keyFile: z.string().min(1).nullable().default(null),
});
export type PgConnection = z.infer<typeof PgConnectionSchema>;

export const PostgresSourceSchema = z.object({
  kind: z.literal('postgres'),
  connection: PgConnectionSchema,
  /** One SELECT (a trailing semicolon and comments are fine); it runs as a subquery. */
  query: z.string().min(1),
  /** Server-side statement timeout in milliseconds (0: none). */
  statementTimeoutMs: z.number().int().min(0).default(300_000),
});
export type PostgresSource = z.infer<typeof PostgresSourceSchema>;

export const SourceSchema = z.discriminatedUnion('kind', [FileSourceSchema, PostgresSourceSchema]);
export type Source = z.infer<typeof SourceSchema>;

export const AnalyzeRequestSchema = z.object({
  source: SourceSchema,
  options: AnalyzeOptionsSchema,
});
export type AnalyzeRequest = z.infer<typeof AnalyzeRequestSchema>;

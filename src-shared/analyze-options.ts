import { z } from 'zod';
import { DateWindowSchema, PERIOD_PRESETS, TIME_GRAINS } from './periods';

/**
 * The options of one `analyze` run, in the analyst's words. The CLI flags, the UI form and the
 * web API all produce this object; the engine consumes it. Empty lists mean "auto-detect".
 */
export const METRIC_AGGREGATIONS = ['sum', 'mean', 'median'] as const;
export type MetricAggregation = (typeof METRIC_AGGREGATIONS)[number];

export const OUTPUT_FORMATS = ['md', 'json', 'both', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const WhereClauseSchema = z.object({
  column: z.string().min(1),
  value: z.string(),
});
export type WhereClause = z.infer<typeof WhereClauseSchema>;

export const ALERT_METRICS = ['top5_record_share_pct', 'blank_share_pct', 'segments', 'records'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];
export const ALERT_OPERATORS = ['>=', '<=', '!=', '>', '<', '='] as const;
export type AlertOperator = (typeof ALERT_OPERATORS)[number];

export const AlertRuleSchema = z.object({
  rule: z.string(),
  metric: z.enum(ALERT_METRICS),
  operator: z.enum(ALERT_OPERATORS),
  threshold: z.number(),
});
export type AlertRule = z.infer<typeof AlertRuleSchema>;

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

/** Where the rows come from. Files today; a Postgres query joins this union later. */
export const FileSourceSchema = z.object({
  kind: z.literal('file'),
  path: z.string().min(1),
});
export const SourceSchema = z.discriminatedUnion('kind', [FileSourceSchema]);
export type Source = z.infer<typeof SourceSchema>;

export const AnalyzeRequestSchema = z.object({
  source: SourceSchema,
  options: AnalyzeOptionsSchema,
});
export type AnalyzeRequest = z.infer<typeof AnalyzeRequestSchema>;

/** Parses `col=value,col2=value2` (the seed's --where syntax). Values are trimmed. */
export function parseWhere(text: string): WhereClause[] {
  const clauses: WhereClause[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) {
      throw new Error(`invalid --where clause '${part.trim()}': expected col=value`);
    }
    clauses.push({ column: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return clauses;
}

/** Splits a comma list flag value, trimming and dropping empties. */
export function parseList(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** "p50,p90" (or "50,90") -> [50, 90]. */
export function parsePercentiles(text: string): number[] {
  return parseList(text).map((p) => {
    const n = Number(p.replace(/^p/i, ''));
    if (!/^p?\d+(\.\d+)?$/i.test(p) || !(n >= 0 && n <= 100)) throw new Error(`invalid percentile '${p}': use pNN with NN from 0 to 100, e.g. p50,p90`);
    return n;
  });
}

/** The column name of a percentile: revenue_usd + 90 -> revenue_usd_p90. */
export function percentileKey(metric: string, p: number): string {
  return `${metric}_p${p}`;
}

const ALERT_ALIASES: Record<string, AlertMetric> = {
  top5_record_share_pct: 'top5_record_share_pct',
  top5_record_share: 'top5_record_share_pct',
  top5_share: 'top5_record_share_pct',
  blank_share_pct: 'blank_share_pct',
  blank_share: 'blank_share_pct',
  segments: 'segments',
  records: 'records',
};

/** "top5_share>=60,segments<10" -> rules. Two-character operators are matched first. */
export function parseAlertRules(text: string): AlertRule[] {
  return parseList(text).map((rule) => {
    const m = /^([A-Za-z0-9_]+)\s*(>=|<=|!=|>|<|=)\s*([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/i.exec(rule);
    if (!m) throw new Error(`invalid alert rule '${rule}': expected metric<op>number, e.g. top5_share>=60 (operators >= <= != > < =)`);
    const metric = ALERT_ALIASES[m[1]!.toLowerCase()];
    if (!metric) throw new Error(`unsupported alert metric '${m[1]}' in '${rule}': use top5_record_share_pct (top5_share), blank_share_pct (blank_share), segments or records`);
    return { rule, metric, operator: m[2] as AlertOperator, threshold: Number(m[3]) };
  });
}

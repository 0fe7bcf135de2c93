import { z } from 'zod';

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

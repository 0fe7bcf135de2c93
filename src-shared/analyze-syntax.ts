/**
 * The plain vocabulary of `analyze` options (no schema library), shared by the CLI, the UI and the
 * engine process: constants, and parsers of the seed's flag syntax.
 */
export const METRIC_AGGREGATIONS = ['sum', 'mean', 'median'] as const;
export type MetricAggregation = (typeof METRIC_AGGREGATIONS)[number];

export const OUTPUT_FORMATS = ['md', 'json', 'both', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface WhereClause {
  column: string;
  value: string;
}

export const ALERT_METRICS = ['top5_record_share_pct', 'blank_share_pct', 'segments', 'records'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];
export const ALERT_OPERATORS = ['>=', '<=', '!=', '>', '<', '='] as const;
export type AlertOperator = (typeof ALERT_OPERATORS)[number];

export interface AlertRule {
  rule: string;
  metric: AlertMetric;
  operator: AlertOperator;
  threshold: number;
}

/** Parses `col=value,col2=value2` (the seed's --where syntax). Values are trimmed. */
export function parseWhere(text: string): WhereClause[] {
  const clauses: WhereClause[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) {
      throw new Error(`invalid filter '${part.trim()}': expected col=value`);
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
    if (!/^p?\d+(\.\d+)?$/i.test(p) || !(n >= 0 && n <= 100))
      throw new Error(`invalid percentile '${p}': use pNN with NN from 0 to 100, e.g. p50,p90`);
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
    if (!metric)
      throw new Error(
        `unsupported alert metric '${m[1]}' in '${rule}': use top5_record_share_pct (top5_share), blank_share_pct (blank_share), segments or records`,
      );
    return { rule, metric, operator: m[2] as AlertOperator, threshold: Number(m[3]) };
  });
}

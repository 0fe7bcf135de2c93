import type { ColumnRole, SuggestColumn } from '../../../src-shared/artifacts/suggest';
import { isIdentifierLike } from '../analyze/auto-detect';

/** Role inference and suggestions for a new table: the seed's rules, ties in header order. */

export function isIdLikeForSuggest(name: string): boolean {
  const lower = name.toLowerCase();
  return isIdentifierLike(name) || lower.includes('uuid') || lower.includes('guid') || lower.endsWith('_url') || lower.endsWith('_uri');
}

const DIMENSION_WORDS = ['tier', 'plan', 'flag', 'status', 'bucket', 'class'];

/** The first rule that holds decides the role. */
export function inferRole(c: Omit<SuggestColumn, 'inferred_role' | 'id_like' | 'top_values'>): ColumnRole {
  const lower = c.name.toLowerCase();
  const idLike = isIdLikeForSuggest(c.name);
  if (c.date_ratio >= 0.9 || lower === 'date' || lower.endsWith('_date') || lower.includes('timestamp')) return 'date';
  if (c.numeric_ratio >= 0.85 && c.fill_pct >= 20 && c.distinct_count <= 20 && DIMENSION_WORDS.some((w) => lower.includes(w)))
    return 'dimension';
  if (c.numeric_ratio >= 0.85 && !idLike) return 'metric';
  if (!idLike && c.fill_pct >= 20 && c.distinct_count >= 2 && c.distinct_count <= 80) return 'dimension';
  if (c.numeric_ratio >= 0.85) return 'numeric_other';
  return 'text_other';
}

function metricPriority(name: string): number {
  const lower = name.toLowerCase();
  if (['revenue', 'gmv', 'sales', 'amount'].some((w) => lower.includes(w))) return 3;
  if (['cost', 'profit', 'margin'].some((w) => lower.includes(w))) return 2;
  if (['qty', 'quantity', 'count', 'orders'].some((w) => lower.includes(w))) return 1;
  return 0;
}

export interface Suggestion {
  groupBy: string[];
  metrics: string[];
  rankBy: string | null;
  dateColumn: string | null;
  warnings: string[];
}

export function suggest(columns: SuggestColumn[], autoGroupK: number, maxMetrics: number): Suggestion {
  const indexed = columns.map((c, order) => ({ c, order }));
  const dimensions = indexed.filter(({ c }) => c.inferred_role === 'dimension');
  const metrics = indexed.filter(({ c }) => c.inferred_role === 'metric');
  const groupBy = [...dimensions]
    .sort(
      (a, b) => Math.abs(a.c.distinct_count - 12) - Math.abs(b.c.distinct_count - 12) || b.c.fill_pct - a.c.fill_pct || a.order - b.order,
    )
    .slice(0, autoGroupK)
    .map(({ c }) => c.name);
  const metricNames = [...metrics]
    .sort((a, b) => metricPriority(b.c.name) - metricPriority(a.c.name) || b.c.non_empty - a.c.non_empty || a.order - b.order)
    .slice(0, maxMetrics)
    .map(({ c }) => c.name);
  // The best-filled date column; the first in header order on ties (the seed took the last).
  let date: SuggestColumn | null = null;
  for (const { c } of indexed) if (c.inferred_role === 'date' && (date === null || c.fill_pct > date.fill_pct)) date = c;

  const warnings: string[] = [];
  if (dimensions.length === 0) warnings.push('No dimension columns found: name the columns to group by when you analyze this table.');
  if (metrics.length === 0) warnings.push('No metric columns found: name the metrics when you analyze this table, or count records only.');
  for (const c of columns) {
    if (c.id_like && c.fill_pct >= 20) warnings.push(`Column '${c.name}' looks like an identifier and was excluded from suggestions.`);
  }
  for (const { c } of dimensions) {
    if (c.fill_pct < 30)
      warnings.push(
        `Dimension '${c.name}' is filled in only ${c.fill_pct.toFixed(1)}% of sampled rows; many records would fall in (blank).`,
      );
  }
  return { groupBy, metrics: metricNames, rankBy: metricNames[0] ?? null, dateColumn: date?.name ?? null, warnings };
}

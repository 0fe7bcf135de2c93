import type { AnalyzeOptions, MetricAggregation, WhereClause } from '../../../src-shared/analyze-options';
import { AppError, unknownColumnError } from '../../../src-shared/errors';
import type { TableProfile } from '../../services/sources/profile';
import { autoGroupColumns, autoMetricColumns } from './auto-detect';

/** Analyze options checked against a table: every name resolved to a real column. */
export interface ResolvedAnalyze {
  groupBy: string[];
  groupByAuto: boolean;
  metrics: string[];
  metricsAuto: boolean;
  /** 'count' or a resolved metric name. */
  rankBy: string;
  agg: MetricAggregation;
  where: WhereClause[];
  top: number;
  minRecords: number;
}

/** Exact name first, then the first case-insensitive match; otherwise a typed error listing the columns. */
export function resolveColumn(name: string, columns: readonly string[], role: string): string {
  const wanted = name.trim();
  if (columns.includes(wanted)) return wanted;
  const lower = wanted.toLowerCase();
  const match = columns.find((c) => c.toLowerCase() === lower);
  if (match !== undefined) return match;
  throw unknownColumnError(role, wanted, columns);
}

export function resolveAnalyze(options: AnalyzeOptions, profile: TableProfile): ResolvedAnalyze {
  const names = profile.columns.map((c) => c.name);

  const groupByAuto = options.groupBy.length === 0;
  const groupBy = groupByAuto
    ? autoGroupColumns(profile.columns, profile.sampleRows, options.autoGroupK)
    : dedupe(options.groupBy.map((g) => resolveColumn(g, names, 'group')));
  if (groupBy.length === 0) {
    throw new AppError(
      'NO_GROUP_COLUMNS',
      'no grouping columns: none were given and none could be auto-detected',
      `Pass --group-by with one or more of: ${names.join(', ')}`,
    );
  }

  const metricsAuto = options.metrics.length === 0;
  const metrics = metricsAuto ? autoMetricColumns(profile.columns, groupBy) : dedupe(options.metrics.map((m) => resolveColumn(m, names, 'metric')));
  const numericColumns = profile.columns.filter((c) => c.type === 'number').map((c) => c.name);
  if (metrics.length === 0) {
    throw new AppError(
      'NO_METRIC_COLUMNS',
      'no numeric metric columns auto-detected',
      numericColumns.length > 0 ? `Pass --metrics explicitly, e.g. --metrics ${numericColumns.join(',')}` : 'The table has no numeric columns; analyze ranks segments by record count only once metrics are given.',
    );
  }
  if (!metricsAuto) {
    for (const m of metrics) {
      const col = profile.columns.find((c) => c.name === m)!;
      if (col.type !== 'number') {
        throw new AppError(
          'NON_NUMERIC_METRIC',
          `metric column '${m}' is not numeric: ${col.numeric} of ${col.filled} sampled values read as numbers`,
          numericColumns.length > 0 ? `Pick numeric columns for metrics: ${numericColumns.join(', ')}` : 'The table has no numeric columns to use as metrics.',
        );
      }
    }
  }

  let rankBy = 'count';
  if (options.rankBy.trim().toLowerCase() !== 'count') {
    try {
      rankBy = resolveColumn(options.rankBy, metrics, 'rank-by');
    } catch {
      throw new AppError(
        'UNKNOWN_COLUMN',
        `rank-by '${options.rankBy}' is not one of the metrics. Available: count, ${metrics.join(', ')}`,
        'Rank by record count (count) or by one of the metrics you analyse.',
      );
    }
  }

  const where = options.where.map((w) => ({ column: resolveColumn(w.column, names, 'filter'), value: w.value.trim() }));

  return {
    groupBy,
    groupByAuto,
    metrics,
    metricsAuto,
    rankBy,
    agg: options.agg,
    where,
    top: options.top,
    minRecords: options.minRecords,
  };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

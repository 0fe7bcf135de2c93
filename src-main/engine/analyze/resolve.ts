import type { AlertRule, AnalyzeOptions, MetricAggregation, PeriodOptions, WhereClause } from '../../../src-shared/analyze-options';
import { AppError, unknownColumnError } from '../../../src-shared/errors';
import { deriveWindows, windowProblem, type TimeGrain, type Windows } from '../../../src-shared/periods';
import type { DayMonthOrder } from '../../sources/dates';
import type { TableProfile } from '../../sources/profile';
import { chooseGroupBy, chooseMetrics, type SampleStats } from './auto-choice';

/** Analyze options checked against a table: every name resolved to a real column. */
export interface ResolvedAnalyze {
  groupBy: string[];
  groupByAuto: boolean;
  /** Empty with count-only. */
  metrics: string[];
  metricsAuto: boolean;
  /** 'count' or a resolved metric name. */
  rankBy: string;
  agg: MetricAggregation;
  where: WhereClause[];
  /** Filters compare values ignoring case. */
  whereIgnoreCase: boolean;
  top: number;
  minRecords: number;
  countOnly: boolean;
  percentiles: number[];
  normalizeTextGroups: boolean;
  /** Group columns whose values are normalised (name/title columns, when asked). */
  normalized: string[];
  /** Group columns that feed the word frequencies (name/title columns, when asked). */
  wordColumns: string[];
  excludeBlankGroups: boolean;
  topInsights: number;
  opportunityMinRecords: number;
  alertTop5Share: number | null;
  alertBlankShare: number | null;
  alertRules: AlertRule[];
  period: ResolvedPeriod | null;
  profile: string | null;
}

export interface ResolvedPeriod {
  dateColumn: string;
  mode: PeriodOptions['mode'];
  grain: TimeGrain | null;
  preset: string;
  anchorDate: string | null;
  windows: Windows;
  /** The group columns of the comparison: the grouping without the date column. */
  groupBy: string[];
  /** How the date column's `01/07/2026` cells are read (decided from the data, see dayMonthOrder). */
  dateOrder: DayMonthOrder;
}

/** Exact name first, then the first case-insensitive match; otherwise a typed error listing the columns. */
export function resolveColumn(name: string, columns: readonly string[], role: string, option?: string): string {
  const wanted = name.trim();
  if (columns.includes(wanted)) return wanted;
  const lower = wanted.toLowerCase();
  const match = columns.find((c) => c.toLowerCase() === lower);
  if (match !== undefined) return match;
  throw unknownColumnError(role, wanted, columns, option);
}

/** Columns whose values are names or titles (the seed's rule: the column name says so). */
export function isNameLike(column: string): boolean {
  const lower = column.toLowerCase();
  return lower.includes('name') || lower.includes('title');
}

function resolvePeriod(period: PeriodOptions, names: string[], groupBy: string[]): ResolvedPeriod {
  const dateColumn = resolveColumn(period.dateColumn, names, 'date', 'dateColumn');
  let windows: Windows;
  if (period.mode === 'derived') {
    try {
      windows = deriveWindows(period.grain, period.preset, period.anchorDate);
    } catch (err) {
      throw new AppError('BAD_ARGUMENT', (err as Error).message, 'Give the anchor date as YYYY-MM-DD.', ['anchorDate']);
    }
  } else {
    windows = { current: period.current, previous: period.previous };
  }
  const problem = windowProblem(windows);
  if (problem)
    throw new AppError(
      'BAD_ARGUMENT',
      `period windows: ${problem}`,
      'Give each window as start <= end, YYYY-MM-DD, with the previous window before the current one.',
      ['period'],
    );
  return {
    dateColumn,
    mode: period.mode,
    grain: period.mode === 'derived' ? period.grain : null,
    preset: period.mode === 'derived' ? period.preset : 'explicit',
    anchorDate: period.mode === 'derived' ? period.anchorDate : null,
    windows,
    groupBy: groupBy.filter((g) => g !== dateColumn),
    dateOrder: 'by-separator',
  };
}

/**
 * The columns an analysis reads when nothing is left to auto-detection (groups and metrics, or
 * count-only, given), in table order: only they need a profile. null when something is
 * auto-detected, or a name is not a column (the full profile then says which).
 */
export function namedColumns(options: AnalyzeOptions, names: readonly string[]): string[] | null {
  if (options.groupBy.length === 0 || (!options.countOnly && options.metrics.length === 0)) return null;
  const wanted = [
    ...options.groupBy,
    ...options.metrics,
    ...options.where.map((w) => w.column),
    ...(options.period ? [options.period.dateColumn] : []),
  ];
  const found = new Set<string>();
  for (const name of wanted) {
    try {
      found.add(resolveColumn(name, names, 'column'));
    } catch {
      return null;
    }
  }
  return names.filter((n) => found.has(n));
}

const NO_STATS: SampleStats = { topCount: new Map(), zeros: new Map() };

/**
 * Resolves the options against a profile; `names` are all the table's columns (the profile may
 * hold only some, see namedColumns); `stats` feed the automatic choices (see auto-choice.ts).
 */
export function resolveAnalyze(
  options: AnalyzeOptions,
  profile: TableProfile,
  names: string[] = profile.columns.map((c) => c.name),
  stats: SampleStats = NO_STATS,
): ResolvedAnalyze {
  const groupByAuto = options.groupBy.length === 0;
  const groupBy = groupByAuto
    ? chooseGroupBy(profile, stats, options.autoGroupK)
    : dedupe(options.groupBy.map((g) => resolveColumn(g, names, 'group', 'groupBy')));
  if (groupBy.length === 0) {
    throw new AppError(
      'NO_GROUP_COLUMNS',
      'no grouping columns: none were given and none could be auto-detected',
      `Name the columns to group by: one or more of ${names.join(', ')}.`,
      ['groupBy'],
    );
  }

  const numericColumns = profile.columns.filter((c) => c.type === 'number').map((c) => c.name);
  let metrics: string[] = [];
  let metricsAuto = false;
  if (options.countOnly) {
    if (options.metrics.length > 0)
      throw new AppError('BAD_ARGUMENT', 'a records-only analysis takes no metrics', 'Drop the metrics, or turn records-only off.', [
        'metrics',
        'countOnly',
      ]);
  } else {
    metricsAuto = options.metrics.length === 0;
    metrics = metricsAuto
      ? chooseMetrics(profile, stats, groupBy)
      : dedupe(options.metrics.map((m) => resolveColumn(m, names, 'metric', 'metrics')));
    if (metrics.length === 0) {
      throw new AppError(
        'NO_METRIC_COLUMNS',
        'no numeric metric columns auto-detected',
        numericColumns.length > 0
          ? `Name the metric columns yourself, from: ${numericColumns.join(', ')}.`
          : 'Analyse records only, to rank segments by records alone.',
        numericColumns.length > 0 ? ['metrics'] : ['countOnly'],
      );
    }
    if (!metricsAuto) {
      for (const m of metrics) {
        const col = profile.columns.find((c) => c.name === m)!;
        if (col.type !== 'number') {
          throw new AppError(
            'NON_NUMERIC_METRIC',
            `metric column '${m}' is not numeric: ${col.numeric} of ${col.filled} sampled values read as numbers`,
            numericColumns.length > 0
              ? `Pick numeric columns for metrics: ${numericColumns.join(', ')}`
              : 'The table has no numeric columns; analyse records only.',
            numericColumns.length > 0 ? ['metrics'] : ['metrics', 'countOnly'],
          );
        }
      }
    }
  }

  let rankBy = 'count';
  if (options.rankBy.trim().toLowerCase() !== 'count') {
    if (options.countOnly)
      throw new AppError(
        'BAD_ARGUMENT',
        `a records-only analysis ranks by count only (asked to rank by '${options.rankBy}')`,
        'Rank by count, or turn records-only off and name the metrics.',
        ['rankBy', 'countOnly'],
      );
    try {
      rankBy = resolveColumn(options.rankBy, metrics, 'rank-by', 'rankBy');
    } catch {
      throw new AppError(
        'UNKNOWN_COLUMN',
        `rank-by '${options.rankBy}' is not one of the metrics. Available: count, ${metrics.join(', ')}`,
        'Rank by record count (count) or by one of the metrics you analyse.',
        ['rankBy'],
      );
    }
  }
  if (options.countOnly && options.percentiles.length > 0)
    throw new AppError(
      'BAD_ARGUMENT',
      'percentiles need metrics; they cannot go with a records-only analysis',
      'Drop the percentiles, or turn records-only off.',
      ['percentiles', 'countOnly'],
    );

  const where = options.where.map((w) => ({ column: resolveColumn(w.column, names, 'filter', 'where'), value: w.value.trim() }));
  const nameLike = groupBy.filter(isNameLike);

  return {
    groupBy,
    groupByAuto,
    metrics,
    metricsAuto,
    rankBy,
    agg: options.agg,
    where,
    whereIgnoreCase: options.whereIgnoreCase,
    top: options.top,
    minRecords: options.minRecords,
    countOnly: options.countOnly,
    percentiles: dedupe(options.percentiles.map(String)).map(Number),
    normalizeTextGroups: options.normalizeTextGroups,
    normalized: options.normalizeTextGroups ? nameLike : [],
    wordColumns: options.wordFreq ? nameLike : [],
    excludeBlankGroups: options.excludeBlankGroups,
    topInsights: options.topInsights,
    opportunityMinRecords: options.opportunityMinRecords,
    alertTop5Share: options.alertTop5Share,
    alertBlankShare: options.alertBlankShare,
    alertRules: options.alertRules,
    period: options.period ? resolvePeriod(options.period, names, groupBy) : null,
    profile: options.profile,
  };
}

function dedupe<T>(values: T[]): T[] {
  return [...new Set(values)];
}

import { Command, Option } from 'commander';
import {
  AnalyzeOptionsSchema,
  METRIC_AGGREGATIONS,
  OUTPUT_FORMATS,
  parseAlertRules,
  parseList,
  parsePercentiles,
  parseWhere,
  type AnalyzeOptions,
  type MetricAggregation,
  type PeriodOptions,
} from '../../../src-shared/analyze-options';
import { AppError } from '../../../src-shared/errors';
import { PERIOD_PRESETS, TIME_GRAINS, todayUtc, type PeriodPreset, type TimeGrain } from '../../../src-shared/periods';
import { DATE_HINT, parseFlagValues, WINDOW_HINT, wholeNumber } from './args';
import { addSourceFlags, type SourceFlags } from './source-flags';
import { applyProfile, findProfile, readProfilesFile, type ProfileField } from '../../services/profiles';

/** The flags of `analyze`, `analyze-period` and `analyze-validate` (the seed's names and defaults). */
export interface AnalyzeFlags extends SourceFlags {
  profile?: string;
  profileConfig?: string;
  groupBy?: string;
  autoGroupK: string;
  metrics?: string;
  countOnly?: boolean;
  agg: string;
  percentiles?: string;
  normalizeTextGroups?: boolean;
  wordFreq?: boolean;
  dateColumn?: string;
  timeGrain?: string;
  period?: string;
  anchorDate?: string;
  currentStart?: string;
  currentEnd?: string;
  previousStart?: string;
  previousEnd?: string;
  where?: string;
  excludeBlankGroups?: boolean;
  rankBy: string;
  top: string;
  topInsights: string;
  opportunityMinRecords: string;
  minRecords: string;
  alertTop5Share?: string;
  alertBlankShare?: string;
  alertRule?: string;
  outputFormat: string;
  out?: string;
}

export function addAnalyzeFlags(cmd: Command, withOutput: boolean): Command {
  addSourceFlags(cmd)
    .option('--profile <name>', 'fill unset options from a profile: exec, segment, supplier, or one in --profile-config')
    .option('--profile-config <toml>', 'TOML file with [profiles.<name>] tables')
    .option('--group-by <cols>', 'comma-separated group columns (default: auto-detected)')
    .option('--auto-group-k <n>', 'at most this many auto-detected group columns', '5')
    .option('--metrics <cols>', 'comma-separated numeric metric columns (default: auto-detected, at most 3)')
    .option('--count-only', 'records only, no metrics')
    .addOption(new Option('--agg <how>', 'per-segment metric aggregation').choices([...METRIC_AGGREGATIONS]).default('sum'))
    .option('--percentiles <list>', 'extra per-segment percentile columns, e.g. p50,p90')
    .option('--normalize-text-groups', 'lowercase and strip punctuation in group columns named like *name* or *title*')
    .option('--word-freq', 'top words of the name/title group columns')
    .option('--date-column <col>', 'date column of the period comparison (any period flag turns it on)')
    .addOption(new Option('--time-grain <grain>', 'period length (default month)').choices([...TIME_GRAINS]))
    .addOption(new Option('--period <which>', 'current: the period holding the anchor; previous/last: the one before (default last)').choices([...PERIOD_PRESETS]))
    .option('--anchor-date <YYYY-MM-DD>', 'date the periods are counted from (default today, UTC)')
    .option('--current-start <YYYY-MM-DD>', 'explicit current window start (with the three others)')
    .option('--current-end <YYYY-MM-DD>', 'explicit current window end')
    .option('--previous-start <YYYY-MM-DD>', 'explicit previous window start')
    .option('--previous-end <YYYY-MM-DD>', 'explicit previous window end')
    .option('--where <filters>', 'keep rows where col=value (comma-separated, all must hold)')
    .option('--exclude-blank-groups', 'leave out rows whose every group value is blank')
    .option('--rank-by <metric>', "rank segments by this metric, or 'count'", 'count')
    .option('--top <n>', 'rows in the Top Groups table', '20')
    .option('--top-insights <n>', 'number of Risk and Opportunity lines (0: none)', '0')
    .option('--opportunity-min-records <n>', 'records an opportunity segment needs', '2')
    .option('--min-records <n>', 'drop segments with fewer records', '1')
    .option('--alert-top5-share <pct>', 'alert when the top-5 record share reaches this percent')
    .option('--alert-blank-share <pct>', 'alert when the blank-group share reaches this percent')
    .option('--alert-rule <rules>', 'alert rules metric<op>number, e.g. top5_share>=60,segments<10');
  if (withOutput) {
    cmd
      .addOption(new Option('--output-format <fmt>', 'what to write').choices([...OUTPUT_FORMATS]).default('both'))
      .option('--out <file>', 'output path (default: artifacts/analyze_<input>.md|.json|.html)');
  }
  return cmd;
}

function percent(flag: string, text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) {
    throw new AppError('BAD_ARGUMENT', `${flag} must be a number (a percent), got '${text}'`, `Give a percent from 0 to 100 without the % sign, e.g. ${flag} 60.`);
  }
  return n;
}

function badArgument<T>(fn: () => T, hint: string): T {
  try {
    return fn();
  } catch (err) {
    throw new AppError('BAD_ARGUMENT', (err as Error).message, hint);
  }
}

function periodFromFlags(f: AnalyzeFlags): PeriodOptions | null {
  const explicit = [f.currentStart, f.currentEnd, f.previousStart, f.previousEnd];
  const derived = [f.timeGrain, f.period, f.anchorDate];
  const anyExplicit = explicit.some((v) => v !== undefined);
  const anyDerived = derived.some((v) => v !== undefined);
  if (!anyExplicit && !anyDerived && f.dateColumn === undefined) return null;
  if (!f.dateColumn) throw new AppError('BAD_ARGUMENT', 'period comparison needs --date-column', 'Name the date column, e.g. --date-column order_date.');
  if (anyExplicit && anyDerived) {
    throw new AppError('BAD_ARGUMENT', 'use either explicit windows (--current-start/--current-end/--previous-start/--previous-end) or derived windows (--time-grain/--period/--anchor-date), not both', WINDOW_HINT);
  }
  if (anyExplicit) {
    if (explicit.some((v) => v === undefined)) throw new AppError('BAD_ARGUMENT', 'explicit windows need all four of --current-start, --current-end, --previous-start, --previous-end', WINDOW_HINT);
    return { mode: 'explicit', dateColumn: f.dateColumn, current: { start: f.currentStart!, end: f.currentEnd! }, previous: { start: f.previousStart!, end: f.previousEnd! } };
  }
  return { mode: 'derived', dateColumn: f.dateColumn, grain: (f.timeGrain ?? 'month') as TimeGrain, preset: (f.period ?? 'last') as PeriodPreset, anchorDate: f.anchorDate ?? todayUtc() };
}

const FIELD_FLAGS: Record<ProfileField, string> = {
  groupBy: 'groupBy',
  metrics: 'metrics',
  where: 'where',
  rankBy: 'rankBy',
  top: 'top',
  minRecords: 'minRecords',
  autoGroupK: 'autoGroupK',
};

/** Flags -> AnalyzeOptions; a profile fills what the command line did not give. */
export async function analyzeOptionsFromFlags(f: AnalyzeFlags, cmd: Command): Promise<AnalyzeOptions> {
  for (const d of [f.anchorDate, f.currentStart, f.currentEnd, f.previousStart, f.previousEnd]) {
    if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new AppError('BAD_ARGUMENT', `invalid date '${d}'; expected YYYY-MM-DD`, DATE_HINT);
  }
  const options = parseFlagValues(AnalyzeOptionsSchema, {
    groupBy: parseList(f.groupBy),
    metrics: parseList(f.metrics),
    rankBy: f.rankBy.trim() || 'count',
    agg: f.agg as MetricAggregation,
    where: badArgument(() => parseWhere(f.where ?? ''), 'Write filters as col=value pairs separated by commas, e.g. --where region=EU,channel=Direct.'),
    top: wholeNumber('--top', f.top, 1),
    minRecords: wholeNumber('--min-records', f.minRecords, 1),
    autoGroupK: wholeNumber('--auto-group-k', f.autoGroupK, 1, 20),
    countOnly: f.countOnly === true,
    percentiles: badArgument(() => parsePercentiles(f.percentiles ?? ''), 'List percentiles from p0 to p100, e.g. --percentiles p50,p90.'),
    normalizeTextGroups: f.normalizeTextGroups === true,
    wordFreq: f.wordFreq === true,
    excludeBlankGroups: f.excludeBlankGroups === true,
    topInsights: wholeNumber('--top-insights', f.topInsights, 0),
    opportunityMinRecords: wholeNumber('--opportunity-min-records', f.opportunityMinRecords, 1),
    alertTop5Share: percent('--alert-top5-share', f.alertTop5Share),
    alertBlankShare: percent('--alert-blank-share', f.alertBlankShare),
    alertRules: badArgument(() => parseAlertRules(f.alertRule ?? ''), 'Write rules as metric<op>number on top5_share, blank_share, segments or records, e.g. --alert-rule "top5_share>=60,segments<10".'),
    period: periodFromFlags(f),
  }, { autoGroupK: '--auto-group-k', rankBy: '--rank-by', groupBy: '--group-by', metrics: '--metrics', percentiles: '--percentiles' });
  if (f.profileConfig && !f.profile) throw new AppError('BAD_ARGUMENT', '--profile-config needs --profile to say which profile to use', 'Add --profile <name> with the name of a [profiles.<name>] table of that file.');
  if (!f.profile) return options;
  const fromFile = f.profileConfig ? await readProfilesFile(f.profileConfig) : {};
  const given = new Set<ProfileField>(
    (Object.keys(FIELD_FLAGS) as ProfileField[]).filter((field) => cmd.getOptionValueSource(FIELD_FLAGS[field]) === 'cli'),
  );
  return applyProfile(options, findProfile(f.profile, fromFile), given, f.profile);
}

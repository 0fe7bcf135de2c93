import path from 'node:path';
import { AnalyzeOptionsSchema, parseAlertRules, parsePercentiles, parseWhere } from '../../src-shared/analyze-options';
import { formatCount } from '../../src-shared/format';
import { AppError } from '../../src-shared/errors';
import { renderAnalyze } from '../artifacts/output';
import { defineAnalysis, type CommandSurface } from './definition';
import { written } from './parse-flag';

function percent(text: string | true, flag: string): number {
  const n = Number(text);
  if (text === true || text.trim() === '' || !Number.isFinite(n)) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${flag} must be a number (a percent), got '${String(text)}'`,
      `Give a percent from 0 to 100 without the % sign, e.g. ${flag} 60.`,
    );
  }
  return n;
}

/** analyze_<stem>, with no second "analyze_" when the file's name already has it. */
const baseName = (input: string) => {
  const stem = path.parse(input).name;
  return stem.toLowerCase().startsWith('analyze_') ? stem : `analyze_${stem}`;
};

export const analyze = defineAnalysis({
  command: 'analyze',
  aliases: ['analyze-period'],
  runKind: 'analyze',
  summary: 'Rank the segments of a table: records, record share and metrics per group (alias: analyze-period)',
  inputs: [{ role: 'input', flag: '--input', table: true, required: true, help: 'CSV or TSV file to analyse' }],
  options: AnalyzeOptionsSchema,
  profiles: true,
  flags: [
    { key: 'groupBy', flag: '--group-by <cols>', help: 'comma-separated group columns (default: auto-detected)' },
    { key: 'autoGroupK', flag: '--auto-group-k <n>', help: 'at most this many auto-detected group columns' },
    { key: 'metrics', flag: '--metrics <cols>', help: 'comma-separated numeric metric columns (default: auto-detected, at most 3)' },
    { key: 'countOnly', flag: '--count-only', help: 'records only, no metrics' },
    { key: 'agg', flag: '--agg <how>', help: 'per-segment metric aggregation' },
    {
      key: 'percentiles',
      flag: '--percentiles <list>',
      help: 'extra per-segment percentile columns, e.g. p50,p90',
      parse: (t) => written(() => parsePercentiles(String(t)), 'percentiles', 'List percentiles from p0 to p100, e.g. p50,p90.'),
    },
    {
      key: 'normalizeTextGroups',
      flag: '--normalize-text-groups',
      help: 'lowercase and strip punctuation in group columns named like *name* or *title*',
    },
    { key: 'wordFreq', flag: '--word-freq', help: 'top words of the name/title group columns' },
    { key: 'period', flag: 'period-options', help: 'the period comparison (any period flag turns it on)' },
    {
      key: 'where',
      flag: '--where <filters>',
      help: 'keep rows where col=value (comma-separated, all must hold)',
      parse: (t) =>
        written(
          () => parseWhere(String(t)),
          'where',
          'Write filters as col=value pairs separated by commas, e.g. region=EU,channel=Direct.',
        ),
    },
    { key: 'whereIgnoreCase', flag: '--where-ignore-case', help: 'filters match values ignoring case (eu keeps EU rows)' },
    { key: 'excludeBlankGroups', flag: '--exclude-blank-groups', help: 'leave out rows whose every group value is blank' },
    {
      key: 'rankBy',
      flag: '--rank-by <metric>',
      help: "rank segments by this metric, or 'count'",
      parse: (t) => String(t).trim() || 'count',
    },
    { key: 'top', flag: '--top <n>', help: 'rows in the Top Groups table' },
    { key: 'topInsights', flag: '--top-insights <n>', help: 'number of Risk and Opportunity lines (0: none)' },
    { key: 'opportunityMinRecords', flag: '--opportunity-min-records <n>', help: 'records an opportunity segment needs' },
    { key: 'minRecords', flag: '--min-records <n>', help: 'drop segments with fewer records' },
    {
      key: 'alertTop5Share',
      flag: '--alert-top5-share <pct>',
      help: 'alert when the top-5 record share reaches this percent',
      parse: percent,
    },
    {
      key: 'alertBlankShare',
      flag: '--alert-blank-share <pct>',
      help: 'alert when the blank-group share reaches this percent',
      parse: percent,
    },
    {
      key: 'alertRules',
      flag: '--alert-rule <rules>',
      help: 'alert rules metric<op>number, e.g. top5_share>=60,segments<10',
      parse: (t) =>
        written(
          () => parseAlertRules(String(t)),
          'alertRules',
          'Write rules as metric<op>number on top5_share, blank_share, segments or records, e.g. "top5_share>=60,segments<10".',
        ),
    },
  ],
  examples: [
    'factorlens analyze --input data/factorlens_demo_sales.csv --group-by region,channel \\\n    --metrics revenue_usd,cost_usd,orders --rank-by revenue_usd',
    'factorlens analyze --input data/factorlens_demo_sales_150.csv --group-by region,order_date \\\n    --metrics revenue_usd --date-column order_date --time-grain month --period current --anchor-date 2026-03-15',
  ],
  job: (inputs, options, context) => {
    // A Postgres source is labelled by the engine (server and database) unless the host names it.
    const label = context.labels.input ?? (inputs.input?.kind === 'file' ? inputs.input.path : undefined);
    return { kind: 'analyze', request: { source: inputs.input!, options }, ...(label ? { inputLabel: label } : {}) };
  },
  title: (a, context) => `${context.names.input ?? path.basename(a.input)} by ${a.group_by.join(', ')}`,
  render: { md: (a) => renderAnalyze(a, 'md'), html: (a) => renderAnalyze(a, 'html'), json: (a) => renderAnalyze(a, 'json') },
  prefix: 'analyze',
  fileName: (a, format) => `${baseName(a.input)}.${format}`,
  report: (a, files) =>
    [
      `Analysis of ${a.input}: ${formatCount(a.records)} records in ${formatCount(a.segments)} segments`,
      `Groups: ${a.group_by.join(', ')}${a.group_by_auto ? ' (auto-detected)' : ''}`,
      `Metrics: ${a.count_only ? 'none (count only)' : a.metrics.join(', ') + (a.metrics_auto ? ' (auto-detected)' : '')}`,
      ...(a.warnings ?? []).map((w) => `Warning: ${w}`),
      ...a.alerts.map((alert) => `ALERT: ${alert.replaceAll('`', '')}`),
      `Written:\n${files.map((w) => `- ${w}`).join('\n')}`,
      '',
    ].join('\n'),
});

/** analyze-validate: analyze's inputs, options and flags, checked against the input; writes nothing. */
export const validate = {
  ...analyze,
  command: 'analyze-validate',
  aliases: [],
  summary: 'Check every analyze option against the input; print what analyze would use; write nothing',
  examples: [
    'factorlens analyze-validate --input data/factorlens_demo_sales.csv --profile exec',
    'factorlens analyze-validate --input data/factorlens_demo_sales_150.csv --date-column order_date --anchor-date 2026-03-15',
  ],
} satisfies CommandSurface;

import { Command, Option } from 'commander';
import { AnalyzeOptionsSchema, METRIC_AGGREGATIONS, OUTPUT_FORMATS, parseList, parseWhere, type AnalyzeOptions, type OutputFormat } from '../../../src-shared/analyze-options';
import { AppError } from '../../../src-shared/errors';
import { formatCount } from '../../../src-shared/format';
import { analyzeOutputPaths, writeAnalyzeOutputs } from '../../services/artifacts/output';
import { inspectCsv } from '../../services/sources/csv';
import type { JobRunner } from '../../services/jobs/job-runner';
import { progressReporter } from './progress';

interface AnalyzeFlags {
  input: string;
  groupBy?: string;
  metrics?: string;
  rankBy?: string;
  agg: string;
  where?: string;
  top: string;
  minRecords: string;
  outputFormat: string;
  out?: string;
}

function positiveInt(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new AppError('BAD_ARGUMENT', `${flag} must be a whole number of at least 1 (got '${text}')`);
  return n;
}

/** Flags -> AnalyzeOptions, with the seed's flag names and defaults. */
export function analyzeOptionsFromFlags(flags: AnalyzeFlags): AnalyzeOptions {
  let where;
  try {
    where = parseWhere(flags.where ?? '');
  } catch (err) {
    throw new AppError('BAD_ARGUMENT', (err as Error).message, 'Write filters as --where col=value,col2=value2');
  }
  return AnalyzeOptionsSchema.parse({
    groupBy: parseList(flags.groupBy),
    metrics: parseList(flags.metrics),
    rankBy: flags.rankBy?.trim() || 'count',
    agg: flags.agg,
    where,
    top: positiveInt('--top', flags.top),
    minRecords: positiveInt('--min-records', flags.minRecords),
  });
}

export function analyzeCommand(runner: () => JobRunner): Command {
  return new Command('analyze')
    .description('Rank the segments of a table: records, record share and metrics per group')
    .requiredOption('--input <file>', 'CSV or TSV file to analyse')
    .option('--group-by <cols>', 'comma-separated group columns (default: auto-detected)')
    .option('--metrics <cols>', 'comma-separated numeric metric columns (default: auto-detected, at most 3)')
    .option('--rank-by <metric>', "rank segments by this metric, or 'count'", 'count')
    .addOption(new Option('--agg <how>', 'per-segment metric aggregation').choices([...METRIC_AGGREGATIONS]).default('sum'))
    .option('--where <filters>', 'keep rows where col=value (comma-separated, all must hold)')
    .option('--top <n>', 'rows in the Top Groups table', '20')
    .option('--min-records <n>', 'drop segments with fewer records', '1')
    .addOption(new Option('--output-format <fmt>', 'what to write').choices([...OUTPUT_FORMATS]).default('both'))
    .option('--out <file>', 'output path (default: artifacts/analyze_<input>.md|.json|.html)')
    .addHelpText(
      'after',
      `
Example:
  factorlens analyze --input data/factorlens_demo_sales.csv --group-by region,channel \\
    --metrics revenue_usd,cost_usd,orders --rank-by revenue_usd`,
    )
    .action(async (flags: AnalyzeFlags) => {
      const options = analyzeOptionsFromFlags(flags);
      const table = await inspectCsv(flags.input);
      const paths = analyzeOutputPaths(table.stem, flags.outputFormat as OutputFormat, flags.out);
      const progress = progressReporter();
      const job = runner().start({ kind: 'analyze', request: { source: { kind: 'file', path: flags.input }, options }, inputLabel: flags.input }, progress.update);
      let artifact;
      try {
        artifact = await job.result;
      } finally {
        progress.done();
      }
      const written = await writeAnalyzeOutputs(artifact, paths);
      const out = process.stdout;
      out.write(`Analysis of ${flags.input}: ${formatCount(artifact.records)} records in ${formatCount(artifact.segments)} segments\n`);
      out.write(`Groups: ${artifact.group_by.join(', ')}${artifact.group_by_auto ? ' (auto-detected)' : ''}\n`);
      out.write(`Metrics: ${artifact.metrics.join(', ')}${artifact.metrics_auto ? ' (auto-detected)' : ''}\n`);
      out.write(`Written:\n${written.map((w) => `- ${w}`).join('\n')}\n`);
    });
}

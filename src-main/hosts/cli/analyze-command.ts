import { Command } from 'commander';
import type { OutputFormat } from '../../../src-shared/analyze-options';
import { formatCount } from '../../../src-shared/format';
import { analyzeOutputPaths, writeAnalyzeOutputs } from '../../artifacts/output';
import { inspectCsv } from '../../sources/csv';
import type { JobRunner } from '../../process/job-runner';
import { addAnalyzeFlags, analyzeOptionsFromFlags, type AnalyzeFlags } from './analyze-flags';
import { progressReporter } from './progress';
import { sourceFromFlags, sourceStem } from './source-flags';

export function analyzeCommand(runner: () => JobRunner): Command {
  const cmd = new Command('analyze')
    .alias('analyze-period')
    .description('Rank the segments of a table: records, record share and metrics per group (alias: analyze-period)');
  addAnalyzeFlags(cmd, true).addHelpText(
    'after',
    `
Examples:
  factorlens analyze --input data/factorlens_demo_sales.csv --group-by region,channel \\
    --metrics revenue_usd,cost_usd,orders --rank-by revenue_usd
  factorlens analyze --input data/factorlens_demo_sales_150.csv --group-by region,order_date \\
    --metrics revenue_usd --date-column order_date --time-grain month --period current --anchor-date 2026-03-15`,
  );
  return cmd.action(async (flags: AnalyzeFlags, command: Command) => {
    const options = await analyzeOptionsFromFlags(flags, command);
    const source = sourceFromFlags(flags);
    // A file's header is checked here, before the engine starts, so a wrong path fails at once.
    const stem = source.kind === 'file' ? (await inspectCsv(source.path)).stem : sourceStem(source, flags);
    const paths = analyzeOutputPaths(stem, flags.outputFormat as OutputFormat, flags.out);
    const progress = progressReporter();
    const job = runner().start({ kind: 'analyze', request: { source, options }, ...(source.kind === 'file' ? { inputLabel: source.path } : {}) }, progress.update);
    let artifact;
    try {
      artifact = await job.result;
    } finally {
      progress.done();
    }
    const written = await writeAnalyzeOutputs(artifact, paths);
    const out = process.stdout;
    out.write(`Analysis of ${artifact.input}: ${formatCount(artifact.records)} records in ${formatCount(artifact.segments)} segments\n`);
    out.write(`Groups: ${artifact.group_by.join(', ')}${artifact.group_by_auto ? ' (auto-detected)' : ''}\n`);
    out.write(`Metrics: ${artifact.count_only ? 'none (count only)' : artifact.metrics.join(', ') + (artifact.metrics_auto ? ' (auto-detected)' : '')}\n`);
    for (const warning of artifact.warnings ?? []) out.write(`Warning: ${warning}\n`);
    for (const alert of artifact.alerts) out.write(`ALERT: ${alert.replaceAll('`', '')}\n`);
    out.write(`Written:\n${written.map((w) => `- ${w}`).join('\n')}\n`);
  });
}

export function validateCommand(): Command {
  const cmd = new Command('analyze-validate').description('Check every analyze option against the input; print what analyze would use; write nothing');
  addAnalyzeFlags(cmd, false);
  return cmd.action(async (flags: AnalyzeFlags, command: Command) => {
    const options = await analyzeOptionsFromFlags(flags, command);
    // Validation runs in this process (it only reads a sample and counts rows); the scan engine
    // is loaded here rather than at start-up so that `analyze` itself stays light.
    const { prepareAnalyze } = await import('../../engine/analyze/run');
    const { label, columns, notices, rows, resolved } = await prepareAnalyze({ source: sourceFromFlags(flags), options }, true);
    const p = resolved.period;
    const lines = [
      'Analyze validation: OK',
      `Input: ${label} (${formatCount(rows ?? 0)} rows)`,
      `Profile: ${options.profile ?? 'none'}`,
      `Groups: ${resolved.groupBy.join(', ')}${resolved.groupByAuto ? ' (auto-detected)' : ''}`,
      `Metrics: ${resolved.countOnly ? 'none (count only)' : resolved.metrics.join(', ') + (resolved.metricsAuto ? ' (auto-detected)' : '')}`,
      `Rank by: ${resolved.rankBy}`,
      `Aggregation: ${resolved.agg}`,
      `Percentiles: ${resolved.percentiles.length ? resolved.percentiles.map((x) => `p${x}`).join(', ') : 'none'}`,
      `Filters: ${resolved.where.length ? resolved.where.map((w) => `${w.column}=${w.value}`).join(' AND ') : 'none'}`,
      `Alert rules: ${resolved.alertRules.length}`,
      `Period compare: ${p ? `enabled on ${p.dateColumn}: current ${p.windows.current.start}..${p.windows.current.end}, previous ${p.windows.previous.start}..${p.windows.previous.end}` : 'disabled'}`,
      `Headers detected: ${columns.join(', ')}`,
      ...notices.map((n) => `Warning: ${n}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}

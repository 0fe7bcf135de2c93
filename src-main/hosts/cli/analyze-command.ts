import { Command } from 'commander';
import type { AnalyzeOptions } from '../../../src-shared/analyze-options';
import { formatCount } from '../../../src-shared/format';
import { validate } from '../../analyses/analyze';
import type { Inputs } from '../../analyses/definition';
import { addAnalysisFlags, addExamples, analysisFromFlags } from './analysis-command';

/** What analyze would use on this input, in lines (analyze-validate's output; the MCP server's too). */
export async function validationReport(inputs: Inputs, options: AnalyzeOptions): Promise<string> {
  // Validation runs in this process (it only reads a sample and counts rows); the scan engine
  // is loaded here rather than at start-up so that `analyze` itself stays light.
  const { prepareAnalyze } = await import('../../engine/analyze/run');
  const { label, columns, notices, rows, resolved } = await prepareAnalyze({ source: inputs.input!, options }, true);
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
    `Filters: ${resolved.where.length ? resolved.where.map((w) => `${w.column}=${w.value}`).join(' AND ') + (resolved.whereIgnoreCase ? ' (ignoring case)' : '') : 'none'}`,
    `Alert rules: ${resolved.alertRules.length}`,
    `Period compare: ${p ? `enabled on ${p.dateColumn}: current ${p.windows.current.start}..${p.windows.current.end}, previous ${p.windows.previous.start}..${p.windows.previous.end}` : 'disabled'}`,
    `Headers detected: ${columns.join(', ')}`,
    ...notices.map((n) => `Warning: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `analyze-validate`: analyze's inputs and options, checked against the input; prints what analyze would use and writes nothing. */
export function validateCommand(): Command {
  const cmd = addAnalysisFlags(new Command(validate.command).description(validate.summary), validate);
  addExamples(cmd, validate.examples);
  return cmd.action(async (flags, command: Command) => {
    const { inputs, options: parsed } = await analysisFromFlags(validate, flags, command);
    const options = parsed as AnalyzeOptions;
    process.stdout.write(await validationReport(inputs, options));
  });
}

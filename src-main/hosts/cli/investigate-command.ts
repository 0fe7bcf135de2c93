import { Command, Option } from 'commander';
import path from 'node:path';
import { parseList } from '../../../src-shared/analyze-syntax';
import { AppError } from '../../../src-shared/errors';
import { outputPaths, writeRenderings } from '../../artifacts/output';
import { investigateConsole, investigateHtml, investigateMarkdown } from '../../artifacts/render-investigate';
import type { JobRunner } from '../../process/job-runner';
import { wholeNumber } from './args';
import { addPeriodFlags, windowsFromFlags, type PeriodFlags } from './drivers-command';
import { progressReporter } from './progress';
import { addSourceFlags, sourceFromFlags, sourceStem, type SourceFlags } from './source-flags';

interface InvestigateFlags extends PeriodFlags, SourceFlags {
  metric: string;
  drivers?: string;
  driverInclude?: string;
  driverExclude?: string;
  driverPreset?: 'id' | 'amount' | 'category' | 'mixed';
  autoDrivers: 'deterministic' | 'numeric-corr';
  dedupDrivers: string;
  driverContrib: 'percent' | 'amount' | 'both';
  topDrivers: string;
  maxIdDrivers: string;
  maxCatDrivers: string;
  maxNumDrivers: string;
  dateColumn?: string;
  outputFormat: 'md' | 'json' | 'both' | 'html';
  out?: string;
}

export function investigateCommand(runner: () => JobRunner): Command {
  const cmd = new Command('analyze-investigate')
    .description('Decompose a metric change between two periods onto driver aggregates (regression with diagnostics, or a labelled heuristic)')
    .requiredOption('--metric <col>', 'the metric to explain')
    .option('--drivers <exprs>', 'driver expressions: sum(col), avg(col), count(col), count(*), count_distinct(col), or a bare column (a sum)')
    .option('--driver-include <list>', 'keep only these drivers (label or column)')
    .option('--driver-exclude <list>', 'drop these drivers (label or column)')
    .addOption(new Option('--driver-preset <preset>', 'automatic drivers: id, amount, category or mixed').choices(['id', 'amount', 'category', 'mixed']).conflicts('drivers'))
    .addOption(new Option('--auto-drivers <how>', 'automatic selection without a preset').choices(['deterministic', 'numeric-corr']).default('deterministic'))
    .addOption(new Option('--dedup-drivers <bool>', 'skip a numeric driver 95%+ correlated with one already chosen').choices(['true', 'false']).default('true'))
    .addOption(new Option('--driver-contrib <view>', 'what each driver line shows').choices(['percent', 'amount', 'both']).default('percent'))
    .option('--top-drivers <n>', 'drivers to keep', '3')
    .option('--max-id-drivers <n>', 'id-like drivers at most', '3')
    .option('--max-cat-drivers <n>', 'categorical drivers at most', '2')
    .option('--max-num-drivers <n>', 'numeric drivers at most', '2')
    .option('--date-column <col>', 'date column (default: auto-detected)');
  return addPeriodFlags(addSourceFlags(cmd, 'CSV or TSV file'))
    .addOption(new Option('--output-format <fmt>', 'what to write').choices(['md', 'json', 'both', 'html']).default('both'))
    .option('--out <file>', 'output path (default: artifacts/investigate_<input>.md|.json)')
    .action(async (f: InvestigateFlags, cmd: Command) => {
      const derivedGiven = ['timeGrain', 'period', 'anchorDate'].some((k) => cmd.getOptionValueSource(k) === 'cli');
      const topDrivers = wholeNumber('--top-drivers', f.topDrivers, 1);
      const source = sourceFromFlags(f);
      const request = {
        input: source.kind === 'file' ? source.path : 'query',
        source,
        metric: f.metric,
        dateColumn: f.dateColumn ?? null,
        windows: windowsFromFlags(f, derivedGiven),
        drivers: f.drivers ? splitExprs(f.drivers) : [],
        include: parseList(f.driverInclude),
        exclude: parseList(f.driverExclude),
        select: {
          preset: f.driverPreset ?? null,
          auto: f.autoDrivers,
          dedup: f.dedupDrivers === 'true',
          topDrivers,
          maxId: wholeNumber('--max-id-drivers', f.maxIdDrivers, 0),
          maxCat: wholeNumber('--max-cat-drivers', f.maxCatDrivers, 0),
          maxNum: wholeNumber('--max-num-drivers', f.maxNumDrivers, 0),
        },
        contributionView: f.driverContrib,
      };
      const progress = progressReporter();
      let a;
      try {
        a = await runner().start({ kind: 'investigate', request }, progress.update).result;
      } finally {
        progress.done();
      }
      const written = await writeRenderings(outputPaths(path.join('artifacts', `investigate_${sourceStem(source, f)}`), f.outputFormat, f.out), (format) =>
        format === 'md' ? investigateMarkdown(a) : format === 'html' ? investigateHtml(a) : `${JSON.stringify(a, null, 2)}\n`,
      );
      process.stdout.write(investigateConsole(a, written));
    });
}

/** Splits "sum(a),avg(b),count(*)" on the commas outside parentheses. */
function splitExprs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  if (depth !== 0) throw new AppError('BAD_ARGUMENT', `unbalanced parentheses in --drivers '${text}'`, 'Close every parenthesis, e.g. --drivers "sum(orders),avg(price),count(*)".');
  return out;
}

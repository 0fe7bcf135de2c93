import { Command, Option } from 'commander';
import path from 'node:path';
import { DECOMPOSITION_METHODS, type DecompositionMethod } from '../../../src-shared/artifacts/drivers';
import { AppError } from '../../../src-shared/errors';
import { deriveWindows, PERIOD_PRESETS, TIME_GRAINS, todayUtc, type PeriodPreset, type TimeGrain, type Windows } from '../../../src-shared/periods';
import { outputPaths, writeRenderings } from '../../artifacts/output';
import { driversConsole, driversHtml, driversMarkdown } from '../../artifacts/render-drivers';
import type { JobRunner } from '../../process/job-runner';
import { DATE_HINT, WINDOW_HINT } from './args';
import { progressReporter } from './progress';
import { addSourceFlags, sourceFromFlags, sourceStem, type SourceFlags } from './source-flags';

/** The values of addPeriodFlags. */
export interface PeriodFlags {
  timeGrain: string;
  period: string;
  anchorDate?: string;
  currentStart?: string;
  currentEnd?: string;
  previousStart?: string;
  previousEnd?: string;
}

interface DriversFlags extends PeriodFlags, SourceFlags {
  inputNew?: string;
  metric: string;
  dateColumn?: string;
  identity?: string;
  by?: string;
  method: DecompositionMethod;
  outputFormat: 'md' | 'json' | 'both' | 'html';
  out?: string;
}

/** The period flags of the commands that compare two windows (month, last and today by default). */
export function addPeriodFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--time-grain <grain>', 'period length').choices([...TIME_GRAINS]).default('month'))
    .addOption(new Option('--period <which>', 'current: the period holding the anchor; previous/last: the one before').choices([...PERIOD_PRESETS]).default('last'))
    .option('--anchor-date <YYYY-MM-DD>', 'date the periods are counted from (default today, UTC)')
    .option('--current-start <YYYY-MM-DD>', 'explicit current window start (with the three others)')
    .option('--current-end <YYYY-MM-DD>', 'explicit current window end')
    .option('--previous-start <YYYY-MM-DD>', 'explicit previous window start')
    .option('--previous-end <YYYY-MM-DD>', 'explicit previous window end');
}

/** One window rule for every command: explicit windows, or grain + preset + anchor (default month, last, today). */
export function windowsFromFlags(f: PeriodFlags, derivedGiven: boolean): Windows {
  const explicit = [f.currentStart, f.currentEnd, f.previousStart, f.previousEnd];
  for (const d of [f.anchorDate, ...explicit]) if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new AppError('BAD_ARGUMENT', `invalid date '${d}'; expected YYYY-MM-DD`, DATE_HINT);
  if (explicit.some((v) => v !== undefined)) {
    if (derivedGiven) throw new AppError('BAD_ARGUMENT', 'use either explicit windows (--current-start/--current-end/--previous-start/--previous-end) or derived windows (--time-grain/--period/--anchor-date), not both', WINDOW_HINT);
    if (explicit.some((v) => v === undefined)) throw new AppError('BAD_ARGUMENT', 'explicit windows need all four of --current-start, --current-end, --previous-start, --previous-end', WINDOW_HINT);
    return { current: { start: f.currentStart!, end: f.currentEnd! }, previous: { start: f.previousStart!, end: f.previousEnd! } };
  }
  try {
    return deriveWindows(f.timeGrain as TimeGrain, f.period as PeriodPreset, f.anchorDate ?? todayUtc());
  } catch (err) {
    throw new AppError('BAD_ARGUMENT', (err as Error).message, DATE_HINT);
  }
}

export function driversCommand(runner: () => JobRunner): Command {
  const cmd = new Command('analyze-drivers')
    .description("Explain a metric's change by the drivers of its identity (revenue = orders * price), with an exact closure and where the residual lives")
    .option('--input-new <file>', 'the new snapshot (two-file mode; same columns as --input)')
    .requiredOption('--metric <col>', 'the metric to explain')
    .option('--by <col>', 'add a mix/rate bridge by this dimension (volume, mix and rate effects per segment)')
    .option('--identity <expr>', 'state the identity instead of inferring it, e.g. "revenue_usd = orders * avg_price_usd"')
    .addOption(new Option('--method <m>', 'lmdi (exact, log-mean Divisia), shapley (exact, average over orders), seed (the original tool’s log-share split)').choices([...DECOMPOSITION_METHODS]).default('lmdi'))
    .option('--date-column <col>', 'date column (period mode; required without --input-new)');
  return addPeriodFlags(addSourceFlags(cmd, 'CSV or TSV file (both periods, or the base snapshot with --input-new)'))
    .addOption(new Option('--output-format <fmt>', 'what to write').choices(['md', 'json', 'both', 'html']).default('both'))
    .option('--out <file>', 'output path (default: artifacts/drivers_<input>.md|.json)')
    .addHelpText(
      'after',
      '\nExample:\n  factorlens analyze-drivers --input data/demo_revenue_residual.csv --metric revenue_usd \\\n    --date-column date --time-grain month --period last --anchor-date 2026-04-15 --method seed',
    )
    .action(async (f: DriversFlags, cmd: Command) => {
      const derivedGiven = ['timeGrain', 'period', 'anchorDate'].some((k) => cmd.getOptionValueSource(k) === 'cli');
      const source = sourceFromFlags(f);
      let period = null;
      if (!f.inputNew) {
        if (!f.dateColumn) throw new AppError('BAD_ARGUMENT', 'analyze-drivers needs --date-column (period mode) or --input-new (two files)', 'Name the date column, e.g. --date-column date.');
        period = { dateColumn: f.dateColumn, windows: windowsFromFlags(f, derivedGiven) };
      }
      const progress = progressReporter();
      let a;
      try {
        a = await runner().start({ kind: 'drivers', request: { input: source.kind === 'file' ? source.path : 'query', source, inputNew: f.inputNew ?? null, metric: f.metric, period, identity: f.identity ?? null, method: f.method, by: f.by ?? null } }, progress.update).result;
      } finally {
        progress.done();
      }
      const stem = sourceStem(source, f);
      const written = await writeRenderings(outputPaths(path.join('artifacts', `drivers_${stem}`), f.outputFormat, f.out), (format) =>
        format === 'md' ? driversMarkdown(a) : format === 'html' ? driversHtml(a) : `${JSON.stringify(a, null, 2)}\n`,
      );
      process.stdout.write(driversConsole(a, written));
    });
}

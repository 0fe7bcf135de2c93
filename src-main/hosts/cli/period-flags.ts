import { Command, Option } from 'commander';
import { AppError } from '../../../src-shared/errors';
import {
  deriveWindows,
  PERIOD_PRESETS,
  TIME_GRAINS,
  todayUtc,
  type PeriodPreset,
  type TimeGrain,
  type Windows,
} from '../../../src-shared/periods';
import type { PeriodOptions } from '../../../src-shared/analyze-options';
import { DATE_HINT, WINDOW_HINT } from './args';

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

/** The period flags of the commands that compare two windows (month, last and today by default). */
export function addPeriodFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--time-grain <grain>', 'period length').choices([...TIME_GRAINS]).default('month'))
    .addOption(
      new Option('--period <which>', 'current: the period holding the anchor; previous/last: the one before')
        .choices([...PERIOD_PRESETS])
        .default('last'),
    )
    .option('--anchor-date <YYYY-MM-DD>', 'date the periods are counted from (default today, UTC)')
    .option('--current-start <YYYY-MM-DD>', 'explicit current window start (with the three others)')
    .option('--current-end <YYYY-MM-DD>', 'explicit current window end')
    .option('--previous-start <YYYY-MM-DD>', 'explicit previous window start')
    .option('--previous-end <YYYY-MM-DD>', 'explicit previous window end');
}

/** One window rule for every command: explicit windows, or grain + preset + anchor (default month, last, today). */
export function windowsFromFlags(f: PeriodFlags, derivedGiven: boolean): Windows {
  const explicit = [f.currentStart, f.currentEnd, f.previousStart, f.previousEnd];
  for (const d of [f.anchorDate, ...explicit])
    if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d))
      throw new AppError('BAD_ARGUMENT', `invalid date '${d}'; expected YYYY-MM-DD`, DATE_HINT);
  if (explicit.some((v) => v !== undefined)) {
    if (derivedGiven)
      throw new AppError(
        'BAD_ARGUMENT',
        'use either explicit windows (--current-start/--current-end/--previous-start/--previous-end) or derived windows (--time-grain/--period/--anchor-date), not both',
        WINDOW_HINT,
      );
    if (explicit.some((v) => v === undefined))
      throw new AppError(
        'BAD_ARGUMENT',
        'explicit windows need all four of --current-start, --current-end, --previous-start, --previous-end',
        WINDOW_HINT,
      );
    return { current: { start: f.currentStart!, end: f.currentEnd! }, previous: { start: f.previousStart!, end: f.previousEnd! } };
  }
  try {
    return deriveWindows(f.timeGrain as TimeGrain, f.period as PeriodPreset, f.anchorDate ?? todayUtc());
  } catch (err) {
    throw new AppError('BAD_ARGUMENT', (err as Error).message, DATE_HINT);
  }
}

/** Analyze's period flags: the comparison is optional, so grain and preset show no default (month, last). */
export function addPeriodOptionFlags(cmd: Command): Command {
  return cmd
    .option('--date-column <col>', 'date column of the period comparison (any period flag turns it on)')
    .addOption(new Option('--time-grain <grain>', 'period length (default month)').choices([...TIME_GRAINS]))
    .addOption(
      new Option('--period <which>', 'current: the period holding the anchor; previous/last: the one before (default last)').choices([
        ...PERIOD_PRESETS,
      ]),
    )
    .option('--anchor-date <YYYY-MM-DD>', 'date the periods are counted from (default today, UTC)')
    .option('--current-start <YYYY-MM-DD>', 'explicit current window start (with the three others)')
    .option('--current-end <YYYY-MM-DD>', 'explicit current window end')
    .option('--previous-start <YYYY-MM-DD>', 'explicit previous window start')
    .option('--previous-end <YYYY-MM-DD>', 'explicit previous window end');
}

/** Analyze's comparison from its flags: none, derived windows (month, last, today by default) or four explicit dates. */
export function periodOptionsFromFlags(f: Partial<PeriodFlags> & { dateColumn?: string }): PeriodOptions | null {
  const explicit = [f.currentStart, f.currentEnd, f.previousStart, f.previousEnd];
  for (const d of [f.anchorDate, ...explicit])
    if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d))
      throw new AppError('BAD_ARGUMENT', `invalid date '${d}'; expected YYYY-MM-DD`, DATE_HINT);
  const anyExplicit = explicit.some((v) => v !== undefined);
  const anyDerived = [f.timeGrain, f.period, f.anchorDate].some((v) => v !== undefined);
  if (!anyExplicit && !anyDerived && f.dateColumn === undefined) return null;
  if (!f.dateColumn)
    throw new AppError('BAD_ARGUMENT', 'period comparison needs --date-column', 'Name the date column, e.g. --date-column order_date.');
  if (anyExplicit && anyDerived) {
    throw new AppError(
      'BAD_ARGUMENT',
      'use either explicit windows (--current-start/--current-end/--previous-start/--previous-end) or derived windows (--time-grain/--period/--anchor-date), not both',
      WINDOW_HINT,
    );
  }
  if (anyExplicit) {
    if (explicit.some((v) => v === undefined))
      throw new AppError(
        'BAD_ARGUMENT',
        'explicit windows need all four of --current-start, --current-end, --previous-start, --previous-end',
        WINDOW_HINT,
      );
    return {
      mode: 'explicit',
      dateColumn: f.dateColumn,
      current: { start: f.currentStart!, end: f.currentEnd! },
      previous: { start: f.previousStart!, end: f.previousEnd! },
    };
  }
  return {
    mode: 'derived',
    dateColumn: f.dateColumn,
    grain: (f.timeGrain ?? 'month') as TimeGrain,
    preset: (f.period ?? 'last') as PeriodPreset,
    anchorDate: f.anchorDate ?? todayUtc(),
  };
}

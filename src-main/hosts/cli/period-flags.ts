import { Command, Option } from 'commander';
import type { PeriodOptions } from '../../../src-shared/analyze-options';
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
import { DATE_HINT, WINDOW_HINT } from './args';

/** The values of the period flags (unset: not given; the defaults are month, last and today). */
export interface PeriodFlags {
  dateColumn?: string;
  timeGrain?: string;
  period?: string;
  anchorDate?: string;
  currentStart?: string;
  currentEnd?: string;
  previousStart?: string;
  previousEnd?: string;
}

/**
 * The period flags of every command that compares two windows. They carry no commander
 * defaults, so "given" means given; the defaults (month, last, today) are applied in one place,
 * periodFromFlags. Analyze's comparison is optional and takes its date column here too.
 */
export function addPeriodFlags(cmd: Command, withDateColumn = false): Command {
  if (withDateColumn) cmd.option('--date-column <col>', 'date column of the period comparison (any period flag turns it on)');
  return cmd
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

type PeriodRule =
  | { mode: 'explicit'; current: Windows['current']; previous: Windows['previous'] }
  | { mode: 'derived'; grain: TimeGrain; preset: PeriodPreset; anchorDate: string };

/** The one window rule: four explicit dates, or grain + preset + anchor (month, last, today when not given); never a mix. */
function periodFromFlags(f: PeriodFlags): PeriodRule {
  const explicit = [f.currentStart, f.currentEnd, f.previousStart, f.previousEnd];
  for (const d of [f.anchorDate, ...explicit]) {
    if (d !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(d))
      throw new AppError('BAD_ARGUMENT', `invalid date '${d}'; expected YYYY-MM-DD`, DATE_HINT);
  }
  const derivedGiven = [f.timeGrain, f.period, f.anchorDate].some((v) => v !== undefined);
  if (explicit.some((v) => v !== undefined)) {
    if (derivedGiven) {
      throw new AppError(
        'BAD_ARGUMENT',
        'use either explicit windows (--current-start/--current-end/--previous-start/--previous-end) or derived windows (--time-grain/--period/--anchor-date), not both',
        WINDOW_HINT,
      );
    }
    if (explicit.some((v) => v === undefined)) {
      throw new AppError(
        'BAD_ARGUMENT',
        'explicit windows need all four of --current-start, --current-end, --previous-start, --previous-end',
        WINDOW_HINT,
      );
    }
    return {
      mode: 'explicit',
      current: { start: f.currentStart!, end: f.currentEnd! },
      previous: { start: f.previousStart!, end: f.previousEnd! },
    };
  }
  return {
    mode: 'derived',
    grain: (f.timeGrain ?? 'month') as TimeGrain,
    preset: (f.period ?? 'last') as PeriodPreset,
    anchorDate: f.anchorDate ?? todayUtc(),
  };
}

/** The two windows of drivers and investigate. */
export function windowsFromFlags(f: PeriodFlags): Windows {
  const rule = periodFromFlags(f);
  if (rule.mode === 'explicit') return { current: rule.current, previous: rule.previous };
  try {
    return deriveWindows(rule.grain, rule.preset, rule.anchorDate);
  } catch (err) {
    throw new AppError('BAD_ARGUMENT', (err as Error).message, DATE_HINT);
  }
}

/** Analyze's optional comparison: none when no period flag is given, else its date column and the rule. */
export function periodOptionsFromFlags(f: PeriodFlags): PeriodOptions | null {
  const given = [f.dateColumn, f.timeGrain, f.period, f.anchorDate, f.currentStart, f.currentEnd, f.previousStart, f.previousEnd].some(
    (v) => v !== undefined,
  );
  if (!given) return null;
  const rule = periodFromFlags(f);
  if (!f.dateColumn)
    throw new AppError('BAD_ARGUMENT', 'period comparison needs --date-column', 'Name the date column, e.g. --date-column order_date.');
  return { ...rule, dateColumn: f.dateColumn };
}

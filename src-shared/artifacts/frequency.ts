import { formatCount } from '../format';

/**
 * How often a price history is sampled, read from its dates: the median gap between consecutive
 * dates, in calendar days. Daily data has gaps of 1 (3 over a weekend), weekly of 7, monthly of
 * 28 to 31, quarterly of about 91. A run says how long it is in these periods: "48 months".
 */
export const FREQUENCIES = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

const PERIOD = { daily: ['day', 'days'], weekly: ['week', 'weeks'], monthly: ['month', 'months'], quarterly: ['quarter', 'quarters'], yearly: ['year', 'years'] } as const;

/** Periods in a year, for anything annualised: trading days for daily data. */
export const PERIODS_PER_YEAR: Record<Frequency, number> = { daily: 252, weekly: 52, monthly: 12, quarterly: 4, yearly: 1 };

const dayNumber = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;

/** The frequency of ascending YYYY-MM-DD dates (daily when there are fewer than two). */
export function detectFrequency(dates: readonly string[]): Frequency {
  if (dates.length < 2) return 'daily';
  const gaps: number[] = [];
  for (let i = 1; i < dates.length; i++) gaps.push(dayNumber(dates[i]!) - dayNumber(dates[i - 1]!));
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  const median = gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
  if (median <= 4) return 'daily';
  if (median <= 10) return 'weekly';
  if (median <= 45) return 'monthly';
  if (median <= 135) return 'quarterly';
  return 'yearly';
}

/** "day" or "days", "month" or "months": the period of a frequency (daily for artifacts written before it was detected). */
export function periodWord(frequency: Frequency | undefined, n: number): string {
  const [one, many] = PERIOD[frequency ?? 'daily'];
  return n === 1 ? one : many;
}

/** "48 months", "1,250 days". */
export function periodCount(n: number, frequency: Frequency | undefined): string {
  return `${formatCount(n)} ${periodWord(frequency, n)}`;
}

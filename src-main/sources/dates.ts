/**
 * How a text cell reads as a calendar date: one rule, written once for DuckDB, for Postgres and
 * for JavaScript (the sample profile), so every engine reads every cell the same way.
 *
 * A cell is trimmed of spaces and lowercased, then read in the first of these forms that it
 * starts with (anything after the date that does not continue its last number is a time or a
 * zone and is ignored: `2026-01-07T10:00:00Z`, `01/07/2026 10:00`):
 * - year first: `2026-01-07`, `2026-1-7`, `2026/1/3`, `2026.01.07` (the same separator twice);
 * - day and month, then the year: `01/07/2026`, `02.01.2026`: which number is the day is the
 *   column's DayMonthOrder (see dayMonthOrder);
 * - a month name: `March 4 2026`, `Mar 4, 2026`, `Mar. 4th, 2026`, `4 March 2026`, `04-Mar-2026`;
 * - eight digits: `20260105` (read only where a date is asked for, never as a profile's date).
 * Years run from 0001 to 9999; a day that is not in its month (`2026-02-30`) is no date.
 */

/** Which of `01/07/2026`'s numbers is the month. */
export type DayMonthOrder = 'month-first' | 'day-first' | 'by-separator';

const YEAR = '([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])';
const MONTH_NAMES =
  'january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const END = '([^0-9]|$)';

/**
 * The forms, each as a test (anchored at the start) and a capture that rewrites the cell's start
 * to `Y-M-D|` (the rest after `|` is dropped). The patterns use only what RE2 (DuckDB), Postgres'
 * advanced regular expressions and JavaScript read alike: classes, groups, alternation, ^ and $.
 */
export const DATE_FORMS = {
  yearFirst: {
    test: `^${YEAR}(-[0-9]{1,2}-|/[0-9]{1,2}/|[.][0-9]{1,2}[.])[0-9]{1,2}${END}`,
    capture: `^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})`,
    to: '\\1-\\2-\\3|',
  },
  dayMonth: {
    test: `^[0-9]{1,2}(/[0-9]{1,2}/|[.][0-9]{1,2}[.])${YEAR}${END}`,
    capture: `^([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})`,
    monthFirst: '\\3-\\1-\\2|',
    dayFirst: '\\3-\\2-\\1|',
  },
  nameFirst: {
    test: `^(${MONTH_NAMES})[.]?[ -]+[0-9]{1,2}(st|nd|rd|th)?,?[ -]+${YEAR}${END}`,
    capture: `^([a-z]{3})[a-z]*[.]?[ -]+([0-9]{1,2})(st|nd|rd|th)?,?[ -]+([0-9]{4})`,
    to: '\\4-\\1-\\2|',
  },
  dayThenName: {
    test: `^[0-9]{1,2}(st|nd|rd|th)?[ -]+(${MONTH_NAMES})[.]?,?[ -]+${YEAR}${END}`,
    capture: `^([0-9]{1,2})(st|nd|rd|th)?[ -]+([a-z]{3})[a-z]*[.]?,?[ -]+([0-9]{4})`,
    to: '\\4-\\3-\\1|',
  },
  compact: {
    test: `^${YEAR}(0[1-9]|1[0-2])[0-9]{2}${END}`,
    capture: `^([0-9]{4})([0-9]{2})([0-9]{2})`,
    to: '\\1-\\2-\\3|',
  },
} as const;

/** The day/month form's separator that, with no proof either way, means month first. */
const MONTH_FIRST_SEPARATOR = '/';

/**
 * The order of a column's `01/07/2026` cells, from what its cells prove: a cell whose first
 * number is 13..31 (and second 1..12) can only be day first, one whose second number is can
 * only be month first. Proof of one order only decides; proof of both, or of neither, leaves
 * each cell to its separator: `/` month first (US), `.` day first (European).
 */
export function dayMonthOrder(proof: { dayFirst: boolean; monthFirst: boolean }): DayMonthOrder {
  if (proof.dayFirst && !proof.monthFirst) return 'day-first';
  if (proof.monthFirst && !proof.dayFirst) return 'month-first';
  return 'by-separator';
}

/** The order in words, for reports: how `01/07/2026` was read. */
export function describeOrder(order: DayMonthOrder): string {
  if (order === 'month-first') return 'month first (01/07/2026 is 7 January 2026)';
  if (order === 'day-first') return 'day first (01/07/2026 is 1 July 2026)';
  return 'by separator (01/07/2026 is 7 January, 01.07.2026 is 1 July)';
}

// ---------------------------------------------------------------- SQL

/** What the date rule needs from an SQL engine. */
export interface DateSqlFlavor {
  /** Whether `expr` matches the pattern (searched; the patterns are anchored). */
  matches(expr: string, pattern: string): string;
  /** `expr` with the first match of the pattern replaced (`\1` … in the replacement). */
  replace(expr: string, pattern: string, replacement: string): string;
  /** A `Y-M-D` text of digits as a DATE, NULL when that day does not exist. */
  fromYmd(text: string): string;
}

/** `YYYY-mar-D` to `YYYY-3-D` (the month-name forms). */
function monthNumbersSql(expr: string): string {
  return MONTHS.reduce((acc, name, i) => `replace(${acc}, '-${name}-', '-${i + 1}-')`, expr);
}

/** The dayMonth form in one order. */
function dayMonthSql(s: string, order: 'month-first' | 'day-first', f: DateSqlFlavor): string {
  return f.replace(s, DATE_FORMS.dayMonth.capture, order === 'month-first' ? DATE_FORMS.dayMonth.monthFirst : DATE_FORMS.dayMonth.dayFirst);
}

/**
 * The date of a text expression by the rule, or NULL. `s` must already be trimmed and lowercased
 * (see cellTextSql). Only the branch of the cell's form runs.
 */
export function textDateSql(s: string, order: DayMonthOrder, f: DateSqlFlavor, options: { compact: boolean } = { compact: true }): string {
  const F = DATE_FORMS;
  const dm =
    order === 'by-separator'
      ? `(CASE WHEN ${f.matches(s, `^[0-9]{1,2}${MONTH_FIRST_SEPARATOR}`)} THEN ${dayMonthSql(s, 'month-first', f)} ELSE ${dayMonthSql(s, 'day-first', f)} END)`
      : dayMonthSql(s, order, f);
  const branches = [
    `WHEN ${f.matches(s, F.yearFirst.test)} THEN ${f.replace(s, F.yearFirst.capture, F.yearFirst.to)}`,
    `WHEN ${f.matches(s, F.dayMonth.test)} THEN ${dm}`,
    `WHEN ${f.matches(s, F.nameFirst.test)} THEN ${monthNumbersSql(f.replace(s, F.nameFirst.capture, F.nameFirst.to))}`,
    `WHEN ${f.matches(s, F.dayThenName.test)} THEN ${monthNumbersSql(f.replace(s, F.dayThenName.capture, F.dayThenName.to))}`,
    ...(options.compact ? [`WHEN ${f.matches(s, F.compact.test)} THEN ${f.replace(s, F.compact.capture, F.compact.to)}`] : []),
  ];
  return f.fromYmd(`split_part((CASE ${branches.join(' ')} END), '|', 1)`);
}

/** A cell as the rule reads it: spaces trimmed, lowercase. */
export function cellTextSql(text: string): string {
  return `lower(trim(${text}))`;
}

/**
 * What a day/month cell proves about its column's order: 1 day first (its first number is 13..31
 * and its second a month), 2 month first, NULL otherwise. `s` as for textDateSql; cheap for cells
 * of other forms (one failed match).
 */
export function dayMonthProofSql(s: string, f: DateSqlFlavor, castInt: (e: string) => string): string {
  const parts = `translate(${s}, '.', '/')`;
  const first = castInt(`split_part(${parts}, '/', 1)`);
  const second = castInt(`split_part(${parts}, '/', 2)`);
  return `(CASE WHEN ${f.matches(s, DATE_FORMS.dayMonth.test)} THEN (CASE WHEN ${first} BETWEEN 13 AND 31 AND ${second} BETWEEN 1 AND 12 THEN 1 WHEN ${second} BETWEEN 13 AND 31 AND ${first} BETWEEN 1 AND 12 THEN 2 END) END)`;
}

/** Whether a text expression is blank (NULL, empty or spaces). */
export function blankSql(text: string): string {
  return `coalesce(trim(${text}), '') = ''`;
}

// ---------------------------------------------------------------- JavaScript

const compiled = {
  yearFirst: { test: new RegExp(DATE_FORMS.yearFirst.test), capture: new RegExp(DATE_FORMS.yearFirst.capture) },
  dayMonth: { test: new RegExp(DATE_FORMS.dayMonth.test), capture: new RegExp(DATE_FORMS.dayMonth.capture) },
  nameFirst: { test: new RegExp(DATE_FORMS.nameFirst.test), capture: new RegExp(DATE_FORMS.nameFirst.capture) },
  dayThenName: { test: new RegExp(DATE_FORMS.dayThenName.test), capture: new RegExp(DATE_FORMS.dayThenName.capture) },
  compact: { test: new RegExp(DATE_FORMS.compact.test), capture: new RegExp(DATE_FORMS.compact.capture) },
};

/** Spaces (only) trimmed from both ends, as SQL's trim() does. */
export function trimSpaces(text: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && text.charCodeAt(a) === 32) a++;
  while (b > a && text.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === text.length ? text : text.slice(a, b);
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function ymd(y: string, m: string, d: string): string | null {
  const year = Number(y);
  const month = /^[0-9]+$/.test(m) ? Number(m) : MONTHS.indexOf(m) + 1;
  const day = Number(d);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The rule in JavaScript: the date of a cell as `YYYY-MM-DD`, or null. The same answers as
 * textDateSql on every engine (tested on a list of cells).
 */
export function readDate(cell: string | null, order: DayMonthOrder, options: { compact: boolean } = { compact: true }): string | null {
  if (cell === null) return null;
  const s = trimSpaces(cell).toLowerCase();
  if (s.length < 6) return null;
  let m: RegExpExecArray | null;
  if (compiled.yearFirst.test.test(s) && (m = compiled.yearFirst.capture.exec(s))) return ymd(m[1]!, m[2]!, m[3]!);
  if (compiled.dayMonth.test.test(s) && (m = compiled.dayMonth.capture.exec(s))) {
    const monthFirst =
      order === 'month-first' || (order === 'by-separator' && s.charAt(/^[0-9]{2}/.test(s) ? 2 : 1) === MONTH_FIRST_SEPARATOR);
    return monthFirst ? ymd(m[3]!, m[1]!, m[2]!) : ymd(m[3]!, m[2]!, m[1]!);
  }
  if (compiled.nameFirst.test.test(s) && (m = compiled.nameFirst.capture.exec(s))) return ymd(m[4]!, m[1]!, m[2]!);
  if (compiled.dayThenName.test.test(s) && (m = compiled.dayThenName.capture.exec(s))) return ymd(m[4]!, m[3]!, m[1]!);
  if (options.compact && compiled.compact.test.test(s) && (m = compiled.compact.capture.exec(s))) return ymd(m[1]!, m[2]!, m[3]!);
  return null;
}

/** A profile's date cell: a date written as text in any of the forms but the bare eight digits (a number stays a number). */
export function isTextDate(cell: string): boolean {
  return readDate(cell, 'month-first', { compact: false }) !== null || readDate(cell, 'day-first', { compact: false }) !== null;
}

/** Period windows named as people say them: "February 2026", "Q1 2026", "2026", else "2026-02-03..2026-02-09". */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A YYYY-MM-DD date as its parts. */
export interface Day {
  year: number;
  month: number;
  day: number;
}

/** The parts of a YYYY-MM-DD date; null for anything else. */
export function parseDay(iso: string): Day | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
}

/** The last day of a month (1-12). */
export const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

type Named =
  { kind: 'month'; year: number; month: number } | { kind: 'quarter'; year: number; quarter: number } | { kind: 'year'; year: number };

/** The calendar period a window covers exactly (a whole month, quarter or year), or null. */
function calendarPeriod(start: string, end: string): Named | null {
  const s = parseDay(start);
  const e = parseDay(end);
  if (!s || !e || s.year !== e.year || s.day !== 1 || e.day !== lastDay(e.year, e.month)) return null;
  if (s.month === e.month) return { kind: 'month', year: s.year, month: s.month };
  if (s.month === 1 && e.month === 12) return { kind: 'year', year: s.year };
  if (e.month === s.month + 2 && (s.month - 1) % 3 === 0) return { kind: 'quarter', year: s.year, quarter: (s.month + 2) / 3 };
  return null;
}

function nameOf(p: Named, withYear = true): string {
  const year = withYear ? ` ${p.year}` : '';
  if (p.kind === 'month') return `${MONTHS[p.month - 1]}${year}`;
  if (p.kind === 'quarter') return `Q${p.quarter}${year}`;
  return String(p.year);
}

/** One window: "2026-02-01".."2026-02-28" -> "February 2026". */
export function periodName(start: string, end: string): string {
  const p = calendarPeriod(start, end);
  return p ? nameOf(p) : `${start}..${end}`;
}

/** Two windows in a sentence: "from February to March 2026", "from December 2025 to January 2026". */
export function periodSpan(base: { start: string; end: string }, current: { start: string; end: string }): string {
  const b = calendarPeriod(base.start, base.end);
  const c = calendarPeriod(current.start, current.end);
  if (b && c && b.kind === c.kind && b.kind !== 'year' && b.year === c.year) return `from ${nameOf(b, false)} to ${nameOf(c)}`;
  return `from ${periodName(base.start, base.end)} to ${periodName(current.start, current.end)}`;
}

/** A label that is a window ("2026-02-01..2026-02-28", as the segments artifact writes it) renamed; others kept. */
export function periodLabel(label: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(label);
  return m ? periodName(m[1]!, m[2]!) : label;
}

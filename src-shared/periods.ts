/**
 * Period windows, one semantics for every command: a window is a pair of inclusive calendar
 * dates; derived windows come from a time grain, a preset and an anchor date; the previous window
 * is always the grain period just before the current one; windows never overlap.
 */
export const TIME_GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TimeGrain = (typeof TIME_GRAINS)[number];
export const PERIOD_PRESETS = ['current', 'previous', 'last'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface DateWindow {
  start: string;
  end: string;
}

export interface Windows {
  current: DateWindow;
  previous: DateWindow;
}

/** Parses a strict YYYY-MM-DD calendar date (UTC midnight); throws a plain Error otherwise. */
export function parseIsoDate(text: string): Date {
  if (!ISO_DATE.test(text)) throw new Error(`invalid date '${text}'; expected YYYY-MM-DD`);
  const d = new Date(`${text}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text)
    throw new Error(`invalid date '${text}': that day is not in the calendar`);
  return d;
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}

/** The calendar period of the grain containing a date (ISO weeks run Monday to Sunday). */
export function periodContaining(date: Date, grain: TimeGrain): { start: Date; end: Date } {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  switch (grain) {
    case 'day':
      return { start: date, end: date };
    case 'week': {
      const dow = (date.getUTCDay() + 6) % 7; // Monday = 0
      const start = addDays(date, -dow);
      return { start, end: addDays(start, 6) };
    }
    case 'month':
      return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 0)) };
    case 'quarter': {
      const q = Math.floor(m / 3) * 3;
      return { start: new Date(Date.UTC(y, q, 1)), end: new Date(Date.UTC(y, q + 3, 0)) };
    }
    case 'year':
      return { start: new Date(Date.UTC(y, 0, 1)), end: new Date(Date.UTC(y, 11, 31)) };
  }
}

/** The grain period just before the one starting at `start`. */
function periodBefore(start: Date, grain: TimeGrain): { start: Date; end: Date } {
  return periodContaining(addDays(start, -1), grain);
}

/**
 * current: the period containing the anchor; previous and last (the same): the complete period
 * before it. The previous window is the period before the current window.
 */
export function deriveWindows(grain: TimeGrain, preset: PeriodPreset, anchor: string): Windows {
  const containing = periodContaining(parseIsoDate(anchor), grain);
  const current = preset === 'current' ? containing : periodBefore(containing.start, grain);
  const previous = periodBefore(current.start, grain);
  return {
    current: { start: isoDate(current.start), end: isoDate(current.end) },
    previous: { start: isoDate(previous.start), end: isoDate(previous.end) },
  };
}

/** Checks explicit windows: real dates, start <= end, and no overlap. Returns a message or null. */
export function windowProblem(w: Windows): string | null {
  for (const [name, win] of [
    ['current', w.current],
    ['previous', w.previous],
  ] as const) {
    try {
      parseIsoDate(win.start);
      parseIsoDate(win.end);
    } catch (err) {
      return `${name} window: ${(err as Error).message}`;
    }
    if (win.start > win.end) return `${name} window starts after it ends (${win.start} > ${win.end})`;
  }
  if (w.current.start <= w.previous.end && w.previous.start <= w.current.end) {
    return `the windows overlap (${w.previous.start}..${w.previous.end} and ${w.current.start}..${w.current.end}); a row must belong to one window only`;
  }
  return null;
}

export function todayUtc(): string {
  return isoDate(new Date());
}

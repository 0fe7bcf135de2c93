/**
 * One line that tells two runs of the history apart: the method, what it grouped by, the windows it
 * compared ("Analyze · region · Feb → Mar 2026 · by revenue"). Built from the options a run was started with;
 * options saved by an older version may lack a field, so every field is read as optional.
 */
import { lastDay, parseDay } from './period-name';
import { deriveWindows, type DateWindow, type PeriodPreset, type TimeGrain } from './periods';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** What each kind of run is called in the workbench. */
export const KIND_NAMES: Record<string, string> = {
  analyze: 'Analyze',
  compare: 'Compare',
  drivers: 'Drivers',
  investigate: 'Regression on drivers',
  segments: 'Where it changed',
  factors: 'Factor model',
  regression: 'Regression',
  investigation: 'Investigation',
};

interface Windows {
  current: DateWindow;
  previous: DateWindow;
}

/** The options fields the line is made of, whichever analysis wrote them. */
interface DetailOptions {
  groupBy?: string[];
  dimensions?: string[];
  by?: string | null;
  rankBy?: string;
  metric?: string;
  method?: string;
  mode?: string | null;
  where?: { column: string; value: string }[];
  windows?: Windows | null;
  period?:
    | { mode: 'derived'; grain: TimeGrain; preset: PeriodPreset; anchorDate: string }
    | { mode: 'explicit'; current: DateWindow; previous: DateWindow }
    | null;
  newDatasetId?: string | null;
  baseRunId?: string | null;
  k?: number;
  kAuto?: boolean;
}

export function runDetail(kind: string, options: unknown): string {
  const o = (options ?? {}) as DetailOptions;
  const parts = [KIND_NAMES[kind] ?? kind];
  if (kind === 'analyze') {
    parts.push(o.groupBy?.length ? o.groupBy.join(', ') : 'auto grouping');
  } else if (kind === 'drivers') {
    if (o.metric) parts.push(o.metric);
    if (o.method) parts.push(o.method.toUpperCase() === 'LMDI' ? 'LMDI' : o.method);
    if (o.by) parts.push(`mix by ${o.by}`);
  } else if (kind === 'segments' || kind === 'investigation') {
    if (o.metric) parts.push(o.metric);
    if (o.dimensions?.length) parts.push(o.dimensions.join(', '));
    if (kind === 'investigation' && o.mode) parts.push(o.mode.replace(/_/g, ' '));
  } else if (kind === 'investigate') {
    if (o.metric) parts.push(o.metric);
  } else if (kind === 'factors') {
    if (o.kAuto) parts.push('k auto');
    else if (o.k) parts.push(`k = ${o.k}`);
  }
  if (o.where?.length) parts.push(o.where.map((w) => `${w.column} = ${w.value}`).join(', '));
  // The windows come early: a narrow history list cuts the end of the line.
  const windows = windowsOf(o);
  if (windows) parts.splice(2, 0, windowSpan(windows.previous, windows.current));
  else if (o.newDatasetId || o.baseRunId) parts.push('two snapshots');
  if (kind === 'analyze' && o.rankBy && o.rankBy !== 'count') parts.push(`by ${o.rankBy}`);
  return parts.join(' · ');
}

function windowsOf(o: DetailOptions): Windows | null {
  if (o.windows) return o.windows;
  if (o.period?.mode === 'explicit') return { current: o.period.current, previous: o.period.previous };
  if (o.period?.mode === 'derived') {
    try {
      return deriveWindows(o.period.grain, o.period.preset, o.period.anchorDate);
    } catch {
      return null;
    }
  }
  return null;
}

/** A window in few characters, without its year: "Feb", "Q1", "Feb 3–9", "Jan 28–Feb 3". */
function shortWindow(w: DateWindow): { text: string; year: number } | null {
  const s = parseDay(w.start);
  const e = parseDay(w.end);
  if (!s || !e || s.year !== e.year) return null;
  const wholeMonths = s.day === 1 && e.day === lastDay(e.year, e.month);
  if (wholeMonths && s.month === e.month) return { text: MONTHS[s.month - 1]!, year: s.year };
  if (wholeMonths && s.month === 1 && e.month === 12) return { text: '', year: s.year };
  if (wholeMonths && e.month === s.month + 2 && (s.month - 1) % 3 === 0) return { text: `Q${(s.month + 2) / 3}`, year: s.year };
  if (s.month === e.month) return { text: `${MONTHS[s.month - 1]} ${s.day}–${e.day}`, year: s.year };
  return { text: `${MONTHS[s.month - 1]} ${s.day}–${MONTHS[e.month - 1]} ${e.day}`, year: s.year };
}

/** The two windows of a run: "Feb → Mar 2026", "Dec 2025 → Jan 2026", "2025 → 2026". */
export function windowSpan(previous: DateWindow, current: DateWindow): string {
  const p = shortWindow(previous);
  const c = shortWindow(current);
  if (!p || !c) return `${previous.start}..${previous.end} → ${current.start}..${current.end}`;
  const name = (w: { text: string; year: number }) => (w.text ? `${w.text} ${w.year}` : String(w.year));
  if (p.year === c.year && p.text && c.text) return `${p.text} → ${c.text} ${c.year}`;
  return `${name(p)} → ${name(c)}`;
}

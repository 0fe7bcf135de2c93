import type { PeriodCompare } from '../../../src-shared/artifacts/analyze';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';
import type { TableFilterOp } from '../../../src-shared/contract';

/** A preview filter: rows where every column equals its value (trimmed text), or matches it by `op` when given. */
export type RowFilter = { column: string; value: string; op?: TableFilterOp }[];

/** A run's own filters (`column = value`) as a preview filter, ignoring case when the run did. */
export function runFilter(where: readonly { column: string; value: string }[], ignoreCase: boolean): RowFilter {
  return where.map((w) => (ignoreCase ? { column: w.column, value: w.value, op: '=i' } : { column: w.column, value: w.value }));
}

const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The two windows of a period comparison as one `between` filter on its date column: one window
 * `start..end` when they touch or overlap (previous January, current February), else both.
 */
export function periodFilter(
  p: Pick<PeriodCompare, 'date_column' | 'current_start' | 'current_end' | 'previous_start' | 'previous_end'>,
): RowFilter {
  const windows = [
    { start: p.previous_start, end: p.previous_end },
    { start: p.current_start, end: p.current_end },
  ].sort((a, b) => a.start.localeCompare(b.start));
  const merged: { start: string; end: string }[] = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w.start <= dayAfter(last.end)) last.end = w.end > last.end ? w.end : last.end;
    else merged.push({ ...w });
  }
  return [{ column: p.date_column, op: 'between', value: merged.map((w) => `${w.start}..${w.end}`).join(',') }];
}

/** A segment's conditions as a preview filter; "(blank)" is how a run names an empty cell. */
export function rowFilter(conditions: readonly SegmentCondition[]): RowFilter {
  return conditions.map((c) => ({ column: c.dimension, value: c.value === '(blank)' ? '' : c.value }));
}

/** An analyze segment ("EU | Online") back to its values, when its name splits into one value per column; else null. */
export function groupValues(group: string, groupBy: readonly string[]): string[] | null {
  const values = group.split(' | ');
  return values.length === groupBy.length ? values : null;
}

/** A segment named by its group columns and values. */
export function groupConditions(groupBy: readonly string[], values: readonly string[]): SegmentCondition[] {
  return groupBy.map((dimension, i) => ({ dimension, value: values[i] ?? '' }));
}

/** Props that make a table row open something: pointer, hover, focus by Tab, Enter or Space. */
export function drillRowProps(open: () => void, label: string): Record<string, unknown> {
  return {
    class: 'drill',
    tabindex: 0,
    title: label,
    'aria-label': label,
    onClick: open,
    onKeydown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        open();
      }
    },
  };
}

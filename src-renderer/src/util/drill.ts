import type { SegmentCondition } from '../../../src-shared/artifacts/segments';

/** A preview filter: rows where every column equals its value (trimmed text). */
export type RowFilter = { column: string; value: string }[];

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

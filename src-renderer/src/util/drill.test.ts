import { describe, expect, it } from 'vitest';
import { groupConditions, groupValues, periodFilter, rowFilter, runFilter } from './drill';

describe('the rows behind a segment', () => {
  it('turns a segment into a preview filter, an empty cell for "(blank)"', () => {
    expect(
      rowFilter([
        { dimension: 'region', value: 'US' },
        { dimension: 'channel', value: '(blank)' },
      ]),
    ).toEqual([
      { column: 'region', value: 'US' },
      { column: 'channel', value: '' },
    ]);
  });

  it('splits an analyze segment name back into its values only when it splits into one per column', () => {
    expect(groupValues('EU | Online', ['region', 'channel'])).toEqual(['EU', 'Online']);
    // A value holding " | " makes the name ambiguous: no drill-down rather than the wrong rows.
    expect(groupValues('A | B | Online', ['region', 'channel'])).toBeNull();
    expect(groupConditions(['region', 'channel'], ['EU', 'Online'])).toEqual([
      { dimension: 'region', value: 'EU' },
      { dimension: 'channel', value: 'Online' },
    ]);
  });

  it('keeps a period mover to the two windows: one range when they touch, both when a gap lies between', () => {
    const p = {
      date_column: 'order_date',
      previous_start: '2026-01-01',
      previous_end: '2026-01-31',
      current_start: '2026-02-01',
      current_end: '2026-02-28',
    };
    expect(periodFilter(p)).toEqual([{ column: 'order_date', op: 'between', value: '2026-01-01..2026-02-28' }]);
    // Explicit windows with March between them: March's rows are in neither.
    expect(periodFilter({ ...p, current_start: '2026-04-01', current_end: '2026-04-30' })).toEqual([
      { column: 'order_date', op: 'between', value: '2026-01-01..2026-01-31,2026-04-01..2026-04-30' },
    ]);
    // Across a year end, and windows given current first in time order.
    expect(
      periodFilter({
        ...p,
        previous_start: '2025-12-01',
        previous_end: '2025-12-31',
        current_start: '2026-01-01',
        current_end: '2026-01-31',
      })[0]!.value,
    ).toBe('2025-12-01..2026-01-31');
    expect(periodFilter({ ...p, previous_start: '2026-03-01', previous_end: '2026-03-31' })[0]!.value).toBe('2026-02-01..2026-03-31');
  });

  it("keeps a run's filters, ignoring case only when the run did", () => {
    const where = [{ column: 'region', value: 'eu' }];
    expect(runFilter(where, false)).toEqual([{ column: 'region', value: 'eu' }]);
    expect(runFilter(where, true)).toEqual([{ column: 'region', value: 'eu', op: '=i' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { dayMonthOrderLine } from './date-order';

describe('the day/month order line of a period comparison', () => {
  it('says how 01/07/2026 was read when the column decided an order', () => {
    expect(dayMonthOrderLine('day-first')).toBe('Dates like 01/07/2026 read day first (1 July 2026).');
    expect(dayMonthOrderLine('month-first')).toBe('Dates like 01/07/2026 read month first (7 January 2026).');
  });

  it('says nothing when each cell was read by its separator, or for a run made before the order was recorded', () => {
    expect(dayMonthOrderLine('by-separator')).toBeNull();
    expect(dayMonthOrderLine(undefined)).toBeNull();
  });
});

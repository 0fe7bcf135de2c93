import { describe, expect, it } from 'vitest';
import { deriveWindows, windowProblem } from './periods';

describe('period windows', () => {
  it('month, last, anchor 2026-04-15: March vs February (SPEC 2.4 example)', () => {
    expect(deriveWindows('month', 'last', '2026-04-15')).toEqual({
      current: { start: '2026-03-01', end: '2026-03-31' },
      previous: { start: '2026-02-01', end: '2026-02-28' },
    });
    expect(deriveWindows('month', 'previous', '2026-04-15')).toEqual(deriveWindows('month', 'last', '2026-04-15'));
  });

  it('current takes the period containing the anchor', () => {
    expect(deriveWindows('month', 'current', '2024-03-10')).toEqual({
      current: { start: '2024-03-01', end: '2024-03-31' },
      previous: { start: '2024-02-01', end: '2024-02-29' },
    });
  });

  it('ISO weeks run Monday to Sunday', () => {
    // 2026-11-24 is a Tuesday.
    expect(deriveWindows('week', 'current', '2026-11-24')).toEqual({
      current: { start: '2026-11-23', end: '2026-11-29' },
      previous: { start: '2026-11-16', end: '2026-11-22' },
    });
    // A Sunday belongs to the week that started six days before.
    expect(deriveWindows('week', 'current', '2026-11-29').current.start).toBe('2026-11-23');
  });

  it('days, quarters and years, across year ends', () => {
    expect(deriveWindows('day', 'last', '2026-01-01')).toEqual({
      current: { start: '2025-12-31', end: '2025-12-31' },
      previous: { start: '2025-12-30', end: '2025-12-30' },
    });
    expect(deriveWindows('quarter', 'last', '2026-02-10')).toEqual({
      current: { start: '2025-10-01', end: '2025-12-31' },
      previous: { start: '2025-07-01', end: '2025-09-30' },
    });
    expect(deriveWindows('year', 'current', '2026-06-30')).toEqual({
      current: { start: '2026-01-01', end: '2026-12-31' },
      previous: { start: '2025-01-01', end: '2025-12-31' },
    });
  });

  it('rejects impossible dates and bad explicit windows', () => {
    expect(() => deriveWindows('month', 'last', '2026-02-30')).toThrow("invalid date '2026-02-30': that day is not in the calendar");
    expect(
      windowProblem({ current: { start: '2026-03-31', end: '2026-03-01' }, previous: { start: '2026-02-01', end: '2026-02-28' } }),
    ).toMatch(/starts after it ends/);
    expect(
      windowProblem({ current: { start: '2026-02-15', end: '2026-03-31' }, previous: { start: '2026-02-01', end: '2026-02-28' } }),
    ).toMatch(/overlap/);
    expect(
      windowProblem({ current: { start: '2026-03-01', end: '2026-03-31' }, previous: { start: '2026-02-01', end: '2026-02-28' } }),
    ).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { periodLabel, periodName, periodSpan } from './period-name';

describe('period names', () => {
  it('names whole months, quarters and years, and keeps other windows as dates', () => {
    expect(periodName('2026-02-01', '2026-02-28')).toBe('February 2026');
    expect(periodName('2024-02-01', '2024-02-29')).toBe('February 2024');
    expect(periodName('2026-02-01', '2026-02-27')).toBe('2026-02-01..2026-02-27');
    expect(periodName('2026-04-01', '2026-06-30')).toBe('Q2 2026');
    expect(periodName('2026-02-01', '2026-04-30')).toBe('2026-02-01..2026-04-30');
    expect(periodName('2025-01-01', '2025-12-31')).toBe('2025');
  });

  it('says the year once when both periods are in it', () => {
    expect(periodSpan({ start: '2026-02-01', end: '2026-02-28' }, { start: '2026-03-01', end: '2026-03-31' })).toBe(
      'from February to March 2026',
    );
    expect(periodSpan({ start: '2025-12-01', end: '2025-12-31' }, { start: '2026-01-01', end: '2026-01-31' })).toBe(
      'from December 2025 to January 2026',
    );
    expect(periodSpan({ start: '2024-01-01', end: '2024-12-31' }, { start: '2025-01-01', end: '2025-12-31' })).toBe('from 2024 to 2025');
  });

  it('renames the window labels of the segments artifact and leaves file names alone', () => {
    expect(periodLabel('2026-03-01..2026-03-31')).toBe('March 2026');
    expect(periodLabel('data/base.csv')).toBe('data/base.csv');
  });
});

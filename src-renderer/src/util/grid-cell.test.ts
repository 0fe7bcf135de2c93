import { describe, expect, it } from 'vitest';
import { columnDecimals, displayCell, filterLabel, nextSort, toTsv } from './grid-cell';

describe('data grid cells', () => {
  it('groups thousands in number columns and keeps the written decimals', () => {
    expect(displayCell('62099.86', 'number')).toBe('62,099.86');
    expect(displayCell('1234567', 'number')).toBe('1,234,567');
    expect(displayCell('-5000.10', 'number')).toBe('-5,000.10');
    expect(displayCell('0.5', 'number')).toBe('0.5');
  });

  it('shows codes, huge numbers, text and other columns as written', () => {
    expect(displayCell('00123', 'number')).toBe('00123');
    expect(displayCell('12345678901234567890', 'number')).toBe('12345678901234567890');
    expect(displayCell('n/a', 'number')).toBe('n/a');
    expect(displayCell('62099.86', 'text')).toBe('62099.86');
    expect(displayCell(null, 'number')).toBe('');
  });

  it('copies raw cells as TSV without breaking rows', () => {
    expect(
      toTsv([
        ['a', null, '1200.5'],
        ['x\ty', 'line\nbreak', ''],
      ]),
    ).toBe('a\t\t1200.5\nx y\tline break\t');
  });

  it('cycles a column through ascending, descending and unsorted', () => {
    expect(nextSort(null, 'a')).toEqual({ column: 'a', direction: 'asc' });
    expect(nextSort({ column: 'a', direction: 'asc' }, 'a')).toEqual({ column: 'a', direction: 'desc' });
    expect(nextSort({ column: 'a', direction: 'desc' }, 'a')).toBeNull();
    expect(nextSort({ column: 'a', direction: 'desc' }, 'b')).toEqual({ column: 'b', direction: 'asc' });
  });

  it('labels filter chips', () => {
    expect(filterLabel({ column: 'city', op: 'contains', value: 'zür' })).toBe('city contains zür');
    expect(filterLabel({ column: 'n', op: '>=', value: '5' })).toBe('n ≥ 5');
    expect(filterLabel({ column: 'region', op: '=', value: '' })).toBe('region = (blank)');
    expect(filterLabel({ column: 'region', op: '=i', value: 'eu' })).toBe('region = eu (any case)');
    expect(filterLabel({ column: 'day', op: 'between', value: '2026-01-01..2026-02-28' })).toBe('day in 2026-01-01..2026-02-28');
  });

  it('shows a number column with one number of decimals: the most its cells were written with, at most 6', () => {
    const cells = ['340245.0', '42670.12', '7', null, 'n/a', '00123'];
    expect(columnDecimals(cells)).toBe(2);
    expect(cells.slice(0, 3).map((c) => displayCell(c, 'number', columnDecimals(cells)))).toEqual(['340,245.00', '42,670.12', '7.00']);
    expect(columnDecimals(['0.123456789', '1'])).toBe(6);
    expect(columnDecimals(['12', '-3', null])).toBe(0);
  });
});

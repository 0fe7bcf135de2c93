import { describe, expect, it } from 'vitest';
import { columnDecimals, decimalsToTell, formatChange, formatCount, formatMove, formatSigned, pairDecimals } from './format';

describe('numbers for people', () => {
  it('shows counts as whole numbers with thousands separators', () => {
    expect(formatCount(54300)).toBe('54,300');
    expect(formatCount(29)).toBe('29');
  });

  it('gives a column of whole values no decimals, a column of small values four, any other two', () => {
    expect(columnDecimals([54300, 51200, 0])).toBe(0);
    expect(columnDecimals([0.1912, -0.05, null])).toBe(4);
    expect(columnDecimals([4020509.65, 29, 0.5])).toBe(2);
    expect(columnDecimals([1.5, 2.25], 1)).toBe(1);
  });

  it('adds decimals until two different values read differently, up to a limit', () => {
    // 0.1912 and 0.1948 both read 0.19 at two decimals; at three they are 0.191 and 0.195.
    expect(decimalsToTell(0.1912, 0.1948)).toBe(3);
    expect(formatMove(0.1912, 0.1948)).toBe('0.191 → 0.195');
    // Already apart at two decimals: two.
    expect(formatMove(4020509.65, 4098275.38)).toBe('4,020,509.65 → 4,098,275.38');
    // Equal values, or missing ones, keep the decimals asked for.
    expect(decimalsToTell(0.19, 0.19)).toBe(2);
    expect(decimalsToTell(null, 0.19)).toBe(2);
    // 1 and 1 + 1e-9 differ beyond six decimals: the limit holds.
    expect(decimalsToTell(1, 1 + 1e-9)).toBe(6);
  });

  it('gives pairs of columns the decimals of the pair that needs most', () => {
    expect(
      pairDecimals([
        [10, 12],
        [0.19, 0.1904],
        [5, 5],
      ]),
    ).toBe(4);
    expect(pairDecimals([[1, 2]], 0)).toBe(0);
  });

  it('shows a change that rounds to zero with the digits that show it, signed once', () => {
    expect(formatChange(0.0004)).toBe('+0.0004');
    expect(formatChange(-0.0036)).toBe('-0.004');
    expect(formatChange(77765.731)).toBe('+77,765.73');
    expect(formatChange(0)).toBe('+0.00');
    expect(formatSigned(-6146.7)).toBe('-6,146.70');
  });
});

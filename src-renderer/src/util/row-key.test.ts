import { describe, expect, it } from 'vitest';
import { rowKeyer } from './row-key';

describe('rowKeyer', () => {
  it('gives two rows with the same shown name their own keys, and a row the same key each time', () => {
    const key = rowKeyer();
    const a = { group: 'a | b | c', values: ['a | b', 'c'] };
    const b = { group: 'a | b | c', values: ['a', 'b | c'] };
    expect(key(a)).not.toBe(key(b));
    expect(key(a)).toBe(key(a));
    expect(new Set([a, b, { group: 'x' }].map(key)).size).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { lmdi, logMean, shapley } from './decompose';

describe('decompositions (hand-computed)', () => {
  it('100 orders at 10.00 -> 120 orders at 9.00: LMDI +189.52 / -109.52, Shapley +190 / -110', () => {
    const [o, p] = lmdi([100, 10], [120, 9], [1, 1])!;
    expect(o).toBeCloseTo(189.52, 2);
    expect(p).toBeCloseTo(-109.52, 2);
    expect(o! + p!).toBeCloseTo(80, 10);
    expect(shapley([100, 10], [120, 9], [1, 1])).toEqual([190, -110]);
  });

  it('logarithmic mean', () => {
    expect(logMean(1080, 1000)).toBeCloseTo(80 / Math.log(1.08), 10);
    expect(logMean(5, 5)).toBe(5);
  });

  it('divisors contribute with the opposite sign', () => {
    // y = spend / cpc: 1000/2 = 500 -> 1200/3 = 400.
    const c = lmdi([1000, 2], [1200, 3], [1, -1])!;
    expect(c[0]!).toBeGreaterThan(0);
    expect(c[1]!).toBeLessThan(0);
    expect(c[0]! + c[1]!).toBeCloseTo(-100, 10);
    const s = shapley([1000, 2], [1200, 3], [1, -1]);
    expect(s[0]! + s[1]!).toBeCloseTo(-100, 10);
  });

  it('close exactly on random three-driver data, and swapping the periods negates every contribution', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 100 + 0.5;
    for (let trial = 0; trial < 200; trial++) {
      const base = [rand(), rand(), rand()];
      const next = [rand(), rand(), rand()];
      const powers = [1, trial % 2 === 0 ? 1 : -1, 1];
      const y = (xs: number[]) => xs.reduce((a, x, i) => a * x ** powers[i]!, 1);
      const change = y(next) - y(base);
      for (const method of [lmdi, shapley]) {
        const c = method(base, next, powers)!;
        expect(c.reduce((a, b) => a + b, 0)).toBeCloseTo(change, 6);
        const back = method(next, base, powers)!;
        back.forEach((v, i) => expect(v).toBeCloseTo(-c[i]!, 8));
      }
    }
  });

  it('LMDI needs positive values; Shapley does not', () => {
    expect(lmdi([0, 10], [5, 10], [1, 1])).toBeNull();
    expect(shapley([0, 10], [5, 10], [1, 1])).toEqual([50, 0]);
  });
});

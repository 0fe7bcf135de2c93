import { describe, expect, it } from 'vitest';
import { segmentBridge } from './bridge';
import { contributionOf } from './contribution';
import type { Leaf, MetricKind } from './cube';
import { rankSplits, splitNode } from './tree';

const leaf = (values: string[], num0: number, num1: number, den0 = 1, den1 = 1): Leaf => ({ values, num0, den0, num1, den1 });
const names = (b: ReturnType<typeof segmentBridge>) => b.parts.map((p) => (p.segment ? p.segment.values.join(' & ') : 'everything else'));

describe('the segment bridge', () => {
  // region x channel; the total falls by 10: Store -60 and Online +50 cover every row.
  const sales = [
    leaf(['US', 'Online'], 100, 150),
    leaf(['US', 'Store'], 50, 40),
    leaf(['EU', 'Online'], 80, 80),
    leaf(['EU', 'Store'], 70, 20),
  ];

  it('picks the biggest segments that share no row, and closes exactly (hand-computed)', () => {
    const b = segmentBridge('sum', sales, 2, { top: 8, maxDepth: 2 });
    expect(b.change).toBe(-10);
    // Store (-60) first; EU (-50) overlaps it; Online (+50) does not; nothing is left over.
    expect(names(b)).toEqual(['Store', 'Online', 'everything else']);
    expect(b.parts.map((p) => p.contribution)).toEqual([-60, 50, 0]);
    expect(b.closureError).toBe(0);
  });

  it('keeps to --top and puts the rest in everything else', () => {
    const b = segmentBridge('sum', sales, 2, { top: 1, maxDepth: 2 });
    expect(names(b)).toEqual(['Store', 'everything else']);
    expect(b.parts[1]!.contribution).toBe(50);
  });

  it('splits a ratio exactly into rate and mix (hand-computed conversion = orders / sessions)', () => {
    // A: 10/100 -> 20/100 (its rate doubled, its share of sessions halved); B: 30/100 -> 90/300 (same rate, more share).
    const leaves = [leaf(['A'], 10, 20, 100, 100), leaf(['B'], 30, 90, 100, 300)];
    const b = segmentBridge('ratio', leaves, 1, { top: 8, maxDepth: 1 });
    expect(b.change).toBeCloseTo(0.275 - 0.2, 15);
    const [a, bb] = b.parts;
    expect(a!.segment!.values).toEqual(['A']);
    // rate = mean share (0.375) x rate change (0.1); mix = share change (-0.25) x (mean rate 0.15 - mean total rate 0.2375).
    expect(a!.rate).toBeCloseTo(0.0375, 15);
    expect(a!.mix).toBeCloseTo(0.021875, 15);
    expect(a!.contribution).toBeCloseTo(0.059375, 15);
    expect(bb!.rate).toBeCloseTo(0, 15);
    expect(bb!.mix).toBeCloseTo(0.015625, 15);
    expect(b.closureError).toBeLessThan(1e-12);
  });

  it('a part on one side only is all mix (new, gone), and a part with numbers but no denominator still closes', () => {
    const whole = { num0: 40, den0: 200, num1: 110, den1: 400 };
    expect(contributionOf('ratio', { num0: 0, den0: 0, num1: 20, den1: 100 }, whole)).toMatchObject({ status: 'new', rate: 0 });
    expect(contributionOf('ratio', { num0: 10, den0: 100, num1: 0, den1: 0 }, whole)).toMatchObject({ status: 'gone', rate: 0 });
    const leaves = [leaf(['A'], 10, 20, 100, 100), leaf(['B'], 30, 90, 100, 300), leaf(['C'], 5, 0, 0, 0)];
    expect(segmentBridge('ratio', leaves, 1, { top: 8, maxDepth: 1 }).closureError).toBeLessThan(1e-12);
  });

  it('closes exactly on random sparse tables, additive and ratio, rising and falling', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let trial = 0; trial < 60; trial++) {
      const dims = 2 + (trial % 5);
      const cards = Array.from({ length: dims }, () => 2 + Math.floor(rand() * 5));
      const leaves: Leaf[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < 200; i++) {
        const values = cards.map((c, d) => `d${d}=${Math.floor(rand() * c)}`);
        if (seen.has(values.join('|'))) continue;
        seen.add(values.join('|'));
        const sparse = rand();
        const den0 = sparse < 0.1 ? 0 : Math.floor(rand() * 1000);
        const den1 = sparse > 0.9 ? 0 : Math.floor(rand() * 1000);
        leaves.push(leaf(values, den0 ? rand() * den0 : 0, den1 ? rand() * den1 * (trial % 2 ? 1.3 : 0.7) : 0, den0, den1));
      }
      for (const kind of ['sum', 'ratio'] as MetricKind[]) {
        const b = segmentBridge(kind, leaves, dims, { top: 8, maxDepth: 3 });
        expect(b.closureError, `${kind} trial ${trial}`).toBeLessThan(1e-9);
        // The named parts share no row.
        const named = b.parts.filter((p) => p.segment);
        for (const l of leaves)
          expect(named.filter((p) => p.segment!.dims.every((d, i) => l.values[d] === p.segment!.values[i])).length).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('the decomposition tree', () => {
  const sales = [
    leaf(['US', 'Online'], 100, 150),
    leaf(['US', 'Store'], 50, 40),
    leaf(['EU', 'Online'], 80, 80),
    leaf(['EU', 'Store'], 70, 20),
  ];

  it('splits a node by a dimension; the children add up to the node', () => {
    const root = splitNode('sum', sales, { dims: [], values: [] }, 1);
    expect(root.map((c) => [c.value, c.contribution, c.share])).toEqual([
      ['Store', -60, 6],
      ['Online', 50, -5],
    ]);
    const us = splitNode('sum', sales, { dims: [0], values: ['US'] }, 1);
    expect(us.map((c) => [c.value, c.contribution])).toEqual([
      ['Online', 50],
      ['Store', -10],
    ]);
  });

  it('ranks the dimensions a node can split by the widest child', () => {
    expect(rankSplits('sum', sales, { dims: [], values: [] }, 2)).toEqual([
      { dimension: 1, spread: 60 },
      { dimension: 0, spread: 50 },
    ]);
    expect(rankSplits('sum', sales, { dims: [1], values: ['Store'] }, 2)).toEqual([{ dimension: 0, spread: 50 }]);
  });
});

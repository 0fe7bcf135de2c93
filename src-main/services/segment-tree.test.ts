import { describe, expect, it } from 'vitest';
import type { Leaf, MetricKind } from '../engine/segments/cube';
import { packCube } from '../engine/segments/packed-cube';
import { splitSegment } from './segment-tree';

/** The decomposition tree's split, on hand-built cubes whose numbers are worked out by hand below. */
const leaf = (values: string[], num0: number, num1: number, den0 = 1, den1 = 1): Leaf => ({ values, num0, den0, num1, den1 });
const run = (dimensions: string[]) => dimensions;
const cubeOf = (kind: MetricKind, dimensions: string[], leaves: Leaf[]) => JSON.parse(JSON.stringify(packCube(kind, dimensions, leaves)));

// Revenue by region and channel: 420 -> 480, a change of +60.
//   US/web 100 -> 150 (+50), US/store 200 -> 180 (-20), EU/web 50 -> 80 (+30), EU/store 70 -> 70 (0).
const dims = ['region', 'channel'];
const sales = cubeOf('sum', dims, [
  leaf(['US', 'web'], 100, 150),
  leaf(['US', 'store'], 200, 180),
  leaf(['EU', 'web'], 50, 80),
  leaf(['EU', 'store'], 70, 70),
]);

describe('segments.split: a node split by a dimension', () => {
  it('splits the whole by the dimension whose largest part is largest, the parts adding up to the change', () => {
    const s = splitSegment(run(dims), sales, [], undefined);
    expect(s.node).toMatchObject({ segment: [], base: 420, current: 480, contribution: 60, share: 1 });
    // channel: web +80, store -20 (largest 80); region: US +30, EU +30 (largest 30).
    expect(s.ranked).toEqual([
      { dimension: 'channel', largest: 80, parts: 2 },
      { dimension: 'region', largest: 30, parts: 2 },
    ]);
    expect(s.dimension).toBe('channel');
    expect(s.children.map((c) => [c.segment, c.base, c.current, c.contribution])).toEqual([
      [[{ dimension: 'channel', value: 'web' }], 150, 230, 80],
      [[{ dimension: 'channel', value: 'store' }], 270, 250, -20],
    ]);
    expect(s.children[0]!.share).toBeCloseTo(80 / 60, 12);
    expect(s.children[1]!.share).toBeCloseTo(-20 / 60, 12);
    expect(s.children.reduce((t, c) => t + c.contribution, 0)).toBe(60);
  });

  it('drills in the order asked: region first, then channel under EU; shares stay shares of the whole change', () => {
    const byRegion = splitSegment(run(dims), sales, [], 'region');
    expect(byRegion.dimension).toBe('region');
    expect(byRegion.children.map((c) => c.contribution)).toEqual([30, 30]);
    const eu = splitSegment(run(dims), sales, [{ dimension: 'region', value: 'EU' }], undefined);
    expect(eu.node).toMatchObject({ base: 120, current: 150, contribution: 30, share: 0.5 });
    expect(eu.ranked).toEqual([{ dimension: 'channel', largest: 30, parts: 2 }]);
    expect(eu.children.map((c) => [c.segment, c.contribution, c.share])).toEqual([
      [
        [
          { dimension: 'region', value: 'EU' },
          { dimension: 'channel', value: 'web' },
        ],
        30,
        0.5,
      ],
      [
        [
          { dimension: 'region', value: 'EU' },
          { dimension: 'channel', value: 'store' },
        ],
        0,
        0,
      ],
    ]);
    // A node named in another order is the same node; with every dimension fixed it is a leaf.
    const leafNode = splitSegment(
      run(dims),
      sales,
      [
        { dimension: 'channel', value: 'web' },
        { dimension: 'region', value: 'US' },
      ],
      undefined,
    );
    expect(leafNode).toMatchObject({ node: { contribution: 50, base: 100, current: 150 }, ranked: [], dimension: null, children: [] });
  });

  it('splits a ratio exactly into rate and mix (conversion = orders / sessions, worked out by hand)', () => {
    // US: 10/100 -> 12/100; EU: 5/100 -> 5/200. The whole: 15/200 = 0.075 -> 17/300 = 0.05667.
    const conv = cubeOf('ratio', ['region'], [leaf(['US'], 10, 12, 100, 100), leaf(['EU'], 5, 5, 100, 200)]);
    const s = splitSegment(run(['region']), conv, [], undefined);
    expect(s.node.contribution).toBeCloseTo(17 / 300 - 0.075, 12);
    const [eu, us] = s.children;
    expect(eu!.segment).toEqual([{ dimension: 'region', value: 'EU' }]);
    // EU: its share of sessions went 1/2 -> 2/3 at a ratio 0.05 -> 0.025.
    expect(eu!.base).toBe(0.05);
    expect(eu!.current).toBe(0.025);
    expect(eu!.contribution).toBeCloseTo(-0.0193056, 6);
    expect(eu!.rate).toBeCloseTo(-0.0145833, 6);
    expect(eu!.mix).toBeCloseTo(-0.0047222, 6);
    expect(us!.contribution).toBeCloseTo(0.00097222, 7);
    expect(us!.rate).toBeCloseTo(0.0083333, 6);
    expect(us!.mix).toBeCloseTo(-0.0073611, 6);
    expect(eu!.contribution + us!.contribution).toBeCloseTo(s.node.contribution, 14);
    expect(eu!.base_weight).toBe(100);
    expect(eu!.current_weight).toBe(200);
  });

  it('refuses what it cannot split, saying what to do', () => {
    expect(() => splitSegment(run(dims), null, [], undefined)).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', hint: 'Run it again: a new run keeps what the tree needs.' }),
    );
    expect(() => splitSegment(run(dims), sales, [{ dimension: 'country', value: 'US' }], undefined)).toThrow(
      "'country' is not a dimension of this run (in the node); its dimensions are region, channel",
    );
    expect(() => splitSegment(run(dims), sales, [{ dimension: 'region', value: 'US' }], 'region')).toThrow(
      "the node already fixes 'region', so it cannot be split by it",
    );
    expect(() =>
      splitSegment(
        run(dims),
        sales,
        [
          { dimension: 'region', value: 'US' },
          { dimension: 'region', value: 'EU' },
        ],
        undefined,
      ),
    ).toThrow("the node fixes 'region' twice");
    expect(() => splitSegment(run(dims), { ...sales, codes: [9] }, [], undefined)).toThrow(
      expect.objectContaining({
        code: 'FILE_UNREADABLE',
        message: 'the decomposition data kept with this run cannot be read (codes missing)',
      }),
    );
  });
});

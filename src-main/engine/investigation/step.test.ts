import { describe, expect, it } from 'vitest';
import { INVESTIGATION_MODES } from '../../../src-shared/analysis-options';
import { routeMode } from './routing';
import { stepOf, stepId, wholeTotals, type CubeLeaves, type StepContext } from './step';

/**
 * A table of 80 rows in four leaves, summed by hand:
 *   US/Web   base 10 rows, 100   new 20 rows, 300
 *   US/Store base 10 rows, 100   new 10 rows, 100
 *   EU/Web   base 10 rows, 200   new  5 rows, 100
 *   EU/Store base 10 rows, 100   new  5 rows, 100
 * Whole: 40 rows, 500 -> 40 rows, 600 (change +100).
 */
const tiny: CubeLeaves = {
  dimensions: ['region', 'channel'],
  leaves: [
    { values: ['US', 'Web'], num0: 100, den0: 10, num1: 300, den1: 20 },
    { values: ['US', 'Store'], num0: 100, den0: 10, num1: 100, den1: 10 },
    { values: ['EU', 'Web'], num0: 200, den0: 10, num1: 100, den1: 5 },
    { values: ['EU', 'Store'], num0: 100, den0: 10, num1: 100, den1: 5 },
  ],
};
const ctx = (over: Partial<StepContext> = {}): StepContext => ({
  mode: 'change_drivers',
  wholeDelta: 100,
  keep: 12,
  depth: 0,
  parent: null,
  scoreImprovement: null,
  chosenBy: 'deterministic',
  ...over,
});

describe('a step on the cube', () => {
  it('the whole table by region: records, shares, metric and the share of the whole change, by hand', () => {
    expect(wholeTotals(tiny)).toEqual({
      base_records: 40,
      new_records: 40,
      base_metric: 500,
      new_metric: 600,
      delta_metric: 100,
      delta_pct: 20,
    });
    const s = stepOf(tiny, [], 'region', ctx());
    expect(s.id).toBe('d0:region:all');
    expect(s.movers).toEqual([
      {
        segment: 'US',
        base_records: 20,
        new_records: 30,
        base_metric: 200,
        new_metric: 400,
        base_share_pct: 50,
        new_share_pct: 75,
        delta_share_pp: 25,
        delta_metric: 200,
        delta_pct_of_total: 200,
        score: 200,
      },
      {
        segment: 'EU',
        base_records: 20,
        new_records: 10,
        base_metric: 300,
        new_metric: 200,
        base_share_pct: 50,
        new_share_pct: 25,
        delta_share_pp: -25,
        delta_metric: -100,
        delta_pct_of_total: -100,
        score: 100,
      },
    ]);
    expect(s.concentration).toEqual({
      segments: 2,
      top1_share_pct: { base: 50, new: 75, delta_pp: 25 },
      top5_share_pct: { base: 100, new: 100, delta_pp: 0 },
    });
    expect([s.base_records, s.new_records, s.base_metric, s.new_metric, s.delta_metric, s.residual_abs]).toEqual([
      40, 40, 500, 600, 100, 0,
    ]);
  });

  it('concentration mode scores by share points; equal scores are ranked by name', () => {
    const s = stepOf(tiny, [], 'region', ctx({ mode: 'concentration_drivers' }));
    expect(s.movers.map((m) => [m.segment, m.score])).toEqual([
      ['EU', 25],
      ['US', 25],
    ]);
  });

  it('a scoped step: shares are of the scope, the change still of the whole; kept movers leave a residual', () => {
    const s = stepOf(tiny, [{ dimension: 'region', value: 'EU' }], 'channel', ctx({ depth: 1, parent: 'd0:region:all', keep: 1 }));
    expect(s.id).toBe('d1:channel:region=EU');
    expect(s.movers).toHaveLength(1);
    expect(s.movers[0]).toMatchObject({
      segment: 'Web',
      base_share_pct: 50,
      new_share_pct: 50,
      delta_metric: -100,
      delta_pct_of_total: -100,
      score: 100,
    });
    // EU changed by -100; the one kept mover (Web) accounts for all of it, Store (0) for none.
    expect(s.residual_abs).toBe(0);
    const us = stepOf(tiny, [{ dimension: 'region', value: 'US' }], 'channel', ctx({ keep: 1, mode: 'concentration_drivers' }));
    // US: Web 10 -> 20 of 20 -> 30 rows (50% -> 66.67%), Store the same 16.67 points the other way.
    expect(us.movers.map((m) => m.segment)).toEqual(['Store']);
    expect(us.movers[0]!.delta_share_pp).toBeCloseTo(-16.6667, 4);
    // US changed by +200; Store (0) is kept, Web's +200 is left out.
    expect(us.residual_abs).toBe(200);
  });

  it('a whole that did not change gives no share of it (null, score 0)', () => {
    const flat: CubeLeaves = {
      dimensions: ['region'],
      leaves: [
        { values: ['A'], num0: 10, den0: 1, num1: 20, den1: 1 },
        { values: ['B'], num0: 20, den0: 1, num1: 10, den1: 1 },
      ],
    };
    const s = stepOf(flat, [], 'region', ctx({ wholeDelta: 0 }));
    expect(s.movers.map((m) => [m.segment, m.delta_pct_of_total, m.score])).toEqual([
      ['A', null, 0],
      ['B', null, 0],
    ]);
  });

  it('step ids name the depth, the dimension and the path', () => {
    expect(
      stepId(2, 'plan_tier', [
        { dimension: 'region', value: 'US' },
        { dimension: 'channel', value: 'Direct' },
      ]),
    ).toBe('d2:plan_tier:region=US&channel=Direct');
  });
});

describe('mode routing (the original table)', () => {
  it.each([
    ['Where is revenue concentration rising?', 'concentration_drivers'],
    ['Is revenue more concentrated?', 'concentration_drivers'],
    ['What should I inspect?', 'recommend_next'],
    ['What should we inspect first', 'recommend_next'],
    ['OK, what next?', 'recommend_next'],
    ['Which segment should I inspect next?', 'recommend_next'],
    ['Compare the two snapshots', 'compare_snapshots'],
    ['Where was the biggest shift?', 'compare_snapshots'],
    ['What was the BIGGEST CHANGE', 'compare_snapshots'],
    ['Where is the largest change?', 'compare_snapshots'],
    ['Why did revenue change?', 'change_drivers'],
    ['', 'change_drivers'],
  ])('%j -> %s', (question, mode) => {
    expect(routeMode(question)).toBe(mode);
    expect(INVESTIGATION_MODES).toContain(mode);
  });

  it('the first matching row wins: concentration before compare, recommend before compare', () => {
    expect(routeMode('Compare the concentration of revenue')).toBe('concentration_drivers');
    expect(routeMode('Compare, then what next?')).toBe('recommend_next');
    expect(routeMode('what   should  i  inspect')).toBe('recommend_next');
  });
});

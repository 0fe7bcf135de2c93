import { describe, expect, it } from 'vitest';
import type { DriversArtifact } from './drivers';
import { driversStory } from './drivers-story';

/**
 * The demo's drivers run, numbers as the engine wrote them:
 * factorlens analyze-drivers --input data/demo_revenue_residual.csv --metric revenue_usd \
 *   --date-column date --time-grain month --period last --anchor-date 2026-04-15 --by region
 */
const residualDemo: DriversArtifact = {
  schema: 'factorlens.drivers/1',
  kind: 'drivers',
  input: 'data/demo_revenue_residual.csv',
  input_new: null,
  metric: 'revenue_usd',
  method: 'lmdi',
  identity: {
    expression: 'revenue_usd = orders * avg_price_usd',
    left: 'orders',
    right: 'avg_price_usd',
    op: 'multiply',
    fit_mape: 0.011795544824240391,
    fit_rows: 56,
    terms: [
      { column: 'orders', power: 1 },
      { column: 'avg_price_usd', power: 1 },
    ],
    stated: false,
  },
  candidates: [],
  metric_base: 5370391.8,
  metric_new: 4490219.359999999,
  metric_change: -880172.4400000004,
  metric_change_pct: -16.3893524491081,
  drivers: [
    { name: 'orders', base: 54300, new: 45586, aggregation: 'sum', contrib_pct: -15.873099696375677, contrib_amount: -852447.6444999842 },
    {
      name: 'avg_price_usd',
      base: 98.90224309392265,
      new: 96.69180669503794,
      aggregation: 'weighted',
      contrib_pct: -2.0510878833834036,
      contrib_amount: -110151.45550001586,
    },
  ],
  explained_amount: -962599.1000000001,
  explained_pct: -17.92418757975908,
  explained_share_pct: 109.36483082792273,
  residual: {
    residual_pct: 1.534835130650983,
    residual_amount: 82426.65999999968,
    parts: [
      { name: 'identity misfit', amount: 82426.65999999968 },
      { name: 'rows the identity cannot price (a driver missing or a divisor of 0)', amount: 0 },
      { name: 'new or gone region segments (in one frame only)', amount: 0 },
    ],
    signals: [
      {
        name: 'conversion_rate',
        signal_type: 'numeric',
        score: 7.684444861818313,
        detail: 'lower values correlate with residual (corr=-0.72)',
        rows: 56,
        same_rows_as: [],
        mean_residual: null,
        total_residual: null,
      },
      {
        name: 'campaign = spring_launch, channel = Marketplace, device_type = mobile, region = APAC',
        signal_type: 'categorical',
        score: 5.658602456827767,
        detail: 'mean residual +5,151.67 (16 rows): the same 16 rows',
        rows: 16,
        same_rows_as: ['campaign', 'channel', 'device_type', 'region'],
        mean_residual: 5151.666249999998,
        total_residual: 82426.65999999997,
      },
    ],
  },
  window: { current_start: '2026-03-01', current_end: '2026-03-31', previous_start: '2026-02-01', previous_end: '2026-02-28', date_column: 'date' },
  base_rows: 28,
  new_rows: 28,
  bridge: {
    dimension: 'region',
    volume_driver: 'orders',
    base_rate: 98.90224309392265,
    new_rate: 96.69180669503794,
    volume_effect: -861834.146320442,
    mix_effect: -983.2626439075343,
    rate_effect: -99781.69103565096,
    new_segments: 0,
    gone_segments: 0,
    new_or_gone_effect: 0,
    total: -962599.1000000006,
    rows: [],
    warning: null,
  },
  warnings: [],
};

/** The same command on data/demo_revenue.csv, where the identity holds on every row (residual 2.3e-10). */
const exactDemo: DriversArtifact = {
  ...residualDemo,
  input: 'data/demo_revenue.csv',
  metric_base: 5589250.7,
  metric_new: 4784973.9,
  metric_change: -804276.7999999998,
  metric_change_pct: -14.389707013857866,
  drivers: [
    { name: 'orders', base: 55889, new: 49452, aggregation: 'sum', contrib_pct: -11.33332107491504, contrib_amount: -633447.7275129363 },
    {
      name: 'avg_price_usd',
      base: 100.00627493782319,
      new: 96.75996724096093,
      aggregation: 'weighted',
      contrib_pct: -3.0563859389428307,
      contrib_amount: -170829.07248706374,
    },
  ],
  explained_amount: -804276.8,
  explained_pct: -14.389707013857867,
  explained_share_pct: 100.00000000000003,
  residual: {
    residual_pct: 4.165686174246391e-15,
    residual_amount: 2.3283064365386963e-10,
    parts: [
      { name: 'identity misfit', amount: 2.3283064365386963e-10 },
      { name: 'rows the identity cannot price (a driver missing or a divisor of 0)', amount: 0 },
      { name: 'new or gone region segments (in one frame only)', amount: 0 },
    ],
    signals: [],
  },
  bridge: {
    ...residualDemo.bridge!,
    base_rate: 100.00627493782319,
    new_rate: 96.75996724096093,
    volume_effect: -643740.3917747679,
    mix_effect: -1085.8841787720548,
    rate_effect: -159450.5240464602,
    total: -804276.8000000002,
  },
};

describe('the story of a drivers run', () => {
  it('tells the demo: the fall, each driver, the unexplained rest and the rows it sits in, volume/mix/rate', () => {
    expect(driversStory(residualDemo)).toEqual([
      'revenue_usd fell 16.4% (-880K) from February to March 2026.',
      'Fewer orders explain -852K; lower avg_price_usd -110K.',
      '+82.4K is not explained by the formula and sits in the 16 rows of campaign = spring_launch, channel = Marketplace, device_type = mobile, region = APAC.',
      'Split by region, the volume of orders accounts for -862K, the mix across region values -983 and the rate within each -99.8K.',
    ]);
  });

  it('says the formula explains all of it when the residual is only rounding (data/demo_revenue.csv)', () => {
    expect(driversStory(exactDemo)).toEqual([
      'revenue_usd fell 14.4% (-804K) from February to March 2026.',
      'Fewer orders explain -633K; lower avg_price_usd -171K.',
      'The formula explains all of it.',
      'Split by region, the volume of orders accounts for -644K, the mix across region values -1.09K and the rate within each -159K.',
    ]);
  });

  it('names two snapshots by their files, a rise, and a residual that is mostly new or gone segments', () => {
    const files: DriversArtifact = {
      ...residualDemo,
      input: 'exports/base.csv',
      input_new: 'exports/new.csv',
      window: null,
      bridge: null,
      metric_change: 880172.44,
      metric_change_pct: 19.6,
      drivers: [
        { ...residualDemo.drivers[0]!, base: 45586, new: 54300, contrib_amount: 852447.64 },
        { ...residualDemo.drivers[1]!, base: 96.69, new: 98.9, contrib_amount: 110151.46 },
      ],
      residual: {
        ...residualDemo.residual,
        residual_amount: -82426.66,
        parts: [
          { name: 'identity misfit', amount: -2426.66 },
          { name: 'new or gone region segments (in one frame only)', amount: -80000 },
        ],
        signals: [],
      },
    };
    expect(driversStory(files)).toEqual([
      'revenue_usd rose 19.6% (+880K) from base.csv to new.csv.',
      'More orders explain +852K; higher avg_price_usd +110K.',
      '-82.4K is not explained by the formula; most of it is new or gone region segments (in one frame only).',
    ]);
  });

  it('says "mostly in" when the rows of one segment hold most but not all of the rest', () => {
    const partly: DriversArtifact = {
      ...residualDemo,
      residual: {
        ...residualDemo.residual,
        signals: [{ ...residualDemo.residual.signals[1]!, name: 'region = APAC', rows: 20, total_residual: 60000 }],
      },
    };
    expect(driversStory(partly)[2]).toBe('+82.4K is not explained by the formula and sits mostly in the 20 rows of region = APAC.');
  });

  it('keeps a small residual (under 0.5% of the change) as a remainder, not a finding', () => {
    const small: DriversArtifact = { ...residualDemo, residual: { ...residualDemo.residual, residual_amount: 1234.5 } };
    expect(driversStory(small)[2]).toBe('The formula explains all of it but +1.23K.');
  });
});

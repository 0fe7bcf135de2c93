import { describe, expect, it } from 'vitest';
import type { SegmentPart, SegmentsArtifact } from './segments';
import { segmentsStory } from './segments-story';

const part = (segment: SegmentPart['segment'], contribution: number, share: number, rate = 0): SegmentPart => ({
  segment,
  base: null,
  current: null,
  contribution,
  rate,
  mix: contribution - rate,
  share,
  status: 'both',
  base_weight: 1,
  current_weight: 1,
});

const base: SegmentsArtifact = {
  schema: 'factorlens.segments/1',
  kind: 'segments',
  input: 'sales.csv',
  input_new: null,
  metric: 'revenue',
  metric_kind: 'sum',
  numerator: null,
  denominator: null,
  comparison: { mode: 'period', date_column: 'date', windows: { current: { start: '2026-03-01', end: '2026-03-31' }, previous: { start: '2026-02-01', end: '2026-02-28' } } },
  base_label: 'February 2026',
  current_label: 'March 2026',
  dimensions: ['region'],
  dimensions_auto: false,
  max_depth: 1,
  base_value: 5370391.8,
  current_value: 4490219.36,
  change: -880172.44,
  change_pct: -16.39,
  rows: { base: 28, current: 28 },
  leaves: 3,
  bridge: [
    part([{ dimension: 'region', value: 'US' }], -550216.4, 0.625),
    part([{ dimension: 'region', value: 'EU' }], -238852, 0.271),
    part([{ dimension: 'region', value: 'APAC' }], -91104.04, 0.104),
    part(null, 0, 0),
  ],
  closure_error: 0,
  root_causes: [],
  splits: [],
  warnings: [],
};

describe('the story of a segments run', () => {
  it('says what moved, the largest parts and whether it is spread (the demo by region)', () => {
    expect(segmentsStory(base)).toEqual([
      // 880,172.44 / 5,370,391.80 = 16.39%; amounts to three significant digits, as the drivers story writes them.
      'revenue fell 16.4% (-880K) from February to March 2026.',
      'The largest parts: region US -550K (63% of it); region EU -239K (27% of it); region APAC -91.1K (10% of it).',
      'No segment moved apart from the rest: the change is spread over the table.',
    ]);
  });

  it('names the root causes, and for a ratio whether rate or mix moved', () => {
    const ratio: SegmentsArtifact = {
      ...base,
      metric: 'conversion',
      metric_kind: 'ratio',
      base_value: 0.1957,
      current_value: 0.1869,
      change: -0.0088,
      change_pct: -4.5,
      bridge: [part([{ dimension: 'device', value: 'desktop' }], -0.0068, 0.77, -0.0067), part(null, -0.002, 0.23, -0.002)],
      root_causes: [{ segment: [{ dimension: 'device', value: 'desktop' }], contribution: -0.0068, share: 0.77, explanatory_power: 0.8, surprise: 0.01, confidence: 0.999 }],
    };
    expect(segmentsStory(ratio)).toEqual([
      'conversion fell 4.5%, from 0.1957 to 0.1869, between February and March 2026.',
      'The largest parts: device desktop -0.0068 (77% of it).',
      'It is concentrated in device desktop: its rows moved apart from the rest of the table.',
      "Mostly the segments' own ratios moved (rate), more than their weights (mix).",
    ]);
  });

  it('names two files by their names, and periods across a year end in full', () => {
    const files: SegmentsArtifact = { ...base, comparison: { mode: 'files' }, base_label: 'sales_jan.csv', current_label: 'sales_feb.csv' };
    expect(segmentsStory(files)[0]).toBe('revenue fell 16.4% (-880K) from sales_jan.csv to sales_feb.csv.');
    const yearEnd: SegmentsArtifact = {
      ...base,
      comparison: { mode: 'period', date_column: 'date', windows: { previous: { start: '2025-12-01', end: '2025-12-31' }, current: { start: '2026-01-01', end: '2026-01-31' } } },
    };
    expect(segmentsStory(yearEnd)[0]).toBe('revenue fell 16.4% (-880K) from December 2025 to January 2026.');
  });

  it('says a part that moved against the whole is against it, not a share of it', () => {
    const against: SegmentsArtifact = {
      ...base,
      bridge: [part([{ dimension: 'region', value: 'US' }], -1100000, 1.25), part([{ dimension: 'region', value: 'APAC' }], 219827.56, -0.25), part(null, 0, 0)],
    };
    expect(segmentsStory(against)[1]).toBe('The largest parts: region US -1.1M (125% of it); region APAC +220K (25% against it).');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { runAnalyze } from './run';

const root = path.resolve(__dirname, '../../..');
const demo = path.join(root, 'data/factorlens_demo_sales.csv');
const demo150 = path.join(root, 'data/factorlens_demo_sales_150.csv');
const small = path.join(root, 'tests/fixtures/small.csv');

function analyze(file: string, options: AnalyzeOptionsInput): Promise<AnalyzeArtifact> {
  return runAnalyze({ source: { kind: 'file', path: file }, options: AnalyzeOptionsSchema.parse(options) });
}

const group = (a: AnalyzeArtifact, key: string) => a.groups.find((g) => g.group === key);

describe('analyze on the seed demo data (documented numbers)', () => {
  it('groups by region: US has 29 records and revenue 4,020,509.65', async () => {
    const a = await analyze(demo, { groupBy: ['region'], metrics: ['revenue_usd', 'cost_usd', 'orders'], rankBy: 'revenue_usd' });
    const us = group(a, 'US')!;
    expect(us.count).toBe(29);
    expect(us.count_share_pct).toBeCloseTo(29.0, 10);
    expect(us.revenue_usd as number).toBeCloseTo(4_020_509.65, 6);
    expect(a.records).toBe(100);
  });

  it('four group columns on the 100-row file: 62 segments, top-5 = 12 records and 21.2% of revenue', async () => {
    const a = await analyze(demo, {
      groupBy: ['region', 'channel', 'product_line', 'plan_tier'],
      metrics: ['revenue_usd', 'cost_usd', 'orders'],
      rankBy: 'revenue_usd',
    });
    expect(a.records).toBe(100);
    expect(a.segments).toBe(62);
    expect(a.top5_count).toBe(12);
    expect(a.top5_record_share_pct).toBeCloseTo(12.0, 10);
    expect(((a.top5_primary_metric_value ?? 0) * 100) / (a.total_primary_metric_value ?? 1)).toBeCloseTo(21.2, 1);
    expect(a.groups[0]!.group).toBe('APAC | Partner | Services | 1');
    expect(a.groups[0]!.revenue_usd as number).toBeCloseTo(722_772.85, 6);
    expect(a.groups[0]!.values).toEqual(['APAC', 'Partner', 'Services', '1']);
  });

  it('four group columns on the 150-row file: 60 segments, top-5 = 32 records (21.3%) and 25.3% of revenue', async () => {
    const a = await analyze(demo150, {
      groupBy: ['region', 'channel', 'product_line', 'plan_tier'],
      metrics: ['revenue_usd', 'cost_usd', 'orders'],
      rankBy: 'revenue_usd',
    });
    expect(a.records).toBe(150);
    expect(a.segments).toBe(60);
    expect(a.top5_count).toBe(32);
    expect(a.top5_record_share_pct).toBeCloseTo(21.333, 2);
    expect(((a.top5_primary_metric_value ?? 0) * 100) / (a.total_primary_metric_value ?? 1)).toBeCloseTo(25.3, 1);
    expect(a.groups[0]).toMatchObject({ group: 'US | Direct | Premium | 0', count: 9 });
    expect(a.groups[0]!.revenue_usd as number).toBeCloseTo(2_289_456.97, 6);
  });

  it('US region on the 150-row file: 71 records (47.33%) and revenue 13,561,697.76', async () => {
    const a = await analyze(demo150, { groupBy: ['region'], metrics: ['revenue_usd'] });
    const us = group(a, 'US')!;
    expect(us.count).toBe(71);
    expect(us.count_share_pct).toBeCloseTo(47.33, 2);
    expect(us.revenue_usd as number).toBeCloseTo(13_561_697.76, 6);
  });

  it('auto-detection skips the date column and the 0/1 flag, deterministically', async () => {
    const a = await analyze(demo, {});
    expect(a.group_by).not.toContain('order_date');
    // Fewest distinct values first (channel has 3; region and product_line 4 each, header order breaks the tie).
    expect(a.group_by).toEqual(['channel', 'region', 'product_line']);
    expect(a.metrics).toEqual(['revenue_usd', 'cost_usd', 'orders']);
    expect(a.group_by_auto).toBe(true);
    expect(a.metrics_auto).toBe(true);
    const again = await analyze(demo, {});
    expect(again).toEqual(a);
  });
});

describe('analyze on a hand-computed table', () => {
  it('sums, shares and ranking by a metric', async () => {
    const a = await analyze(small, { groupBy: ['team'], metrics: ['sales', 'units'], rankBy: 'sales' });
    expect(a.rows).toBe(8);
    expect(a.records).toBe(8);
    expect(a.groups.map((g) => g.group)).toEqual(['Blue', 'Red', 'Green']);
    // "1,000" and "$7" read as numbers; "n/a" is ignored.
    expect(group(a, 'Blue')!.sales).toBe(1012);
    expect(group(a, 'Red')!.sales).toBe(60);
    expect(group(a, 'Green')!.sales).toBe(8);
    expect(group(a, 'Blue')!.units).toBe(7);
    expect(a.total_primary_metric_value).toBe(1080);
    expect(group(a, 'Blue')!.sales_share_pct as number).toBeCloseTo((1012 / 1080) * 100, 10);
    expect(group(a, 'Green')!.count_share_pct).toBe(25);
    expect(a.top5_count).toBe(8);
    expect(a.top5_primary_metric_value).toBe(1080);
  });

  it('ties in record count are ordered by segment name', async () => {
    const a = await analyze(small, { groupBy: ['team'], metrics: ['sales'] });
    expect(a.rank_by).toBe('count');
    expect(a.groups.map((g) => [g.group, g.count])).toEqual([
      ['Blue', 3],
      ['Red', 3],
      ['Green', 2],
    ]);
    // Largest segment: Blue and Red tie on 3 records; the first in ranked order wins.
    expect(a.largest_segment).toMatchObject({ group: 'Blue', count: 3, count_share_pct: 37.5 });
  });

  it('mean and median per segment', async () => {
    const mean = await analyze(small, { groupBy: ['team'], metrics: ['sales'], agg: 'mean', rankBy: 'sales' });
    expect(group(mean, 'Red')!.sales).toBe(20);
    expect(group(mean, 'Blue')!.sales as number).toBeCloseTo(1012 / 3, 10);
    expect(group(mean, 'Green')!.sales).toBe(8);
    expect(group(mean, 'Red')!.sales_share_pct).toBeUndefined();
    // Average of the top five segments' means when the aggregation is not a sum.
    expect(mean.top5_primary_metric_value as number).toBeCloseTo((20 + 1012 / 3 + 8) / 3, 10);
    const median = await analyze(small, { groupBy: ['team'], metrics: ['sales'], agg: 'median', rankBy: 'sales' });
    expect(group(median, 'Blue')!.sales).toBe(7);
    expect(group(median, 'Red')!.sales).toBe(20);
    expect(median.groups.map((g) => g.group)).toEqual(['Red', 'Green', 'Blue']);
  });

  it('blank group values become (blank) and count towards the blank share', async () => {
    const a = await analyze(small, { groupBy: ['region'], metrics: ['sales'] });
    expect(a.groups.map((g) => [g.group, g.count])).toEqual([
      ['North', 4],
      ['South', 3],
      ['(blank)', 1],
    ]);
    expect(a.blank_share_pct).toBe(12.5);
    expect(a.largest_segment?.group).toBe('North');
  });

  it('--where keeps matching rows only; rows still counts every row', async () => {
    const a = await analyze(small, { groupBy: ['region'], metrics: ['sales'], where: [{ column: 'TEAM', value: 'Red' }] });
    expect(a.rows).toBe(8);
    expect(a.records).toBe(3);
    expect(a.filters).toEqual(['team=Red']);
    expect(a.groups.map((g) => [g.group, g.count, g.sales])).toEqual([
      ['North', 2, 30],
      ['South', 1, 30],
    ]);
  });

  it('--min-records drops small segments but keeps them in the totals', async () => {
    const a = await analyze(small, { groupBy: ['team'], metrics: ['sales'], minRecords: 3 });
    expect(a.segments).toBe(2);
    expect(a.segments_total).toBe(3);
    expect(a.total_primary_metric_value).toBe(1080);
    expect(a.records).toBe(8);
  });

  it('trimmed spellings of a value are one segment, and punctuation-only values are blank', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-keys-'));
    const f = path.join(dir, 'keys.csv');
    writeFileSync(f, 'team,sales\nRed,1\n  Red ,2\n-,4\n,8\nBlue,16\n"Red",32\n');
    for (const agg of ['sum', 'mean', 'median'] as const) {
      const a = await analyze(f, { groupBy: ['team'], metrics: ['sales'], agg });
      const expected = { sum: [35, 12, 16], mean: [35 / 3, 6, 16], median: [2, 6, 16] }[agg];
      expect(a.groups.map((g) => [g.group, g.count])).toEqual([
        ['Red', 3],
        ['(blank)', 2],
        ['Blue', 1],
      ]);
      expect(a.groups.map((g) => g.sales)).toEqual(expected);
    }
  });

  it('auto-detects groups by fewest values and skips the 0/1 flag as a metric', async () => {
    const a = await analyze(small, {});
    expect(a.group_by).toEqual(['region', 'team']);
    expect(a.metrics).toEqual(['sales', 'units']);
  });
});

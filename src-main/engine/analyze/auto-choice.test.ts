import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import type { TableProfile } from '../../sources/profile';
import { chooseGroupBy, chooseMetrics } from './auto-choice';
import { runAnalyze } from './run';

const root = path.resolve(__dirname, '../../..');
const birdstrikes = path.join(root, 'tests/fixtures/vega/birdstrikes.csv');
const seattle = path.join(root, 'tests/fixtures/vega/seattle-weather.csv');
const demo = path.join(root, 'data/factorlens_demo_sales.csv');

function analyze(file: string, options: AnalyzeOptionsInput = {}): Promise<AnalyzeArtifact> {
  return runAnalyze({ source: { kind: 'file', path: file }, options: AnalyzeOptionsSchema.parse(options) });
}

describe('analyze with nothing chosen: groups and metrics that read well', () => {
  it('birdstrikes: two small text columns (12 segments), and a mostly non-zero primary metric', async () => {
    const a = await analyze(birdstrikes);
    // Wildlife Size (3 values) x Time of day (4) = 12; Effect Amount of damage (6) would make 72 > 50.
    expect(a.group_by).toEqual(['Wildlife Size', 'Time of day']);
    expect(a.segments).toBe(12);
    expect(a.records).toBe(10_000);
    // The cost columns are 98-99% zeros: Speed leads, then the costs with the most non-zero values.
    expect(a.metrics).toEqual(['Speed IAS in knots', 'Cost Total $', 'Cost Repair']);
    expect(a.primary_metric).toBe('Speed IAS in knots');
    expect(a.group_by_auto && a.metrics_auto).toBe(true);
    const largest = a.groups[0]!;
    expect(largest.count).toBeLessThan(4_000);
    expect(largest['Speed IAS in knots_share_pct'] as number).toBeGreaterThan(1);
  });

  it('seattle-weather: the one text column, the temperatures before the mostly-zero precipitation', async () => {
    const a = await analyze(seattle);
    expect(a.group_by).toEqual(['weather']);
    expect(a.segments).toBe(5);
    expect(a.metrics).toEqual(['temp_max', 'temp_min', 'wind']);
  });

  it('the demo sales: the documented choice holds (3 x 4 x 4 = 48 possible segments)', async () => {
    const a = await analyze(demo);
    expect(a.group_by).toEqual(['channel', 'region', 'product_line']);
    expect(a.metrics).toEqual(['revenue_usd', 'cost_usd', 'orders']);
  });

  it('--auto-group-k still caps the columns', async () => {
    expect((await analyze(demo, { autoGroupK: 1 })).group_by).toEqual(['channel']);
  });

  it('a near-constant column is skipped, an id-like or 80-valued one never groups', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-auto-'));
    const file = path.join(dir, 'near-constant.csv');
    const lines = ['order_id,country,team,city,amount'];
    for (let i = 0; i < 200; i++)
      lines.push(`${i},${i < 197 ? 'US' : 'CA'},${['red', 'blue'][i % 2]},city${i % 80},${i % 4 === 0 ? 0 : i}`);
    writeFileSync(file, lines.join('\n') + '\n');
    const a = await analyze(file);
    // country: 98.5% one value, so team alone; city's 80 values are over 60.
    expect(a.group_by).toEqual(['team']);
    expect(a.metrics).toEqual(['amount']);
  });
});

describe('the rules on a profile', () => {
  const col = (name: string, type: 'text' | 'number', distinctText: number, filled = 100, numeric = 0) => ({
    name,
    type,
    filled,
    numeric,
    dateLike: 0,
    distinct: distinctText,
    distinctText,
    isFlag: false,
    nonFinite: 0,
  });
  const profile: TableProfile = {
    sampleRows: 100,
    columns: [
      col('a', 'text', 10),
      col('b', 'text', 5),
      col('c', 'text', 6),
      col('x', 'number', 0, 100, 100),
      col('y', 'number', 0, 40, 40),
    ],
  };
  const none = { topCount: new Map<string, number>(), zeros: new Map<string, number>() };

  it('the first column always, the next while the segments stay at most 50', () => {
    expect(chooseGroupBy(profile, none, 5)).toEqual(['b', 'c']);
    expect(chooseGroupBy(profile, { ...none, topCount: new Map([['b', 96]]) }, 5)).toEqual(['c']);
  });

  it('mostly non-zero metrics first (most filled), then the mostly-zero ones (most non-zero values)', () => {
    expect(chooseMetrics(profile, none, [])).toEqual(['x', 'y']);
    expect(chooseMetrics(profile, { ...none, zeros: new Map([['x', 60]]) }, [])).toEqual(['y', 'x']);
  });
});

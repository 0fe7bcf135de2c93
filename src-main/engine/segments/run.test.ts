import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SegmentsOptionsSchema, type SegmentsOptions } from '../../../src-shared/analysis-options';
import { deriveWindows } from '../../../src-shared/periods';
import { runSegments } from './run';

const root = path.resolve(__dirname, '../../..');
const residual = path.join(root, 'data/demo_revenue_residual.csv');
const march = deriveWindows('month', 'last', '2026-04-15');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-segments-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const run = (input: string, options: Partial<SegmentsOptions>, inputNew: string | null = null) =>
  runSegments({ input, source: null, inputNew, options: SegmentsOptionsSchema.parse(options) });

describe('analyze-segments on the demo data', () => {
  it('revenue by region, February to March: the bridge is the three regions, summed by hand with awk', async () => {
    const a = await run(residual, { metric: 'revenue_usd', dimensions: ['region'], maxDepth: 1, dateColumn: 'date', windows: march });
    expect(a.base_value).toBeCloseTo(5370391.8, 6);
    expect(a.current_value).toBeCloseTo(4490219.36, 6);
    expect(a.change).toBeCloseTo(-880172.44, 6);
    expect(a.change_pct!.toFixed(1)).toBe('-16.4');
    expect(a.bridge.map((b) => [b.segment?.[0]?.value ?? 'rest', Number(b.contribution.toFixed(2))])).toEqual([
      ['US', -550216.4],
      ['EU', -238852],
      ['APAC', -91104.04],
      ['rest', 0],
    ]);
    expect(a.closure_error).toBeLessThan(1e-12);
    expect(a.rows).toEqual({ base: 28, current: 28 });
  });

  it('conversion = orders / traffic: US rate and mix from the sums (awk: 28,759/145,500 -> 23,780/126,388)', async () => {
    const a = await run(residual, {
      metric: 'conversion',
      numerator: 'orders',
      denominator: 'traffic',
      dimensions: ['region'],
      maxDepth: 1,
      dateColumn: 'date',
      windows: march,
    });
    expect(a.metric_kind).toBe('ratio');
    expect(a.base_value).toBeCloseTo(54300 / 277470, 14);
    expect(a.current_value).toBeCloseTo(45586 / 243875, 14);
    const us = a.bridge.find((b) => b.segment?.[0]?.value === 'US')!;
    const [w0, w1, r0, r1] = [145500 / 277470, 126388 / 243875, 28759 / 145500, 23780 / 126388];
    const Rbar = (54300 / 277470 + 45586 / 243875) / 2;
    expect(us.rate).toBeCloseTo(((w0 + w1) / 2) * (r1 - r0), 14);
    expect(us.mix).toBeCloseTo((w1 - w0) * ((r0 + r1) / 2 - Rbar), 14);
    expect(us.base_weight).toBe(145500);
    expect(a.bridge.reduce((s, b) => s + b.contribution, 0)).toBeCloseTo(a.change, 14);
  });

  it('picks its dimensions (text and code columns, never the date or the metric) and ranks the splits', async () => {
    const a = await run(residual, { metric: 'revenue_usd', dateColumn: 'date', windows: march });
    expect(a.dimensions_auto).toBe(true);
    expect(a.dimensions).toEqual(expect.arrayContaining(['region', 'channel']));
    expect(a.dimensions).not.toContain('date');
    expect(a.dimensions).not.toContain('revenue_usd');
    expect(a.splits.map((s) => s.dimension).sort()).toEqual([...a.dimensions].sort());
    expect(a.closure_error).toBeLessThan(1e-9);
  });
});

describe('analyze-segments on awkward tables', () => {
  it('keeps values as the cells wrote them: codes, " | ", "*", non-ASCII', async () => {
    const f = file(
      'codes.csv',
      [
        'day,code,place,amount',
        '2026-01-05,2000,a | b,10',
        '2026-01-06,2000.0,a,5',
        '2026-01-07,*,Zürich,1',
        '2026-02-05,2000,a | b,30',
        '2026-02-06,2000.0,a,5',
        '2026-02-07,*,Zürich,4',
      ].join('\n'),
    );
    const a = await run(f, {
      metric: 'amount',
      dimensions: ['code', 'place'],
      maxDepth: 1,
      dateColumn: 'day',
      windows: deriveWindows('month', 'last', '2026-03-01'),
    });
    const byCode = a.splits.find((s) => s.dimension === 'code')!.parts.map((p) => [p.segment![0]!.value, p.contribution]);
    expect(byCode).toEqual([
      ['2000', 20],
      ['*', 3],
      ['2000.0', 0],
    ]);
    expect(
      a.splits
        .find((s) => s.dimension === 'place')!
        .parts.map((p) => p.segment![0]!.value)
        .sort(),
    ).toEqual(['Zürich', 'a', 'a | b'].sort());
  });

  it('names the region that moved as the root cause, and nothing else', async () => {
    // 4 regions x 3 channels x 10 days a month; every amount wobbles a little; EU's rise 60% in March.
    const lines = ['day,region,channel,amount'];
    let i = 0;
    for (const month of ['02', '03'])
      for (let day = 1; day <= 10; day++)
        for (const region of ['US', 'EU', 'APAC', 'LATAM'])
          for (const channel of ['Direct', 'Partner', 'Online']) {
            const wobble = 100 + ((i++ * 37) % 13) - 6;
            lines.push(
              `2026-${month}-${String(day).padStart(2, '0')},${region},${channel},${month === '03' && region === 'EU' ? wobble * 1.6 : wobble}`,
            );
          }
    const a = await run(file('planted.csv', lines.join('\n')), {
      metric: 'amount',
      dateColumn: 'day',
      windows: deriveWindows('month', 'last', '2026-04-15'),
    });
    expect(a.root_causes.map((c) => c.segment)).toEqual([[{ dimension: 'region', value: 'EU' }]]);
    expect(a.root_causes[0]!.share!).toBeGreaterThan(0.9);
    expect(a.root_causes[0]!.confidence).toBeGreaterThan(0.99);
  });

  it('two files; a segment only in the new one is new', async () => {
    const base = file('base.csv', 'region,amount\nUS,10\nEU,5\n');
    const next = file('next.csv', 'region,amount\nUS,12\nEU,5\nAPAC,7\n');
    const a = await run(base, { metric: 'amount', dimensions: ['region'], maxDepth: 1 }, next);
    expect(a.comparison).toEqual({ mode: 'files' });
    expect(a.change).toBe(9);
    expect(a.bridge.map((b) => [b.segment?.[0]?.value ?? 'rest', b.contribution, b.status])).toEqual([
      ['APAC', 7, 'new'],
      ['US', 2, 'both'],
      ['rest', 0, 'both'],
    ]);
  });

  it('forecast against actual, row by row', async () => {
    const f = file('forecast.csv', 'team,expected,actual\nred,10,14\nred,5,5\nblue,20,12\n');
    const a = await run(f, { metric: 'actual', expected: 'expected', dimensions: ['team'], maxDepth: 1 });
    expect([a.base_value, a.current_value, a.change]).toEqual([35, 31, -4]);
    expect(a.bridge.map((b) => [b.segment?.[0]?.value ?? 'rest', b.contribution])).toEqual([
      ['blue', -8],
      ['red', 4],
      ['rest', 0],
    ]);
  });

  it('refuses a half-given ratio and a table with no sides, naming the options', async () => {
    await expect(run(residual, { metric: 'x', numerator: 'orders', dateColumn: 'date', windows: march })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      options: ['numerator', 'denominator'],
    });
    await expect(run(residual, { metric: 'revenue_usd' })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      options: ['dateColumn', 'inputNew', 'expected'],
    });
  });
});

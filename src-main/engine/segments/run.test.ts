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
const feb2026 = deriveWindows('month', 'last', '2026-03-01');
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

/**
 * Every number of an artifact that is not finite, and every null outside the fields that promise
 * one (a part's own value without a denominator, a share of no change, the relative change of a
 * zero base): their paths.
 */
function badNumbers(value: unknown, at = '$', out: string[] = []): string[] {
  const mayBeNull = new Set([
    'base',
    'current',
    'share',
    'base_value',
    'current_value',
    'change_pct',
    'segment',
    'input_new',
    'numerator',
    'denominator',
  ]);
  if (typeof value === 'number' && !Number.isFinite(value)) out.push(at);
  else if (Array.isArray(value)) value.forEach((v, i) => badNumbers(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (v === null && !mayBeNull.has(k)) out.push(`${at}.${k}`);
      else badNumbers(v, `${at}.${k}`, out);
    }
  return out;
}

describe('analyze-segments on bad input (issue 14, §5)', () => {
  const feb = deriveWindows('month', 'last', '2026-03-01');

  it('a metric that is 0 in the base: the change is absolute, change_pct null, no NaN anywhere', async () => {
    const f = file('zero-base.csv', 'day,region,amount\n2026-01-05,US,0\n2026-01-06,EU,0\n2026-02-05,US,10\n2026-02-06,EU,5\n');
    const a = await run(f, { metric: 'amount', dimensions: ['region'], dateColumn: 'day', windows: feb });
    expect([a.base_value, a.current_value, a.change, a.change_pct]).toEqual([0, 15, 15, null]);
    expect(a.bridge.map((b) => [b.segment?.[0]?.value ?? 'rest', b.contribution, b.share])).toEqual([
      ['US', 10, 10 / 15],
      ['EU', 5, 5 / 15],
      ['rest', 0, 0],
    ]);
    expect(badNumbers(a)).toEqual([]);
  });

  it('a denominator that is 0 in a segment: no ratio of its own (null), its numerator still counts, all mix; the bridge closes', async () => {
    // EU has orders but no sessions on both sides; APAC none in the base's sessions; LATAM is new.
    const f = file(
      'zero-den.csv',
      'day,region,orders,sessions\n2026-01-05,US,3,10\n2026-01-06,EU,0,0\n2026-01-07,APAC,1,0\n2026-02-05,US,4,10\n2026-02-06,EU,2,0\n2026-02-07,LATAM,1,4\n',
    );
    const a = await run(f, {
      metric: 'conv',
      numerator: 'orders',
      denominator: 'sessions',
      dimensions: ['region'],
      dateColumn: 'day',
      windows: feb,
    });
    // Σorders / Σsessions: 4/10 -> 7/14.
    expect([a.base_value, a.current_value]).toEqual([0.4, 0.5]);
    const eu = a.splits[0]!.parts.find((p) => p.segment![0]!.value === 'EU')!;
    expect([eu.base, eu.current, eu.rate, eu.base_weight, eu.current_weight]).toEqual([null, null, 0, 0, 0]);
    // Its 2 orders over the whole's 14 sessions, as the whole's ratio counts them.
    expect(eu.contribution).toBeCloseTo(2 / 14, 14);
    expect(eu.mix).toBe(eu.contribution);
    expect(a.bridge.reduce((s, b) => s + b.contribution, 0)).toBeCloseTo(0.1, 14);
    expect(a.closure_error).toBeLessThan(1e-12);
    expect(badNumbers(a)).toEqual([]);
  });

  it('a ratio whose denominator sums to 0 on one side, or a mean with no number there, is refused', async () => {
    const f = file(
      'den-zero-base.csv',
      'day,region,orders,sessions\n2026-01-05,US,3,0\n2026-01-06,EU,1,0\n2026-02-05,US,4,10\n2026-02-06,EU,2,5\n',
    );
    await expect(
      run(f, { metric: 'conv', numerator: 'orders', denominator: 'sessions', dimensions: ['region'], dateColumn: 'day', windows: feb }),
    ).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: "conv has no value in the base period (2026-01-01..2026-01-31): its denominator 'sessions' sums to 0 there",
      hint: expect.stringContaining('denominator above 0 on both sides'),
      options: ['denominator'],
    });
    const g = file('mean-empty.csv', 'day,region,amount\n2026-01-05,US,\n2026-01-06,EU,\n2026-02-05,US,10\n2026-02-06,EU,5\n');
    await expect(
      run(g, { metric: 'amount', aggregate: 'mean', dimensions: ['region'], dateColumn: 'day', windows: feb }),
    ).rejects.toMatchObject({
      code: 'NON_NUMERIC_METRIC',
      message: "'amount' has no number in the base period (2026-01-01..2026-01-31), so it has no mean there",
      options: ['metric'],
    });
  });

  it('one period empty: NO_DATA_ROWS naming the period', async () => {
    const f = file('one-month.csv', 'day,region,amount\n2026-02-05,US,10\n2026-02-06,EU,5\n');
    await expect(run(f, { metric: 'amount', dimensions: ['region'], dateColumn: 'day', windows: feb })).rejects.toMatchObject({
      code: 'NO_DATA_ROWS',
      message: 'the base period (2026-01-01..2026-01-31) has no rows',
      options: ['windows'],
    });
  });

  it('no dimension columns: NO_GROUP_COLUMNS, saying the table has only the metric and the date', async () => {
    const f = file('no-dims.csv', 'day,amount\n2026-01-05,3\n2026-02-05,4\n');
    await expect(run(f, { metric: 'amount', dateColumn: 'day', windows: feb })).rejects.toMatchObject({
      code: 'NO_GROUP_COLUMNS',
      message: expect.stringContaining('holds only the metric and the columns of the comparison'),
      options: ['dimensions'],
    });
  });

  it('a dimension with 100,000 values is refused (not capped), naming it and its count', async () => {
    const lines = ['day,order_id,region,amount'];
    for (let i = 0; i < 100_000; i++) lines.push(`2026-0${1 + (i % 2)}-05,o${i},${['US', 'EU'][i % 2]},${i % 7}`);
    const f = file('ids.csv', lines.join('\n'));
    await expect(run(f, { metric: 'amount', dimensions: ['order_id', 'region'], dateColumn: 'day', windows: feb })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message:
        "'order_id' has 100,000 distinct values, more than the 1,000 a dimension may have; the run is refused (not capped), as it is one of --dimensions",
      hint: expect.stringContaining("Leave 'order_id' out of --dimensions"),
      options: ['dimensions'],
    });
  });

  it('dimensions of 500 values each whose 250,000 combinations exceed what a run searches are refused', async () => {
    const lines = ['day,a,b,amount'];
    for (let i = 0; i < 250_000; i++) lines.push(`2026-0${1 + (i % 2)}-05,a${i % 500},b${Math.floor(i / 500)},1`);
    const f = file('combos.csv', lines.join('\n'));
    await expect(run(f, { metric: 'amount', dimensions: ['a', 'b'], dateColumn: 'day', windows: feb })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message:
        'the dimensions a, b combine into more than 100,000 combinations of values, more than the 100,000 a run searches; the run is refused (not capped)',
      hint: "Search fewer dimensions at once with --dimensions (the one with the most values: 'a', 500 values).",
    });
  });
});

describe('analyze-segments reads the date column in the cube pass', () => {
  it('a day-first order proved only after the first 2,000 rows: the cube is built again in that order; unreadable dates are warned of', async () => {
    // 03/02/2026 is 3 February day first, 2 March month first; 13/02/2026 (row 2,401) proves day first.
    const lines = ['day,region,amount'];
    for (let i = 0; i < 2400; i++) lines.push(`0${1 + (i % 9)}/0${1 + (i % 2)}/2026,${['US', 'EU'][i % 2]},1`);
    lines.push('13/02/2026,EU,100', 'soon,US,5');
    const a = await run(file('day-first.csv', lines.join('\n')), {
      metric: 'amount',
      dimensions: ['region'],
      dateColumn: 'day',
      windows: feb2026,
    });
    // Day first: January holds the US rows (1,200), February the EU rows (1,200) and 100 more.
    expect([a.base_value, a.current_value, a.rows]).toEqual([1200, 1300, { base: 1200, current: 1201 }]);
    expect(a.warnings).toEqual(["day: 1 cell could not be read as a date and is in neither period (e.g. 'soon')"]);
  });
});

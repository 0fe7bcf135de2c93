import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../../../src-shared/analyze-options';
import { InvestigationOptionsSchema, type InvestigationOptions } from '../../../src-shared/analysis-options';
import { AppError } from '../../../src-shared/errors';
import { runAnalyze } from '../analyze/run';
import { buildInvestigationCube, type InvestigationCubeRequest } from './build-cube';
import { inferDimensions } from './infer-dimensions';
import { packInvestigationCube, unpackInvestigationCube } from './investigation-cube';
import { deterministicPlanner, runInvestigation } from './run';

const root = path.resolve(__dirname, '../../..');
const base = path.join(root, 'data/factorlens_demo_sales.csv');
const next = path.join(root, 'data/factorlens_demo_sales_150.csv');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-investigation-'));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const options = (over: Partial<InvestigationOptions> = {}) =>
  InvestigationOptionsSchema.parse({ question: 'Why did revenue change?', metric: 'revenue_usd', ...over });
const request = (over: Partial<InvestigationCubeRequest>): InvestigationCubeRequest => ({
  base,
  new: next,
  source: null,
  options: options(),
  ...over,
});
const fails = async (p: Promise<unknown>): Promise<AppError> => {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
};

/**
 * The demo sales as the original's test split them: the 100-row file as the base, the 150-row
 * file as the new snapshot. Every number below was summed with awk over the two files.
 */
describe('the demo sales, base 100 rows and new 150 rows', () => {
  it('infers region as the top dimension and channel, product_line, plan_tier as drill fields', async () => {
    const cube = await buildInvestigationCube(request({}));
    expect(cube.dimensions).toEqual(['region', 'channel', 'product_line', 'plan_tier']);
    expect(cube.dimensionsInferred).toBe(true);
    expect(cube.input).toEqual({ kind: 'datasets_csv', base, new: next, date_column: null, windows: null });
    // The packed form the engine sends gives the same leaves back.
    expect(unpackInvestigationCube(JSON.parse(JSON.stringify(packInvestigationCube(cube))))).toEqual(cube);
  });

  it('region US moves most (the original test: 29 -> 71 records, 29.00% -> 47.33%), then US splits best by channel', async () => {
    const a = await runInvestigation(await buildInvestigationCube(request({})), options(), deterministicPlanner);
    expect(a.totals.base_metric).toBeCloseTo(14381166.51, 6);
    expect(a.totals.new_metric).toBeCloseTo(29976205.3, 6);
    const [us, eu, apac, latam] = a.steps[0]!.movers;
    expect([us!.segment, us!.base_records, us!.new_records]).toEqual(['US', 29, 71]);
    expect(us!.base_share_pct.toFixed(2)).toBe('29.00');
    expect(us!.new_share_pct.toFixed(2)).toBe('47.33');
    expect(us!.base_metric).toBeCloseTo(4020509.65, 6);
    expect(us!.new_metric).toBeCloseTo(13561697.76, 6);
    expect(us!.delta_metric).toBeCloseTo(9541188.11, 6);
    // 9,541,188.11 of the whole +15,595,038.79.
    expect(us!.score.toFixed(2)).toBe('61.18');
    expect([eu, apac, latam].map((m) => [m!.segment, Number(m!.delta_metric.toFixed(2))])).toEqual([
      ['EU', 4063614.1],
      ['APAC', 1096840.07],
      ['LATAM', 893396.51],
    ]);
    // LATAM (5.73% of the change) passes min_contribution 5 too, but max_branches 3 keeps US, EU, APAC.
    expect(a.steps.map((s) => s.id)).toEqual(['d0:region:all', 'd1:channel:region=US', 'd1:plan_tier:region=EU', 'd1:channel:region=APAC']);
    // Within US: channel's Direct +7,214,325.45 (46.26%) beats plan_tier's 1 (+5,453,342.15) and product_line's Core (+3,430,672.80).
    const direct = a.steps[1]!.movers[0]!;
    expect([direct.segment, direct.base_records, direct.new_records]).toEqual(['Direct', 12, 42]);
    expect(direct.delta_metric).toBeCloseTo(7214325.45, 6);
    expect(a.steps[1]!.score_improvement!.toFixed(2)).toBe('-14.92');
    // Within EU: plan_tier 1 went 9 -> 21 records, 1,320,652.64 -> 5,047,595.62.
    const tier1 = a.steps[2]!.movers[0]!;
    expect([tier1.segment, tier1.base_records, tier1.new_records]).toEqual(['1', 9, 21]);
    expect(tier1.delta_metric).toBeCloseTo(3726942.98, 6);
    expect(a.major_global_changes.map((g) => [g.dimension, g.mover.segment])).toEqual([
      ['channel', 'Direct'],
      ['plan_tier', '1'],
      ['region', 'US'],
      ['product_line', 'Core'],
    ]);
    expect(a.recommended_next_question).toBe(
      'Which product_line drove the rise of revenue_usd in region = US, channel = Direct (+7,214,325.45, 46.26% of the whole change)?',
    );
  });

  it('one table with a date column and two windows gives the same steps as the two files', async () => {
    // The base rows moved two years back (January and February 2024), so the two snapshots are two windows of one table.
    const [header, ...rows] = readFileSync(base, 'utf8').trim().split(/\r?\n/);
    const moved = rows.map((r) => r.replace(/^2026-/, '2024-'));
    const table = file('both.csv', [header, ...moved, ...readFileSync(next, 'utf8').trim().split(/\r?\n/).slice(1)].join('\n') + '\n');
    const windows = { previous: { start: '2024-01-01', end: '2024-02-29' }, current: { start: '2026-02-01', end: '2026-03-31' } };
    const o = options({ dateColumn: 'order_date', windows });
    const cube = await buildInvestigationCube({ base: table, new: null, source: null, options: o });
    expect(cube.input).toEqual({ kind: 'table_periods', base: table, new: table, date_column: 'order_date', windows });
    expect(cube.dimensions).toEqual(['region', 'channel', 'product_line', 'plan_tier']);
    const a = await runInvestigation(cube, o, deterministicPlanner);
    const b = await runInvestigation(await buildInvestigationCube(request({})), options(), deterministicPlanner);
    const round = (x: typeof a) =>
      JSON.parse(JSON.stringify(x.steps, (_k, v: unknown) => (typeof v === 'number' ? Number(v.toPrecision(10)) : v)));
    expect(round(a)).toEqual(round(b));
    expect(a.final_summary!.text[0]).toContain('from 2024-01-01..2024-02-29 to 2026-02-01..2026-03-31');
  });

  it('named dimensions and drill fields are used as given, de-duplicated ignoring case', async () => {
    const cube = await buildInvestigationCube(
      request({ options: options({ dimensions: ['Channel', 'region', 'CHANNEL'], drillFields: ['plan_tier', 'channel', 'PLAN_TIER'] }) }),
    );
    expect(cube.dimensions).toEqual(['channel', 'plan_tier']);
    expect(cube.dimensionsInferred).toBe(false);
  });
});

describe('analyze artifacts as the two sides', () => {
  const analyze = async (input: string, name: string, groupBy: string[], agg: 'sum' | 'mean' = 'sum') => {
    const a = await runAnalyze({
      source: { kind: 'file', path: input },
      options: AnalyzeOptionsSchema.parse({ groupBy, metrics: ['revenue_usd'], agg }),
    });
    return file(name, JSON.stringify(a));
  };

  it('one dimension, the artifacts’ first group_by: the same top step as the CSVs, then it stops', async () => {
    const cube = await buildInvestigationCube(
      request({ base: await analyze(base, 'a.json', ['region']), new: await analyze(next, 'b.json', ['region']) }),
    );
    expect(cube.input.kind).toBe('artifacts_json');
    expect(cube.dimensions).toEqual(['region']);
    const a = await runInvestigation(cube, options(), deterministicPlanner);
    const us = a.steps[0]!.movers[0]!;
    expect([us.segment, us.base_records, us.new_records]).toEqual(['US', 29, 71]);
    expect(us.new_metric).toBeCloseTo(13561697.76, 6);
    expect(a.steps).toHaveLength(1);
    expect(a.stopping_reason).toBe('the inputs are analyze artifacts, which hold one dimension: there is nothing to drill into');
  });

  it('artifacts grouped by region and channel are summed by region', async () => {
    const cube = await buildInvestigationCube(
      request({ base: await analyze(base, 'c.json', ['region', 'channel']), new: await analyze(next, 'd.json', ['region', 'channel']) }),
    );
    const us = cube.leaves.find((l) => l.values[0] === 'US')!;
    expect([us.den0, us.den1]).toEqual([29, 71]);
    expect(us.num0).toBeCloseTo(4020509.65, 6);
  });

  it('refused: different group_by, a first dimension that is not theirs, a mean, a mix of CSV and JSON', async () => {
    const region = await analyze(base, 'e.json', ['region']);
    const channel = await analyze(next, 'f.json', ['channel']);
    expect((await fails(buildInvestigationCube(request({ base: region, new: channel })))).message).toBe(
      `the artifacts are grouped by different columns: 'region' in ${region}, 'channel' in ${channel}`,
    );
    const region2 = await analyze(next, 'g.json', ['region']);
    const e = await fails(buildInvestigationCube(request({ base: region, new: region2, options: options({ dimensions: ['channel'] }) })));
    expect(e.options).toEqual(['dimensions']);
    const mean = await analyze(next, 'h.json', ['region'], 'mean');
    expect((await fails(buildInvestigationCube(request({ base: region, new: mean })))).message).toContain('holds the mean of revenue_usd');
    const mixed = await fails(buildInvestigationCube(request({ base, new: region })));
    expect(mixed.code).toBe('BAD_ARGUMENT');
    expect(mixed.message).toBe(
      `--base and --new must be both CSV files or both analyze artifacts (JSON); got CSV '${base}' and JSON '${region}'`,
    );
    const notAnalyze = file('other.json', JSON.stringify({ kind: 'segments', schema: 'factorlens.segments/1' }));
    expect((await fails(buildInvestigationCube(request({ base: region, new: notAnalyze })))).message).toBe(
      `'${notAnalyze}' is not an analyze artifact (its kind is segments)`,
    );
  });
});

describe('inputs refused', () => {
  it('one table without periods, windows with two files, a text metric', async () => {
    expect((await fails(buildInvestigationCube(request({ new: null })))).options).toEqual(['dateColumn', 'windows']);
    const windows = { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } };
    expect((await fails(buildInvestigationCube(request({ options: options({ dateColumn: 'order_date', windows }) })))).options).toEqual([
      'dateColumn',
      'windows',
    ]);
    expect((await fails(buildInvestigationCube(request({ options: options({ metric: 'region' }) })))).code).toBe('NON_NUMERIC_METRIC');
    expect((await fails(buildInvestigationCube(request({ options: options({ metric: 'revenue' }) })))).code).toBe('UNKNOWN_COLUMN');
  });
});

describe('dimension inference from the samples', () => {
  const sample = (columns: string[], rows: (string | null)[][]) => ({ columns, rows });

  it('skips the metric, ids, dates, quantities and identifier-like text; keeps codes and concentrated text', () => {
    const rows = Array.from({ length: 200 }, (_, i) => [
      `o${i}`, // order_ref: 200 values, none frequent: an identifier
      i % 10 === 0 ? 'Acme' : `cust${i}`, // customer: 181 values, but Acme holds 10% of rows and most of the metric
      `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
      String(i % 3), // tier: a code
      String(i * 1.5), // units: a quantity
      String(i % 10 === 0 ? 100000 : 1), // revenue
      String(i), // row_id
      'same', // one value
    ]);
    const got = inferDimensions(
      sample(['order_ref', 'customer', 'day', 'tier', 'units', 'revenue', 'row_id', 'constant'], rows),
      'revenue',
      [],
    );
    expect(got.dimensions).toEqual(['customer', 'tier']);
    expect(got.skipped.map((s) => s.column)).toEqual(['order_ref', 'day', 'units', 'row_id', 'constant']);
    expect(got.skipped[0]!.reason).toBe('text with 200 values in 200 rows, none of them holding much (an identifier)');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, parseAlertRules, type AnalyzeOptionsInput } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { runAnalyze } from './run';

const small = path.resolve(__dirname, '../../../tests/fixtures/small.csv');
const analyze = (options: AnalyzeOptionsInput, file = small): Promise<AnalyzeArtifact> =>
  runAnalyze({ source: { kind: 'file', path: file }, options: AnalyzeOptionsSchema.parse(options) });
const row = (a: AnalyzeArtifact, key: string) => a.groups.find((g) => g.group === key)!;

describe('analyze flags, hand-computed on tests/fixtures/small.csv', () => {
  it('--percentiles interpolate linearly at rank q(n-1)', async () => {
    const a = await analyze({ groupBy: ['team'], metrics: ['sales'], percentiles: [50, 90] });
    expect(a.metrics).toEqual(['sales', 'sales_p50', 'sales_p90']);
    expect(a.percentiles).toEqual(['p50', 'p90']);
    expect(row(a, 'Red')).toMatchObject({ sales: 60, sales_p50: 20 });
    expect(row(a, 'Red').sales_p90 as number).toBeCloseTo(28, 10);
    expect(row(a, 'Blue').sales_p50).toBe(7);
    expect(row(a, 'Blue').sales_p90 as number).toBeCloseTo(801.4, 10);
    expect(row(a, 'Green')).toMatchObject({ sales_p50: 8, sales_p90: 8 });
  });

  it('--count-only ranks by records with no metrics', async () => {
    const a = await analyze({ groupBy: ['team'], countOnly: true });
    expect(a.count_only).toBe(true);
    expect(a.metrics).toEqual([]);
    expect(a.primary_metric).toBeNull();
    expect(a.groups.map((g) => [g.group, g.count])).toEqual([
      ['Blue', 3],
      ['Red', 3],
      ['Green', 2],
    ]);
    await expect(analyze({ groupBy: ['team'], countOnly: true, rankBy: 'sales' })).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });

  it('--exclude-blank-groups leaves out all-blank rows', async () => {
    const a = await analyze({ groupBy: ['region'], metrics: ['sales'], excludeBlankGroups: true });
    expect(a.rows).toBe(8);
    expect(a.records).toBe(7);
    expect(a.excluded_blank_records).toBe(1);
    expect(a.groups.map((g) => g.group)).toEqual(['North', 'South']);
    expect(a.blank_share_pct).toBe(0);
    const median = await analyze({ groupBy: ['region'], metrics: ['sales'], agg: 'median', excludeBlankGroups: true });
    expect(median.records).toBe(7);
    expect(median.excluded_blank_records).toBe(1);
  });

  it('--top-insights lists risks by record share and opportunities by metric per record', async () => {
    const a = await analyze({ groupBy: ['team'], metrics: ['sales'], topInsights: 2 });
    expect(a.top_risks).toEqual([
      '`Blue` holds 37.5% of records and 93.7% of sales: a concentration to watch.',
      '`Red` holds 37.5% of records and 5.6% of sales: a concentration to watch.',
    ]);
    expect(a.top_opportunities).toEqual([
      '`Blue` averages 337.33 sales per record over 3 records.',
      '`Red` averages 20.00 sales per record over 3 records.',
    ]);
    const strict = await analyze({ groupBy: ['team'], metrics: ['sales'], topInsights: 3, opportunityMinRecords: 3 });
    expect(strict.top_opportunities).toHaveLength(2);
  });

  it('alert thresholds and rules', async () => {
    const a = await analyze({
      groupBy: ['region'],
      metrics: ['sales'],
      alertTop5Share: 50,
      alertBlankShare: 10,
      alertRules: parseAlertRules('segments<5,records=8,blank_share>20,top5_share!=100'),
    });
    expect(a.alert_thresholds).toEqual({ top5_share: 50, blank_share: 10 });
    expect(a.alert_rule_results.map((x) => [x.metric, x.operator, x.threshold, x.actual, x.triggered])).toEqual([
      ['segments', '<', 5, 3, true],
      ['records', '=', 8, 8, true],
      ['blank_share_pct', '>', 20, 12.5, false],
      ['top5_record_share_pct', '!=', 100, 100, false],
    ]);
    expect(a.alerts).toEqual([
      'Top-5 record share is 100.0%, at or above the 50.0% threshold.',
      'Blank-group share is 12.5%, at or above the 10.0% threshold.',
      'Rule `segments<5` triggered: segments = 3.00.',
      'Rule `records=8` triggered: records = 8.00.',
    ]);
    expect(() => parseAlertRules('top5_share=>3')).toThrow(/invalid alert rule/);
    expect(() => parseAlertRules('revenue>3')).toThrow(/unsupported alert metric 'revenue'/);
  });

  it('--normalize-text-groups and --word-freq on name/title columns', async () => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-norm-')), 'products.csv');
    writeFileSync(f, "product_name,units\nWidget-Pro!,1\nwidget pro,2\n  WIDGET   PRO ,3\nThe Gadget 2000,4\n...,5\nO'Brien's pick,6\n");
    const plain = await analyze({ groupBy: ['product_name'], metrics: ['units'] }, f);
    expect(plain.segments).toBe(6);
    const a = await analyze(
      { groupBy: ['product_name'], metrics: ['units'], normalizeTextGroups: true, wordFreq: true, rankBy: 'units' },
      f,
    );
    expect(a.normalized_columns).toEqual(['product_name']);
    expect(a.groups.map((g) => [g.group, g.count, g.units])).toEqual([
      // A tie on units (6): segment names decide.
      ['obriens pick', 1, 6],
      ['widget pro', 3, 6],
      ['(blank)', 1, 5],
      ['the gadget 2000', 1, 4],
    ]);
    // "the" is a stop word, "2000" all digits: only real words count.
    expect(a.word_frequency).toEqual([
      { word: 'pro', count: 3 },
      { word: 'widget', count: 3 },
      { word: 'gadget', count: 1 },
      { word: 'obriens', count: 1 },
      { word: 'pick', count: 1 },
    ]);
  });

  it('period comparison: explicit windows, date column left out of the segments', async () => {
    const a = await analyze({
      groupBy: ['day', 'team'],
      metrics: ['sales'],
      period: {
        mode: 'explicit',
        dateColumn: 'day',
        current: { start: '2026-01-05', end: '2026-01-08' },
        previous: { start: '2026-01-01', end: '2026-01-04' },
      },
    });
    const pc = a.period_compare!;
    expect(pc.group_by).toEqual(['team']);
    expect([pc.current_records, pc.previous_records]).toEqual([4, 4]);
    expect([pc.current_primary_metric_value, pc.previous_primary_metric_value, pc.delta_primary_metric_value]).toEqual([1015, 65, 950]);
    expect(pc.delta_primary_metric_pct!).toBeCloseTo((950 / 65) * 100, 10);
    expect(pc.movers.map((m) => [m.group, m.delta_primary_metric_value, m.delta_records])).toEqual([
      ['Red', -60, -3],
      ['Green', 8, 2],
      ['Blue', 1002, 1],
    ]);
    expect(pc.concentration_changes.map((m) => [m.group, m.delta_share_pp])).toEqual([
      ['Red', -75],
      ['Green', 50],
      ['Blue', 25],
    ]);
    expect(pc.drivers.map((m) => m.group)).toEqual(['Red']);
    expect([pc.current_top5_share_pct, pc.previous_top5_share_pct]).toEqual([100, 100]);
  });

  it('period comparison is the same from the one-pass and the per-row scans', async () => {
    const period = {
      mode: 'explicit' as const,
      dateColumn: 'day',
      current: { start: '2026-01-05', end: '2026-01-08' },
      previous: { start: '2026-01-01', end: '2026-01-04' },
    };
    const sum = await analyze({ groupBy: ['team', 'region'], metrics: ['sales'], period, excludeBlankGroups: true });
    const median = await analyze({
      groupBy: ['team', 'region'],
      metrics: ['sales'],
      agg: 'median',
      percentiles: [90],
      period,
      excludeBlankGroups: true,
    });
    expect(median.period_compare).toEqual(sum.period_compare);
    expect(sum.period_compare!.movers.map((m) => [m.group, m.current_records, m.previous_records])).toEqual([
      // Δ sales: -30, -30 (a tie: names decide), -5, 0 ("n/a" is not a number), +8, +1,007.
      ['Red | North', 0, 2],
      ['Red | South', 0, 1],
      ['Blue | North', 0, 1],
      ['Green | North', 1, 0],
      ['Green | (blank)', 1, 0],
      ['Blue | South', 2, 0],
    ]);
  });

  it('period comparison: derived ISO-week windows give the same answer', async () => {
    const a = await analyze({
      groupBy: ['team'],
      metrics: ['sales'],
      period: { mode: 'derived', dateColumn: 'DAY', grain: 'week', preset: 'current', anchorDate: '2026-01-08' },
    });
    const pc = a.period_compare!;
    expect([pc.current_start, pc.current_end, pc.previous_start, pc.previous_end]).toEqual([
      '2026-01-05',
      '2026-01-11',
      '2025-12-29',
      '2026-01-04',
    ]);
    expect([pc.time_grain, pc.period, pc.anchor_date, pc.date_column]).toEqual(['week', 'current', '2026-01-08', 'day']);
    expect(pc.delta_primary_metric_value).toBe(950);
  });

  it('top-5 concentration of a window uses its five largest segments', async () => {
    const f = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-conc-')), 'c.csv');
    const rows = ['d,seg'];
    // previous: A x5, B..G x1 (11 rows); current: A..G x1, H x4 (11 rows)
    for (let i = 0; i < 5; i++) rows.push('2026-01-01,A');
    for (const s of 'BCDEFG') rows.push(`2026-01-01,${s}`);
    for (const s of 'ABCDEFG') rows.push(`2026-02-01,${s}`);
    for (let i = 0; i < 4; i++) rows.push('2026-02-01,H');
    writeFileSync(f, `${rows.join('\n')}\n`);
    const a = await analyze(
      {
        groupBy: ['seg'],
        countOnly: true,
        period: { mode: 'derived', dateColumn: 'd', grain: 'month', preset: 'last', anchorDate: '2026-03-15' },
      },
      f,
    );
    const pc = a.period_compare!;
    // previous: A(5) + four of the 1s = 9 of 11; current: H(4) + four 1s = 8 of 11.
    expect(pc.previous_top5_share_pct).toBeCloseTo((9 / 11) * 100, 10);
    expect(pc.current_top5_share_pct).toBeCloseTo((8 / 11) * 100, 10);
    expect(pc.current_primary_metric_value).toBeNull();
    expect(pc.movers[0]).toMatchObject({ group: 'A', delta_records: -4 });
  });

  it('bad period options', async () => {
    await expect(
      analyze({
        groupBy: ['team'],
        metrics: ['sales'],
        period: {
          mode: 'explicit',
          dateColumn: 'day',
          current: { start: '2026-01-03', end: '2026-01-08' },
          previous: { start: '2026-01-01', end: '2026-01-04' },
        },
      }),
    ).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/overlap/) });
    await expect(
      analyze({
        groupBy: ['team'],
        metrics: ['sales'],
        period: { mode: 'derived', dateColumn: 'when', grain: 'month', preset: 'last', anchorDate: '2026-01-08' },
      }),
    ).rejects.toMatchObject({
      code: 'UNKNOWN_COLUMN',
    });
  });
});

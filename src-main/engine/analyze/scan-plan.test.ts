import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { withScan } from '../../sources/scan';
import { resolveAnalyze } from './resolve';
import { runAnalyze } from './run';
import { cubeFromScan, quantilePlan, segmentKeysCollide, segmentScanSql } from './scan-plan';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-scan-plan-'));
function csv(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

// "US", " US" and "US " are one segment; an empty cell, "-" and spaces are all "(blank)".
const spelled = csv('spelled.csv', 'region,sales\nUS,10\n US,20\n"US ",30\nEU,1\nEU,3\n,5\n-,7\n"  ",9\n');
// Every raw value is already its own segment key.
const clean = csv('clean.csv', 'region,sales\nUS,10\nUS,20\nUS,30\nEU,1\nEU,3\nEU,8\n');

const analyze = (file: string, options: AnalyzeOptionsInput): Promise<AnalyzeArtifact> =>
  runAnalyze({ source: { kind: 'file', path: file }, options: AnalyzeOptionsSchema.parse(options) });
const row = (a: AnalyzeArtifact, key: string) => a.groups.find((g) => g.group === key)!;

/** Runs one quantile scan plan over a file, as runAnalyze would (without the fallback). */
async function scanRows(file: string, options: AnalyzeOptionsInput, keysPerRow: boolean) {
  return withScan({ kind: 'file', path: file }, async (scan) => {
    const resolved = resolveAnalyze(AnalyzeOptionsSchema.parse(options), await scan.profile());
    const rows = await scan.rows(segmentScanSql(scan.relation, resolved, scan.dialect, keysPerRow));
    return { rows, resolved };
  });
}

describe('quantile scan plan', () => {
  it('computes each quantile once: the median and p50 share one entry of the list', () => {
    expect(quantilePlan({ agg: 'median', percentiles: [50, 90] })).toEqual({ qs: [0.5, 0.9], median: 0, percentiles: [0, 1] });
    expect(quantilePlan({ agg: 'median', percentiles: [90, 50] })).toEqual({ qs: [0.5, 0.9], median: 0, percentiles: [1, 0] });
    expect(quantilePlan({ agg: 'sum', percentiles: [25, 75] })).toEqual({ qs: [0.25, 0.75], median: -1, percentiles: [0, 1] });
    expect(quantilePlan({ agg: 'median', percentiles: [] })).toEqual({ qs: [0.5], median: 0, percentiles: [] });
  });

  it('grouping by raw values finds the spellings that share a segment key; per-row keys merge them', async () => {
    const options = { groupBy: ['region'], metrics: ['sales'], agg: 'median' as const, percentiles: [90] };
    const byRaw = await scanRows(spelled, options, false);
    expect(segmentKeysCollide(byRaw.rows, byRaw.resolved)).toBe(true);
    const perRow = await scanRows(spelled, options, true);
    expect(segmentKeysCollide(perRow.rows, perRow.resolved)).toBe(false);
    const cube = cubeFromScan(perRow.rows, perRow.resolved);
    expect(cube.cells.map((c) => [c.values[0], c.count, c.values_agg[0]])).toEqual([
      ['(blank)', 3, 7],
      ['EU', 2, 2],
      ['US', 3, 20],
    ]);
  });

  it('clean raw values need no second pass and give the per-row numbers', async () => {
    const options = { groupBy: ['region'], metrics: ['sales'], agg: 'mean' as const, percentiles: [50, 90] };
    const byRaw = await scanRows(clean, options, false);
    expect(segmentKeysCollide(byRaw.rows, byRaw.resolved)).toBe(false);
    const perRow = await scanRows(clean, options, true);
    expect(cubeFromScan(byRaw.rows, byRaw.resolved)).toEqual(cubeFromScan(perRow.rows, perRow.resolved));
    const eu = cubeFromScan(byRaw.rows, byRaw.resolved).cells.find((c) => c.values[0] === 'EU')!;
    expect(eu.values_agg[0]).toBe(4);
    expect(eu.percentiles[0]![0]).toBe(3);
    expect(eu.percentiles[0]![1]).toBeCloseTo(7, 10);
  });

  it('analyze merges spellings of one segment for medians and percentiles (hand-computed)', async () => {
    const a = await analyze(spelled, { groupBy: ['region'], metrics: ['sales'], agg: 'median', percentiles: [50, 90] });
    expect(a.records).toBe(8);
    // Ranked by records; the tie goes to the key that sorts first.
    expect(a.groups.map((g) => [g.group, g.count])).toEqual([
      ['(blank)', 3],
      ['US', 3],
      ['EU', 2],
    ]);
    // Linear interpolation at rank q(n-1): US 10, 20, 30 -> p90 at 1.8 = 28.
    expect(row(a, 'US')).toMatchObject({ sales: 20, sales_p50: 20 });
    expect(row(a, 'US').sales_p90 as number).toBeCloseTo(28, 10);
    expect(row(a, 'EU')).toMatchObject({ sales: 2, sales_p50: 2 });
    expect(row(a, 'EU').sales_p90 as number).toBeCloseTo(2.8, 10);
    expect(row(a, '(blank)').sales_p90 as number).toBeCloseTo(8.6, 10);
    const kept = await analyze(spelled, { groupBy: ['region'], metrics: ['sales'], agg: 'median', excludeBlankGroups: true });
    expect(kept.records).toBe(5);
    expect(kept.excluded_blank_records).toBe(3);
    expect(kept.groups.map((g) => [g.group, g.sales])).toEqual([
      ['US', 20],
      ['EU', 2],
    ]);
  });
});

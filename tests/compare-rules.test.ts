import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyzeArtifact } from '../src-shared/artifacts/analyze';
import type { CompareArtifact } from '../src-shared/artifacts/compare';
import { compareSnapshots } from '../src-main/engine/compare/compare';
import { AppError } from '../src-shared/errors';

/** analyze-compare refuses snapshots of other groupings or metrics, and ranks movers by the metric too. */
const root = path.resolve(__dirname, '..');
const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-compare-rules-'));
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/factorlens.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const analyze = (file: string, groups: string, metric: string, out: string): AnalyzeArtifact => {
  const r = cli([
    'analyze',
    '--input',
    path.join(root, 'data', file),
    '--group-by',
    groups,
    '--metrics',
    metric,
    '--output-format',
    'json',
    '--out',
    out,
  ]);
  expect(r.stderr).toBe('');
  return JSON.parse(readFileSync(path.join(cwd, out), 'utf8')) as AnalyzeArtifact;
};

describe('analyze-compare on the demo snapshots', () => {
  it('ranks movers by the change of revenue as well as by record share, with the numbers of the two runs', () => {
    const base = analyze('factorlens_demo_sales.csv', 'region', 'revenue_usd', 'a.json');
    const next = analyze('factorlens_demo_sales_150.csv', 'region', 'revenue_usd', 'b.json');
    const r = cli(['analyze-compare', '--base', 'a.json', '--new', 'b.json', '--output-format', 'json', '--out', 'c.json']);
    expect(r.code).toBe(0);
    const c = JSON.parse(readFileSync(path.join(cwd, 'c.json'), 'utf8')) as CompareArtifact;
    // Revenue rose in every region, while LATAM, APAC and EU lost record share to US.
    const revenue = (a: AnalyzeArtifact, g: string) => a.groups.find((x) => x.group === g)!.revenue_usd as number;
    const rise = (g: string) => revenue(next, g) - revenue(base, g);
    expect(c.movers.map((m) => [m.segment, m.direction])).toEqual([
      ['US', 'up'],
      ['LATAM', 'down'],
      ['APAC', 'down'],
      ['EU', 'down'],
    ]);
    expect(c.movers_by_metric.map((m) => m.segment)).toEqual(['US', 'EU', 'APAC', 'LATAM']);
    for (const m of c.movers_by_metric) {
      expect(m.delta_primary_metric_value).toBeCloseTo(rise(m.segment), 6);
      expect(m.delta_primary_metric_value).toBeGreaterThan(0);
    }
    expect(c.movers_by_metric[1]!.delta_primary_metric_value).toBeCloseTo(4_063_614.1, 2);
    expect(c.movers_by_metric[3]!.delta_primary_metric_value).toBeCloseTo(893_396.51, 2);
  });

  it('refuses snapshots grouped differently or measuring another metric (exit 2, typed, with a hint)', () => {
    analyze('factorlens_demo_sales_150.csv', 'region,channel', 'revenue_usd', 'rc.json');
    analyze('factorlens_demo_sales_150.csv', 'region', 'cost_usd', 'cost.json');
    const g = cli(['analyze-compare', '--base', 'a.json', '--new', 'rc.json']);
    expect(g.code).toBe(2);
    expect(g.stderr).toContain(
      "Error [BAD_ARGUMENT]: the two runs are grouped differently: 'a.json' by region, 'rc.json' by region, channel",
    );
    expect(g.stderr).toContain('Hint: Compare two analyze runs grouped by the same columns in the same order');
    const m = cli(['analyze-compare', '--base', 'a.json', '--new', 'cost.json']);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain("the two runs measure different metrics: 'a.json' revenue_usd, 'cost.json' cost_usd");
  });

  it('takes snapshots that do not say their grouping (the original CLI), and names the option in the error', () => {
    const groups = [{ group: 'EU', count: 2, revenue: 5 }];
    expect(compareSnapshots({ records: 2, groups }, { records: 2, groups }, { base: 'x', new: 'y' }, 5).movers).toHaveLength(1);
    const err = (() => {
      try {
        compareSnapshots({ group_by: ['region'], groups }, { group_by: ['Region', 'channel'], groups }, { base: 'x', new: 'y' }, 5);
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err?.options).toEqual(['groupBy']);
    // Names differing only in case are the same column.
    expect(() =>
      compareSnapshots({ group_by: ['Region'], groups }, { group_by: ['region'], groups }, { base: 'x', new: 'y' }, 5),
    ).not.toThrow();
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveWindows } from '../../../src-shared/periods';
import { runInvestigate, type InvestigateRequest } from './run';

const file = path.resolve(__dirname, '../../../data/demo_revenue_residual.csv');
const base: InvestigateRequest = {
  input: file,
  metric: 'revenue_usd',
  dateColumn: null,
  windows: deriveWindows('month', 'last', '2026-04-15'),
  drivers: [],
  include: [],
  exclude: [],
  select: { preset: 'amount', auto: 'deterministic', dedup: false, topDrivers: 3, maxId: 3, maxCat: 2, maxNum: 2 },
  contributionView: 'both',
};

describe('analyze-investigate', () => {
  it('regression mode reproduces the README example (SPEC 14.1 C) and reports its diagnostics', async () => {
    const a = await runInvestigate(base);
    expect(a.window.date_column).toBe('date');
    expect(a.decomposition_mode).toBe('regression');
    expect(a.metric_change_pct.toFixed(1)).toBe('-16.4');
    expect(a.drivers.map((d) => [d.name, d.contrib_pct.toFixed(1), d.delta.toFixed(2)])).toEqual([
      ['sum(orders)', '-13.0', '-696191.18'],
      ['sum(traffic)', '-2.2', '-116243.57'],
      ['avg(avg_price_usd)', '-1.1', '-61590.98'],
    ]);
    expect(a.explained_pct.toFixed(1)).toBe('-16.3');
    expect(a.explained_share_pct!.toFixed(0)).toBe('99');
    expect(a.residual.residual_pct!.toFixed(1)).toBe('-0.1');
    expect(a.residual.residual_amount!).toBeCloseTo(-6_146.7, 2);
    // OLS coefficients of SPEC 14.2: intercept -97388.81, orders 79.893, traffic 3.460, price 1013.01.
    expect(a.regression!.intercept).toBeCloseTo(-97_388.81, 1);
    expect(a.drivers.map((d) => Number(d.coefficient!.toFixed(3)))).toEqual([79.893, 3.46, 1013.01]);
    expect(a.regression!.r_squared).toBeGreaterThan(0.99);
    expect(a.drivers.every((d) => d.std_error! > 0)).toBe(true);
    // orders ~ traffic x conversion: the collinearity is called out.
    expect(a.regression!.max_vif).toBeGreaterThan(10);
    expect(a.warnings[0]).toMatch(/collinear/);
  });

  it('with de-duplication, traffic (corr 0.99 with orders) gives way to conversion_rate', async () => {
    const a = await runInvestigate({ ...base, select: { ...base.select, dedup: true } });
    expect(a.drivers.map((d) => d.name).sort()).toEqual(['avg(avg_price_usd)', 'avg(conversion_rate)', 'sum(orders)']);
  });

  it('heuristic mode is labelled and does not make up a zero residual', async () => {
    const a = await runInvestigate({ ...base, drivers: ['count_distinct(channel)'] });
    expect(a.decomposition_mode).toBe('heuristic');
    expect(a.residual.residual_pct).toBeNull();
    expect(a.residual.residual_amount).toBeNull();
    expect(a.warnings).toContain('Heuristic mode: contributions are shares of the change, not estimates; the residual is not estimated.');
    expect(a.drivers[0]).toMatchObject({ name: 'count_distinct(channel)', previous: 3, current: 3, delta: 0 });
  });

  it('explicit driver expressions, and count drivers kept beside the regression', async () => {
    const a = await runInvestigate({ ...base, drivers: ['orders', 'avg(avg_price_usd)', 'count(*)'] });
    expect(a.drivers.map((d) => d.name)).toEqual(['orders', 'avg(avg_price_usd)']);
    expect(a.other_drivers).toEqual([{ name: 'count(*)', previous: 28, current: 28, delta: 0 }]);
    await expect(runInvestigate({ ...base, drivers: ['median(orders)'] })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: "unknown driver function 'median' in 'median(orders)'",
    });
    await expect(runInvestigate({ ...base, windows: deriveWindows('month', 'last', '2025-01-10') })).rejects.toMatchObject({
      code: 'NO_DATA_ROWS',
    });
  });
});

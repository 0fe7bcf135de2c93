import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFit, type FitRequest } from './fit';

const data = path.resolve(__dirname, '../../../data');
const base: FitRequest = { prices: path.join(data, 'prices.csv'), k: 2, kAuto: false, portfolio: path.join(data, 'portfolio.csv'), holdings: null, includeWeekends: false, missing: 'common' };

describe('factors fit', () => {
  it('reproduces the seed on prices.csv: 63 common dates, explained variance 0.4397 / 0.3449 / 0.2154 (SPEC 14.2)', async () => {
    const r = await runFit({ ...base, k: 3 });
    expect(r.model.dates).toHaveLength(63);
    expect([r.model.dates[0], r.model.dates.at(-1)]).toEqual(['2025-01-02', '2025-03-31']);
    expect(r.model.tickers).toEqual(['AAA', 'BBB', 'CCC']);
    expect(r.model.explained_variance_ratio.map((v) => Number(v.toFixed(4)))).toEqual([0.4397, 0.3449, 0.2154]);
    // With every factor kept, the factors explain the standardised returns and the risk completely.
    expect(r.risk.factor_share.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(Math.max(...r.attribution.map((a) => Math.abs(a.residual)))).toBeLessThan(1e-12);
    // Portfolio weights from portfolio.csv.
    expect(r.weights).toEqual({ AAA: 0.4, BBB: 0.3, CCC: 0.3 });
  });

  it('attributes in return units: mean + factor contributions + residual = the portfolio log return', async () => {
    const r = await runFit(base);
    const meanReturn = r.attribution.reduce((a, x) => a + x.portfolio_return, 0) / r.attribution.length;
    for (const a of r.attribution) expect(a.portfolio_return).toBeCloseTo(meanReturn + a.total_factor + a.residual, 14);
    expect(r.top_outliers).toHaveLength(15);
    expect(r.top_outliers[0]!.abs_residual).toBe(Math.max(...r.attribution.map((a) => Math.abs(a.residual))));
  });

  it('--k-auto keeps the eigenvalues above the noise edge, and says so', async () => {
    const r = await runFit({ ...base, kAuto: true });
    expect(r.model.k).toBe(1);
    expect(r.model.k_rule).toBe('k = 1: eigenvalues above the Marchenko-Pastur noise edge 1.484 for 3 assets over 63 dates (at least 1)');
  });

  it('a missing price: common dates shrink the sample and say why; pairwise keeps it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-fit-'));
    const lines = ['date,ticker,close'];
    for (let d = 1; d <= 40; d++) {
      const date = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      for (const [t, p] of [['X', 100 + Math.sin(d)], ['Y', 50 + Math.cos(d * 1.3)], ['Z', 20 + Math.sin(d * 0.7)]] as const) {
        if (t === 'Z' && d === 20) continue;
        lines.push(`${date},${t},${p.toFixed(4)}`);
      }
    }
    const f = path.join(dir, 'p.csv');
    writeFileSync(f, `${lines.join('\n')}\n`);
    const common = await runFit({ ...base, prices: f, portfolio: null, includeWeekends: true });
    const pairwise = await runFit({ ...base, prices: f, portfolio: null, includeWeekends: true, missing: 'pairwise' });
    // Z has no close on day 20: its next return spans days 19-21, so only day 20 lacks a Z return.
    expect(common.sample).toMatchObject({ dates_with_any_return: 39, dates_kept: 38, dates_dropped: 1 });
    expect(common.sample.note).toMatch(/^1 of 39 dates were left out/);
    expect(pairwise.sample.dates_kept).toBe(39);
  });

  it('bad prices name the row', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-fit-'));
    const f = path.join(dir, 'bad.csv');
    writeFileSync(f, 'date,ticker,close\n2025-01-02,A,10\n2025-01-03,A,ten\n');
    await expect(runFit({ ...base, prices: f })).rejects.toMatchObject({ message: expect.stringContaining("line 3: 'close' is 'ten', not a number") });
  });
});

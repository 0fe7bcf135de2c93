import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { regress, tPValue } from './regress';
import { runRegress } from './run-regress';

const data = path.resolve(__dirname, '../../../data');

describe('factors regress', () => {
  it('reproduces the seed on prices.csv, factors.csv and portfolio.csv (SPEC 14.2)', async () => {
    const r = await runRegress({ prices: path.join(data, 'prices.csv'), factors: path.join(data, 'factors.csv'), portfolio: path.join(data, 'portfolio.csv'), holdings: null, includeWeekends: false });
    expect(r.observations).toBe(63);
    expect(r.alpha).toBeCloseTo(0.0017416, 7);
    expect(r.betas.MKT).toBeCloseTo(-0.8458, 4);
    expect(r.betas.SMB).toBeCloseTo(1.7624, 4);
    expect(r.betas.HML).toBeCloseTo(-0.4524, 4);
    expect(r.r2).toBeCloseTo(0.4397, 4);
    expect(r.residual_std).toBeCloseTo(0.0024199, 7);
    expect(r.residuals).toHaveLength(63);
    expect(r.std_errors.MKT).toBeGreaterThan(0);
  });

  it('recovers known coefficients exactly from noiseless data', () => {
    const X = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(i * 1.7), (i % 5) / 7]);
    const y = X.map(([a, b, c]) => 0.01 + 2 * a! - 0.5 * b! + 3 * c!);
    const r = regress(X.map((_, i) => `d${i}`), y, ['a', 'b', 'c'], X);
    expect(r.alpha).toBeCloseTo(0.01, 10);
    expect(r.betas).toEqual({ a: expect.closeTo(2, 10), b: expect.closeTo(-0.5, 10), c: expect.closeTo(3, 10) });
    expect(r.r2).toBeCloseTo(1, 12);
  });

  it('p-values match published t-table values', () => {
    // Two-sided: t = 2.228 with 10 df is the 5% critical value; t = 1.96 with many df is about 5%.
    expect(tPValue(2.228, 10)).toBeCloseTo(0.05, 3);
    expect(tPValue(1.96, 100_000)).toBeCloseTo(0.05, 3);
    expect(tPValue(0, 12)).toBeCloseTo(1, 10);
    expect(tPValue(3.169, 10)).toBeCloseTo(0.01, 3);
  });

  it('a bad factor value is an error naming the row, never a silent zero', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-fac-'));
    const bad = path.join(dir, 'factors.csv');
    writeFileSync(bad, 'date,MKT\n2025-01-02,0.001\n2025-01-03,n/a\n');
    await expect(runRegress({ prices: path.join(data, 'prices.csv'), factors: bad, portfolio: null, holdings: null, includeWeekends: false })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringContaining("line 3: 'MKT' is 'n/a', not a number"),
    });
  });
});

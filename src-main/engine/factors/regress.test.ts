import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Matrix } from 'ml-matrix';
import { neweyWestDefaultLags, regress, tPValue } from './regress';
import { runRegress } from './run-regress';

const data = path.resolve(__dirname, '../../../data');

describe('factors regress', () => {
  it('reproduces the seed on prices.csv, factors.csv and portfolio.csv (SPEC 14.2)', async () => {
    const r = await runRegress({
      prices: path.join(data, 'prices.csv'),
      factors: path.join(data, 'factors.csv'),
      portfolio: path.join(data, 'portfolio.csv'),
      holdings: null,
      includeWeekends: false,
    });
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
    const r = regress(
      X.map((_, i) => `d${i}`),
      y,
      ['a', 'b', 'c'],
      X,
    );
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
    await expect(
      runRegress({ prices: path.join(data, 'prices.csv'), factors: bad, portfolio: null, holdings: null, includeWeekends: false }),
    ).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringContaining("line 3: 'MKT' is 'n/a', not a number"),
    });
  });
});

/** Solves A x = b by Gaussian elimination with partial pivoting (an independent route to OLS). */
function gaussSolve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    const p = M.reduce((best, row, r) => (r >= c && Math.abs(row[c]!) > Math.abs(M[best]![c]!) ? r : best), c);
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = M[r]![c]! / M[c]![c]!;
      for (let k = c; k <= n; k++) M[r]![k] = M[r]![k]! - f * M[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) x[r] = (M[r]![n]! - M[r]!.slice(r + 1, n).reduce((a, v, k) => a + v * x[r + 1 + k]!, 0)) / M[r]![r]!;
  return x;
}

describe('regression against references', () => {
  const n = 40;
  const X = Array.from({ length: n }, (_, i) => [Math.sin(i * 0.9), Math.cos(i * 0.37) * 0.5]);
  const y = X.map(([a, b], i) => 0.002 + 0.8 * a! - 1.1 * b! + 0.05 * Math.sin(i * 2.3 + 1) * (1 + (i % 3)));
  const dates = X.map((_, i) => `d${i}`);

  it('coefficients and standard errors match the normal equations solved by elimination', () => {
    const r = regress(dates, y, ['a', 'b'], X);
    const D = X.map((row) => [1, ...row]);
    const xtx = [0, 1, 2].map((i) => [0, 1, 2].map((j) => D.reduce((s, row) => s + row[i]! * row[j]!, 0)));
    const xty = [0, 1, 2].map((i) => D.reduce((s, row, t) => s + row[i]! * y[t]!, 0));
    const beta = gaussSolve(xtx, xty);
    expect([r.alpha, r.betas.a, r.betas.b].map((v) => v!)).toEqual(beta.map((v) => expect.closeTo(v, 12)));
    const sse = D.reduce((s, row, t) => s + (y[t]! - row.reduce((a, v, j) => a + v * beta[j]!, 0)) ** 2, 0);
    // Var(beta_j) = sigma^2 [(X'X)^-1]_jj, the column j of the inverse by elimination on e_j.
    const se = [0, 1, 2].map((j) =>
      Math.sqrt(
        (sse / (n - 3)) *
          gaussSolve(
            xtx,
            [0, 1, 2].map((i) => (i === j ? 1 : 0)),
          )[j]!,
      ),
    );
    expect(Object.values(r.std_errors)).toEqual(se.map((v) => expect.closeTo(v, 12)));
    expect(r.t_stats.a).toBeCloseTo(beta[1]! / se[1]!, 9);
  });

  it('Newey-West with 0 lags is White HC0; with L lags it matches the Bartlett sum written out', () => {
    const D = new Matrix(X.map((row) => [1, ...row]));
    const ols = regress(dates, y, ['a', 'b'], X);
    const e = ols.residuals.map((r) => r.residual);
    const inv = new Matrix(gaussInverse(D.transpose().mmul(D).to2DArray()));
    // Meat as a sum of outer products of the score vectors g_t = x_t e_t.
    const g = D.to2DArray().map((row, t) => row.map((v) => v * e[t]!));
    const meat = (L: number) => {
      const S = Matrix.zeros(3, 3);
      for (let t = 0; t < n; t++) S.add(Matrix.columnVector(g[t]!).mmul(Matrix.rowVector(g[t]!)));
      for (let l = 1; l <= L; l++) {
        const w = 1 - l / (L + 1);
        for (let t = l; t < n; t++) {
          const G = Matrix.columnVector(g[t]!).mmul(Matrix.rowVector(g[t - l]!));
          S.add(G.add(G.transpose()).mul(w));
        }
      }
      return inv.mmul(S).mmul(inv);
    };
    for (const L of [0, 3]) {
      const r = regress(dates, y, ['a', 'b'], X, L);
      expect(r.std_error_method).toBe('newey-west');
      expect(r.newey_west_lags).toBe(L);
      expect(Object.values(r.std_errors)).toEqual([0, 1, 2].map((j) => expect.closeTo(Math.sqrt(meat(L).get(j, j)), 12)));
      expect(r.alpha).toBeCloseTo(ols.alpha, 14);
    }
    expect(neweyWestDefaultLags(63)).toBe(3);
    expect(neweyWestDefaultLags(2520)).toBe(8);
  });
});

function gaussInverse(A: number[][]): number[][] {
  const cols = A.map((_, j) =>
    gaussSolve(
      A,
      A.map((__, i) => (i === j ? 1 : 0)),
    ),
  );
  return A.map((_, i) => cols.map((c) => c[i]!));
}

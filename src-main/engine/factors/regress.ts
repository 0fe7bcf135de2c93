import { inverse, Matrix } from 'ml-matrix';
import type { RegressionArtifact } from '../../../src-shared/artifacts/factors';
import { AppError } from '../../../src-shared/errors';

/**
 * Known-factor regression: OLS with intercept of the portfolio's log returns on factor returns
 * (MKT/SMB/HML style), with standard errors (classical, or Newey-West), t statistics and p-values.
 */
export type RegressionResult = Omit<RegressionArtifact, 'schema' | 'kind' | 'input' | 'factors_file' | 'weights_source'>;

/** Two-sided p-value of a t statistic with `df` degrees of freedom (regularised incomplete beta). */
export function tPValue(t: number, df: number): number {
  const x = df / (df + t * t);
  return incompleteBeta(x, df / 2, 0.5);
}

function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lbeta = lgamma(a + b) - lgamma(a) - lgamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lbeta);
  if (x < (a + 1) / (a + b + 2)) return (front * betaCf(x, a, b)) / a;
  return 1 - (front * betaCf(1 - x, b, a)) / b;
}

function betaCf(x: number, a: number, b: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    c = 1 + aa / c;
    d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    c = 1 + aa / c;
    d = 1 / (Math.abs(d) < 1e-300 ? 1e-300 : d);
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

function lgamma(z: number): number {
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lgamma(1 - z);
  const zz = z - 1;
  let x = c[0]!;
  for (let i = 1; i < g + 2; i++) x += c[i]! / (zz + i);
  const t = zz + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (zz + 0.5) * Math.log(t) - t + Math.log(x);
}

/** The usual automatic lag count for Newey-West: floor(4 (n / 100)^(2/9)). */
export function neweyWestDefaultLags(n: number): number {
  return Math.floor(4 * (n / 100) ** (2 / 9));
}

/**
 * Newey-West (Bartlett kernel) covariance of OLS coefficients: (X'X)^-1 S (X'X)^-1 with
 * S = sum_t e_t^2 x_t x_t' + sum_{l=1..L} (1 - l/(L+1)) sum_t e_t e_{t-l} (x_t x_{t-l}' + x_{t-l} x_t').
 * No small-sample factor (as in the textbook formula and statsmodels' default).
 */
export function neweyWestCovariance(design: Matrix, resid: number[], xtxInv: Matrix, lags: number): Matrix {
  const [n, p] = [design.rows, design.columns];
  const S = new Matrix(p, p);
  for (let l = 0; l <= lags; l++) {
    const w = l === 0 ? 1 : 1 - l / (lags + 1);
    for (let t = l; t < n; t++) {
      const e = resid[t]! * resid[t - l]! * w;
      for (let i = 0; i < p; i++) {
        for (let j = 0; j < p; j++) {
          const v = design.get(t, i) * design.get(t - l, j) + (l === 0 ? 0 : design.get(t - l, i) * design.get(t, j));
          S.set(i, j, S.get(i, j) + e * v);
        }
      }
    }
  }
  return xtxInv.mmul(S).mmul(xtxInv);
}

export function regress(
  dates: string[],
  y: number[],
  factors: string[],
  X: number[][],
  neweyWestLags: number | null = null,
): RegressionResult {
  const n = y.length;
  const p = factors.length + 1;
  if (n < factors.length + 5)
    throw new AppError(
      'BAD_ARGUMENT',
      `only ${n} dates have both portfolio and factor returns; need at least ${factors.length + 5}`,
      'Give prices and factors that overlap on more dates.',
    );
  const design = new Matrix(X.map((row) => [1, ...row]));
  const xtx = design.transpose().mmul(design);
  let inv: Matrix;
  try {
    inv = inverse(xtx);
  } catch {
    throw new AppError(
      'BAD_ARGUMENT',
      'the factor columns are linearly dependent: the regression has no unique solution',
      'Drop a factor that is a combination of the others.',
    );
  }
  const beta = inv.mmul(design.transpose()).mmul(Matrix.columnVector(y)).to1DArray();
  const fitted = design.mmul(Matrix.columnVector(beta)).to1DArray();
  const resid = y.map((v, i) => v - fitted[i]!);
  const sse = resid.reduce((a, r) => a + r * r, 0);
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const sst = y.reduce((a, v) => a + (v - mean) ** 2, 0);
  const df = Math.max(n - p, 1);
  const sigma2 = sse / df;
  const names = ['alpha', ...factors];
  const nw = neweyWestLags === null ? null : neweyWestCovariance(design, resid, inv, neweyWestLags);
  const se = beta.map((_, i) => Math.sqrt(Math.max(0, nw ? nw.get(i, i) : sigma2 * inv.get(i, i))));
  const t = beta.map((b, i) => (se[i]! > 0 ? b / se[i]! : Number.NaN));
  const r2 = sst < 1e-18 ? 0 : 1 - sse / sst;
  return {
    method: 'ols_known_factor_regression',
    observations: n,
    alpha: beta[0]!,
    betas: Object.fromEntries(factors.map((f, i) => [f, beta[i + 1]!])),
    r2,
    adj_r2: 1 - ((1 - r2) * (n - 1)) / df,
    residual_std: Math.sqrt(sse / Math.max(n - p, 1)),
    std_error_method: nw ? 'newey-west' : 'ols',
    newey_west_lags: neweyWestLags,
    std_errors: Object.fromEntries(names.map((nm, i) => [nm, se[i]!])),
    t_stats: Object.fromEntries(names.map((nm, i) => [nm, t[i]!])),
    p_values: Object.fromEntries(names.map((nm, i) => [nm, Number.isFinite(t[i]!) ? tPValue(t[i]!, df) : Number.NaN])),
    residuals: dates.map((date, i) => ({ date, portfolio_return: y[i]!, fitted_return: fitted[i]!, residual: resid[i]! })),
  };
}

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inverse, Matrix } from 'ml-matrix';
import { runFit, type FitRequest } from './fit';

const data = path.resolve(__dirname, '../../../data');
const base: FitRequest = {
  prices: path.join(data, 'prices.csv'),
  k: 2,
  kAuto: false,
  portfolio: path.join(data, 'portfolio.csv'),
  holdings: null,
  includeWeekends: false,
  missing: 'common',
};

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

  it('attributes in return units: factor contributions + residual = the portfolio log return', async () => {
    const r = await runFit(base);
    for (const a of r.attribution) {
      expect(a.portfolio_return).toBeCloseTo(a.total_factor + a.residual, 14);
      expect(a.total_factor).toBeCloseTo(
        a.contributions.reduce((x, y) => x + y, 0),
        15,
      );
    }
    // By hand for the first day: r = 0.4 r_AAA + 0.3 r_BBB + 0.3 r_CCC from the closes in prices.csv.
    expect(r.attribution[0]!.date).toBe('2025-01-02');
    expect(r.attribution[0]!.portfolio_return).toBeCloseTo(
      0.4 * Math.log(100.4469 / 100) + 0.3 * Math.log(76.8641 / 76.8) + 0.3 * Math.log(56.0473 / 55.7),
      15,
    );
    // With every factor kept (k = 3 assets) nothing is left for the residual on any day.
    const full = await runFit({ ...base, k: 3 });
    for (const a of full.attribution) expect(Math.abs(a.residual)).toBeLessThan(1e-15);
    expect(r.top_outliers).toHaveLength(15);
    expect(r.top_outliers[0]!.abs_residual).toBe(Math.max(...r.attribution.map((a) => Math.abs(a.residual))));
  });

  it('--k-auto keeps the eigenvalues above the noise edge, and says so', async () => {
    const r = await runFit({ ...base, kAuto: true });
    expect(r.model.k).toBe(1);
    expect(r.model.k_rule).toBe('k = 1: eigenvalues above the Marchenko-Pastur noise edge 1.484 for 3 assets over 63 dates (at least 1)');
  });

  it('a k above the number of tickers is capped, and the rule says so', async () => {
    const capped = await runFit({ ...base, k: 99 });
    expect(capped.model.k).toBe(3);
    expect(capped.model.k_rule).toBe('k = 3 (99 asked, capped at the 3 tickers)');
    expect(capped.options.k).toBe(99);
    expect((await runFit({ ...base, k: 3 })).model.k_rule).toBe('k = 3 (given)');
  });

  it('a missing price: common dates shrink the sample and say why; pairwise keeps it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-fit-'));
    const lines = ['date,ticker,close'];
    for (let d = 1; d <= 40; d++) {
      const date = new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      for (const [t, p] of [
        ['X', 100 + Math.sin(d)],
        ['Y', 50 + Math.cos(d * 1.3)],
        ['Z', 20 + Math.sin(d * 0.7)],
      ] as const) {
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

  it('names the factors from their loadings (SPEC 10.5) and takes names from a labels file', async () => {
    const r = await runFit({ ...base, k: 3 });
    // Loadings (largest positive): factor_1 AAA 0.7246, BBB 0.5801, CCC 0.3722 -> low CCC/BBB, high AAA.
    expect(r.model.loadings.map((row) => Number(row[0]!.toFixed(4)))).toEqual([0.7246, 0.5801, 0.3722]);
    expect(r.factor_labels[0]).toBe('Primary Shared Move (high: AAA; low: CCC/BBB)');
    expect(r.factor_labels[1]).toBe('Secondary Shared Move (high: CCC; low: BBB/AAA)');
    expect(r.factor_labels[2]!.startsWith('Cross-Asset Spread (')).toBe(true);
    const named = await runFit({ ...base, k: 3, labels: path.join(data, 'factor_labels.csv') });
    expect(named.factor_labels).toEqual(['Broad Market Beta', 'Growth vs Value Rotation', 'Idiosyncratic Spread']);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-lab-'));
    writeFileSync(path.join(dir, 'l.tsv'), '# my names\n2\tRates\n');
    expect((await runFit({ ...base, k: 3, labels: path.join(dir, 'l.tsv') })).factor_labels[1]).toBe('Rates');
    // The demo file names three factors; a two-factor model uses the first two.
    expect((await runFit({ ...base, k: 2, labels: path.join(data, 'factor_labels.csv') })).factor_labels).toEqual([
      'Broad Market Beta',
      'Growth vs Value Rotation',
    ]);
    writeFileSync(path.join(dir, 'bad.csv'), 'factor,label\nmarket,Too vague\n');
    await expect(runFit({ ...base, k: 3, labels: path.join(dir, 'bad.csv') })).rejects.toMatchObject({
      message: expect.stringContaining("'market' is not a factor (use factor_1, factor_1_contrib or 1)"),
    });
  });

  it('the covariance basis decomposes the covariance matrix of the returns', async () => {
    const r = await runFit({ ...base, k: 3, basis: 'covariance' });
    // Reference: the covariance matrix from the standardised returns and each ticker's sd, then A v = λ v.
    const corr = await runFit({ ...base, k: 3 });
    const Z = new Matrix(corr.model.standardized_returns!);
    const X = new Matrix(r.model.standardized_returns!); // demeaned returns in the covariance basis
    const S = X.transpose()
      .mmul(X)
      .div(X.rows - 1);
    for (let f = 0; f < 3; f++) {
      const v = Matrix.columnVector(r.model.loadings.map((row) => row[f]!));
      const Sv = S.mmul(v);
      for (let i = 0; i < 3; i++) expect(Sv.get(i, 0)).toBeCloseTo(r.model.eigenvalues[f]! * v.get(i, 0), 12);
    }
    expect(r.model.explained_variance_ratio.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Same returns: the demeaned returns are the standardised ones times each ticker's sd.
    const sd0 = X.get(0, 0) / Z.get(0, 0);
    expect(X.get(5, 0) / Z.get(5, 0)).toBeCloseTo(sd0, 12);
    expect(r.model.basis).toBe('covariance');
  });

  it('recovers planted factors from a generated market of 40 tickers over 750 days', async () => {
    // Two planted factors: a market move every ticker loads on, and a spread (first half up, second half down).
    let s = 7;
    const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
    const gauss = () => rand() + rand() + rand() + rand();
    const n = 40;
    const beta = Array.from({ length: n }, (_, i) => [1 + (i % 4) * 0.2, i < n / 2 ? 0.8 : -0.8]);
    const close = Array.from({ length: n }, () => 100);
    const lines = ['date,ticker,close'];
    let day = Date.UTC(2022, 0, 3);
    for (let t = 0; t < 750; t++) {
      const f = [gauss() * 0.02, gauss() * 0.012];
      const date = new Date(day).toISOString().slice(0, 10);
      for (let i = 0; i < n; i++) {
        if (t > 0) close[i] = close[i]! * Math.exp(beta[i]![0]! * f[0]! + beta[i]![1]! * f[1]! + gauss() * 0.006);
        lines.push(`${date},T${String(i).padStart(2, '0')},${close[i]!.toFixed(6)}`);
      }
      day += 86_400_000;
    }
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-plant-'));
    writeFileSync(path.join(dir, 'p.csv'), `${lines.join('\n')}\n`);
    const r = await runFit({ ...base, prices: path.join(dir, 'p.csv'), portfolio: null, includeWeekends: true, kAuto: true });
    expect(r.model.k).toBe(2);
    // Each recovered loading vector lies in the span of the planted loadings: its projection on
    // that span keeps over 99% of its length.
    // In the correlation basis a ticker's planted loadings are divided by its return's sd
    // (gauss() has variance 1/3, a common factor of every sd that does not change the span).
    const B = new Matrix(beta.map(([m, d]) => [m!, d!].map((b) => b / Math.sqrt(m! ** 2 * 0.02 ** 2 + d! ** 2 * 0.012 ** 2 + 0.006 ** 2))));
    for (let f = 0; f < 2; f++) {
      const v = Matrix.columnVector(r.model.loadings.map((row) => row[f]!));
      const proj = B.mmul(inverse(B.transpose().mmul(B)))
        .mmul(B.transpose())
        .mmul(v);
      expect(proj.norm() / v.norm()).toBeGreaterThan(0.99);
    }
    // The spread factor: positive loadings on one half, negative on the other.
    const second = r.model.loadings.map((row) => Math.sign(row[1]!));
    expect(new Set(second.slice(0, 20)).size).toBe(1);
    expect(new Set(second.slice(20)).size).toBe(1);
    expect(second[0]).toBe(-second[39]!);
  });

  it('bad prices name the row', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-fit-'));
    const f = path.join(dir, 'bad.csv');
    writeFileSync(f, 'date,ticker,close\n2025-01-02,A,10\n2025-01-03,A,ten\n');
    await expect(runFit({ ...base, prices: f })).rejects.toMatchObject({
      message: expect.stringContaining("line 3: 'close' is 'ten', not a number"),
    });
  });
});

describe('factors fit: bad input', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-bad-'));
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  /** 30 weekdays of three tickers, with a twist applied to the lines. */
  const prices = (twist: (lines: string[]) => string[] = (l) => l) => {
    const lines: string[] = [];
    for (let d = 0; d < 30; d++) {
      const date = new Date(Date.UTC(2025, 0, 6) + (Math.floor(d / 5) * 7 + (d % 5)) * 86_400_000).toISOString().slice(0, 10);
      lines.push(
        `${date},A,${(10 + Math.sin(d)).toFixed(4)}`,
        `${date},B,${(20 + Math.cos(d * 1.3)).toFixed(4)}`,
        `${date},C,${(30 + Math.sin(d * 0.4)).toFixed(4)}`,
      );
    }
    return `date,ticker,close\n${twist(lines).join('\n')}\n`;
  };
  const fit = (text: string, extra: Partial<FitRequest> = {}) =>
    runFit({ ...base, portfolio: null, prices: file(`p${Math.random()}.csv`, text), ...extra });

  it('unsorted rows are sorted by date: the same model as sorted ones', async () => {
    const sorted = await fit(prices());
    const shuffled = await fit(prices((l) => [...l].reverse()));
    expect(shuffled.model.explained_variance_ratio).toEqual(sorted.model.explained_variance_ratio);
    expect(shuffled.attribution).toEqual(sorted.attribution);
  });
  it('two prices for a ticker on one day', async () => {
    await expect(fit(prices((l) => [...l, l[3]!]))).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: 'ticker A has two prices on 2025-01-07 (lines 5 and 92)',
    });
  });
  it('a ticker with one price', async () => {
    await expect(fit(prices((l) => [...l, '2025-01-06,LONELY,5']))).rejects.toMatchObject({
      message: 'ticker LONELY has only one price (line 92) on a weekday; a return needs two',
    });
  });
  it('a non-positive price', async () => {
    await expect(fit(prices((l) => l.map((x, i) => (i === 10 ? x.replace(/,[\d.]+$/, ',0') : x))))).rejects.toMatchObject({
      message: expect.stringContaining('line 12: close is 0; a log return needs positive prices'),
    });
  });
  it('fewer dates than assets', async () => {
    const wide = ['date,ticker,close'];
    for (let d = 0; d < 25; d++)
      for (let t = 0; t < 30; t++)
        wide.push(
          `2025-${String(1 + Math.floor(d / 28)).padStart(2, '0')}-${String(1 + (d % 28)).padStart(2, '0')},T${t},${(10 + Math.sin(d * (t + 1))).toFixed(4)}`,
        );
    await expect(fit(`${wide.join('\n')}\n`, { includeWeekends: true })).rejects.toMatchObject({
      message: expect.stringContaining('24 dates for 30 tickers: a factor model needs more dates than tickers'),
    });
  });
  it('weights that sum to zero', async () => {
    await expect(fit(prices(), { portfolio: file('w0.csv', 'ticker,weight\nA,0.5\nB,-0.5\nC,0\n') })).rejects.toMatchObject({
      message: 'the portfolio weights of the tickers in the prices sum to 0',
    });
  });
  it('a portfolio ticker absent from the prices', async () => {
    await expect(fit(prices(), { portfolio: file('wx.csv', 'ticker,weight\nA,0.5\nB,0.3\nZZZ,0.2\n') })).rejects.toMatchObject({
      message: 'the portfolio holds a ticker with no prices: ZZZ',
    });
  });
});

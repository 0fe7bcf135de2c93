import { Matrix } from 'ml-matrix';
import { AppError } from '../../../src-shared/errors';
import { readPrices, readWeights } from './inputs';
import { noiseEdge, topEigen } from './pca';
import { logReturns, portfolioWeights } from './returns';

export interface FitRequest {
  prices: string;
  k: number;
  kAuto: boolean;
  portfolio: string | null;
  holdings: string | null;
  includeWeekends: boolean;
  /** common: dates where every ticker has a return (the seed); pairwise: missing returns read as the ticker's mean. */
  missing: 'common' | 'pairwise';
}

export interface FitResult {
  model: {
    dates: string[];
    tickers: string[];
    k: number;
    /** (ours) How k was chosen. */
    k_rule: string;
    explained_variance_ratio: number[];
    eigenvalues: number[];
    factor_returns: number[][];
    loadings: number[][];
    standardized_returns: number[][];
  };
  /** (ours) How many dates the model kept, and why others were left out. */
  sample: { dates_with_any_return: number; dates_kept: number; dates_dropped: number; missing: 'common' | 'pairwise'; note: string };
  weights: Record<string, number>;
  /** (ours) Exposures and contributions in return units (log returns), and the standardised ones of the seed. */
  exposures: number[];
  exposures_standardized: number[];
  attribution: { date: string; contributions: number[]; total_factor: number; portfolio_return: number; residual: number }[];
  top_outliers: { date: string; residual: number; abs_residual: number }[];
  /** (ours) Each factor's share of the portfolio's return variance; the rest is specific risk. */
  risk: { factor_share: number[]; specific_share: number; portfolio_variance: number };
}

export async function runFit(req: FitRequest): Promise<FitResult> {
  const returns = logReturns(await readPrices(req.prices), req.includeWeekends);
  const tickers = [...returns.keys()];
  if (tickers.length < 2) throw new AppError('BAD_ARGUMENT', `a factor model needs at least 2 tickers (got ${tickers.length})`);
  const allDates = [...new Set([...returns.values()].flatMap((m) => [...m.keys()]))].sort();
  const complete = allDates.filter((d) => tickers.every((t) => returns.get(t)!.has(d)));
  const dates = req.missing === 'common' ? complete : allDates;
  if (dates.length < 20) throw new AppError('BAD_ARGUMENT', `only ${dates.length} dates have returns for every ticker; a factor model needs at least 20`, 'Use --missing pairwise, or give longer price histories.');
  const n = tickers.length;
  const T = dates.length;

  // Standardise each ticker over its available returns; a missing return reads as the mean (z = 0).
  const mean: number[] = [];
  const sd: number[] = [];
  tickers.forEach((t) => {
    const vals = dates.map((d) => returns.get(t)!.get(d)).filter((v): v is number => v !== undefined);
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    const s = Math.sqrt(vals.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, vals.length - 1));
    mean.push(m);
    sd.push(s > 1e-12 ? s : 1);
  });
  const Z = new Matrix(dates.map((d) => tickers.map((t, j) => ((returns.get(t)!.get(d) ?? mean[j]!) - mean[j]!) / sd[j]!)));
  const C = Z.transpose().mmul(Z).div(T - 1);

  // k: given, or the eigenvalues above the Marchenko-Pastur noise edge (at least 1).
  const total = C.trace();
  let k = Math.max(1, Math.min(req.k, n));
  let rule = `k = ${k} (given)`;
  if (req.kAuto) {
    const edge = noiseEdge(n, T);
    const probe = topEigen(C, Math.min(n, 10)).values;
    k = Math.max(1, probe.filter((v) => v > edge).length);
    rule = `k = ${k}: eigenvalues above the Marchenko-Pastur noise edge ${edge.toFixed(3)} for ${n} assets over ${T} dates (at least 1)`;
  }
  const { values, vectors } = topEigen(C, k);
  const F = Z.mmul(vectors);
  const w = portfolioWeights(tickers, req.portfolio ? await readWeights(req.portfolio, 'portfolio') : req.holdings ? await readWeights(req.holdings, 'holdings') : null);

  // Return units: r_it = mean_i + sd_i z_it, z ≈ L F, so factor f contributes Σ_i w_i sd_i L_if F_tf.
  const exposures = Array.from({ length: k }, (_, f) => tickers.reduce((a, _t, i) => a + w[i]! * sd[i]! * vectors.get(i, f), 0));
  const exposuresZ = Array.from({ length: k }, (_, f) => tickers.reduce((a, _t, i) => a + w[i]! * vectors.get(i, f), 0));
  const meanP = tickers.reduce((a, _t, i) => a + w[i]! * mean[i]!, 0);
  const attribution = dates.map((date, t) => {
    const r = tickers.reduce((a, tk, i) => a + w[i]! * (returns.get(tk)!.get(date) ?? mean[i]!), 0);
    const contributions = exposures.map((e, f) => e * F.get(t, f));
    const totalFactor = contributions.reduce((a, b) => a + b, 0);
    return { date, contributions, total_factor: totalFactor, portfolio_return: r, residual: r - meanP - totalFactor };
  });
  const top = [...attribution].sort((a, b) => Math.abs(b.residual) - Math.abs(a.residual) || (a.date < b.date ? -1 : 1)).slice(0, 15);

  // Risk: factors are uncorrelated with variance λ_f in z units.
  const cov = C.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) cov.set(i, j, C.get(i, j) * sd[i]! * sd[j]!);
  const wv = Matrix.columnVector(w);
  const pv = wv.transpose().mmul(cov).mmul(wv).get(0, 0);
  const factorShare = exposures.map((e, f) => (pv > 0 ? (e * e * values[f]!) / pv : 0));

  return {
    model: {
      dates,
      tickers,
      k,
      k_rule: rule,
      explained_variance_ratio: values.map((v) => v / total),
      eigenvalues: values,
      factor_returns: F.to2DArray(),
      loadings: vectors.to2DArray(),
      standardized_returns: Z.to2DArray(),
    },
    sample: {
      dates_with_any_return: allDates.length,
      dates_kept: dates.length,
      dates_dropped: allDates.length - dates.length,
      missing: req.missing,
      note:
        req.missing === 'common'
          ? `${allDates.length - complete.length} of ${allDates.length} dates were left out because at least one ticker had no return that day (use --missing pairwise to keep them)`
          : `${allDates.length - complete.length} dates with a missing return kept; a missing return reads as the ticker's mean`,
    },
    weights: Object.fromEntries(tickers.map((t, i) => [t, w[i]!])),
    exposures,
    exposures_standardized: exposuresZ,
    attribution,
    top_outliers: top.map((a) => ({ date: a.date, residual: a.residual, abs_residual: Math.abs(a.residual) })),
    risk: { factor_share: factorShare, specific_share: Math.max(0, 1 - factorShare.reduce((a, b) => a + b, 0)), portfolio_variance: pv },
  };
}

import { Matrix } from 'ml-matrix';
import { AppError } from '../../../src-shared/errors';
import { FACTORS_SCHEMA, type FactorBasis, type FactorsArtifact, type MissingRule } from '../../../src-shared/artifacts/factors';
import { periodCount } from '../../../src-shared/artifacts/frequency';
import type { AskedOrder } from './date-order';
import { inputLabel, readText, readWeights, type TableInput } from './inputs';
import { applyLabelsFile, autoLabels } from './labels';
import { noiseEdge, topEigen } from './pca';
import { NO_NAMED_COLUMNS, type PriceColumnNames } from './price-columns';
import { readPricePanel, shortHistories } from './price-panel';
import { portfolioWeights } from './returns';

export interface FitRequest {
  /** A prices file, or a Postgres query (a query dataset of the workbench). */
  prices: TableInput;
  k: number;
  kAuto: boolean;
  portfolio: TableInput | null;
  holdings: TableInput | null;
  includeWeekends: boolean;
  /** common: dates where every ticker has a return (the seed); pairwise: missing returns read as the ticker's mean. */
  missing: MissingRule;
  /** correlation (the seed): PCA of standardised returns; covariance: of demeaned returns, so volatile tickers weigh more. */
  basis?: FactorBasis;
  /** The ticker, date and price columns (unset: ticker, date, close). */
  columns?: PriceColumnNames;
  /** How `01/02/2000` dates read (auto: from the cells, else asked). */
  dateOrder?: AskedOrder;
  /** A factor-labels CSV/TSV that overrides the generated names. */
  labels?: string | null;
  /** Keep the T x assets standardised returns in the artifact (the seed's factors.json has them; runs in a workspace leave them out). */
  standardizedReturns?: boolean;
}

type Progress = (fraction: number, stage: string) => void;

export async function runFit(req: FitRequest, progress: Progress = () => {}): Promise<FactorsArtifact> {
  const basis = req.basis ?? 'correlation';
  progress(0.05, 'Reading prices');
  const { panel, frequency, warnings } = await readPricePanel(req.prices, {
    columns: req.columns ?? NO_NAMED_COLUMNS,
    dateOrder: req.dateOrder ?? 'auto',
    includeWeekends: req.includeWeekends,
  });
  const { tickers, dates: allDates, columns } = panel;
  if (tickers.length < 2)
    throw new AppError(
      'BAD_ARGUMENT',
      `a factor model needs at least 2 tickers (got ${tickers.length})`,
      'Give prices for two or more tickers, each with at least two dates.',
    );
  // How many tickers have a return on each date: a date is complete when all of them do.
  const coverage = new Int32Array(allDates.length);
  for (const col of columns) for (let i = 0; i < col.length; i++) if (!Number.isNaN(col[i]!)) coverage[i]!++;
  const completeAt = allDates.map((_, i) => i).filter((i) => coverage[i] === tickers.length);
  const complete = completeAt.map((i) => allDates[i]!);
  const dates = req.missing === 'common' ? complete : allDates;
  const gaps = shortHistories(panel, frequency);
  if (dates.length < 20)
    throw new AppError(
      'BAD_ARGUMENT',
      `only ${dates.length} dates have returns for every ticker; a factor model needs at least 20${gaps.length > 0 ? ` (${gaps.join('; ')})` : ''}`,
      'Keep the dates some tickers miss (missing returns: pairwise), or give longer price histories.',
      ['missing'],
    );
  const n = tickers.length;
  const T = dates.length;
  if (T <= n)
    throw new AppError(
      'BAD_ARGUMENT',
      `${T} dates for ${n} tickers: a factor model needs more dates than tickers (the ${n} x ${n} ${basis} matrix of ${periodCount(T, frequency)} is singular)`,
      'Give a longer price history, or fewer tickers.',
    );
  progress(0.2, 'Standardising returns');

  // Each ticker's returns as a column over the sample's dates (NaN where it has none), then
  // standardised over its available returns; a missing return reads as the mean (z = 0).
  const raw = T === allDates.length ? columns : columns.map((col) => pick(col, completeAt));
  const mean: number[] = [];
  const sd: number[] = [];
  for (const col of raw) {
    let count = 0;
    let sum = 0;
    for (const v of col) {
      if (Number.isNaN(v)) continue;
      count++;
      sum += v;
    }
    const m = sum / count;
    let ss = 0;
    for (const v of col) if (!Number.isNaN(v)) ss += (v - m) ** 2;
    const sdv = Math.sqrt(ss / Math.max(1, count - 1));
    mean.push(m);
    sd.push(sdv > 1e-12 ? sdv : 1);
  }
  // The correlation basis standardises each ticker; the covariance basis only demeans it.
  const scale = basis === 'correlation' ? sd : sd.map(() => 1);
  const Z = raw.map((col, j) => {
    const z = new Float64Array(T);
    for (let t = 0; t < T; t++) z[t] = Number.isNaN(col[t]!) ? 0 : (col[t]! - mean[j]!) / scale[j]!;
    return z;
  });
  progress(0.35, `Building the ${n} x ${n} ${basis} matrix`);
  const C = gram(Z, T - 1);

  // k: given, or the eigenvalues above the Marchenko-Pastur noise edge (at least 1).
  const total = C.trace();
  let k = Math.max(1, Math.min(req.k, n));
  // A model has at most one factor per ticker: a larger k is capped, and the rule says so.
  let rule = k === req.k ? `k = ${k} (given)` : `k = ${k} (${req.k} asked, capped at the ${n} tickers)`;
  progress(0.5, 'Finding the factors');
  if (req.kAuto) {
    // For a covariance matrix the noise edge scales with the average variance.
    const edge = noiseEdge(n, T) * (basis === 'correlation' ? 1 : total / n);
    const probe = topEigen(C, Math.min(n, 10)).values;
    k = Math.max(1, probe.filter((v) => v > edge).length);
    rule = `k = ${k}: eigenvalues above the Marchenko-Pastur noise edge ${edge.toPrecision(4)} for ${n} assets over ${T} dates (at least 1)`;
  }
  const { values, vectors } = topEigen(C, k);
  progress(0.8, 'Attributing the portfolio');
  // Factor returns F = Z L, one column per factor.
  const F = Array.from({ length: k }, (_, f) => {
    const out = new Float64Array(T);
    for (let j = 0; j < n; j++) {
      const l = vectors.get(j, f);
      const z = Z[j]!;
      for (let t = 0; t < T; t++) out[t] = out[t]! + z[t]! * l;
    }
    return out;
  });
  const w = portfolioWeights(
    tickers,
    req.portfolio ? await readWeights(req.portfolio, 'portfolio') : req.holdings ? await readWeights(req.holdings, 'holdings') : null,
  );

  // Return units. The loadings come from demeaned returns, but the attribution projects the raw
  // returns (x_it = r_it / scale_i) on them, so that summed over days each factor's contribution is
  // its part of the portfolio's total return: r_t = Σ_f e_f G_tf + residual_t, with exposure
  // e_f = Σ_i w_i scale_i L_if and G_tf = Σ_i x_it L_if = F_tf + Σ_i (mean_i / scale_i) L_if.
  const exposures = Array.from({ length: k }, (_, f) => tickers.reduce((a, _t, i) => a + w[i]! * scale[i]! * vectors.get(i, f), 0));
  const exposuresZ = Array.from({ length: k }, (_, f) => tickers.reduce((a, _t, i) => a + w[i]! * vectors.get(i, f), 0));
  const shift = Array.from({ length: k }, (_, f) => tickers.reduce((a, _t, i) => a + (mean[i]! / scale[i]!) * vectors.get(i, f), 0));
  const meanP = tickers.reduce((a, _t, i) => a + w[i]! * mean[i]!, 0);
  const portfolio = new Float64Array(T);
  raw.forEach((col, i) => {
    for (let t = 0; t < T; t++) portfolio[t] = portfolio[t]! + w[i]! * (Number.isNaN(col[t]!) ? mean[i]! : col[t]!);
  });
  const attribution = dates.map((date, t) => {
    const r = portfolio[t]!;
    const contributions = exposures.map((e, f) => e * (F[f]![t]! + shift[f]!));
    const totalFactor = contributions.reduce((a, b) => a + b, 0);
    return { date, contributions, total_factor: totalFactor, portfolio_return: r, residual: r - totalFactor };
  });
  const top = [...attribution].sort((a, b) => Math.abs(b.residual) - Math.abs(a.residual) || (a.date < b.date ? -1 : 1)).slice(0, 15);

  // Risk: the factors are uncorrelated with variance λ_f (in the basis' units).
  let pv = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pv += w[i]! * w[j]! * C.get(i, j) * scale[i]! * scale[j]!;
  const factorShare = exposures.map((e, f) => (pv > 0 ? (e * e * values[f]!) / pv : 0));

  const loadings = vectors.to2DArray();
  let labels = autoLabels(tickers, loadings, k);
  if (req.labels) labels = applyLabelsFile(labels, await readText(req.labels, 'factor-labels'), req.labels);
  progress(1, 'Done');
  return {
    schema: FACTORS_SCHEMA,
    kind: 'factors',
    input: inputLabel(req.prices),
    weights_source: req.portfolio
      ? { kind: 'portfolio', path: inputLabel(req.portfolio) }
      : req.holdings
        ? { kind: 'holdings', path: inputLabel(req.holdings) }
        : { kind: 'equal', path: null },
    options: { k: req.k, k_auto: req.kAuto, basis, missing: req.missing, include_weekends: req.includeWeekends },
    model: {
      dates,
      tickers,
      k,
      k_rule: rule,
      basis,
      frequency,
      explained_variance_ratio: values.map((v) => v / total),
      eigenvalues: values,
      factor_returns: dates.map((_, t) => F.map((col) => col[t]!)),
      loadings,
      // Typed rows: passed to the CLI as raw bytes, and written to factors.json row by row.
      ...(req.standardizedReturns === false ? {} : { standardized_returns: rowsOf(Z, T) }),
    },
    sample: {
      dates_with_any_return: allDates.length,
      dates_kept: dates.length,
      dates_dropped: allDates.length - dates.length,
      missing: req.missing,
      note:
        complete.length === allDates.length
          ? `all ${allDates.length} dates have a return for every ticker`
          : req.missing === 'common'
            ? `${allDates.length - complete.length} of ${allDates.length} dates were left out because at least one ticker had no return on that date (the pairwise rule for missing returns keeps them)`
            : `${allDates.length - complete.length} dates with a missing return kept; a missing return reads as the ticker's mean`,
    },
    warnings: [...warnings, ...gaps],
    factor_labels: labels,
    weights: Object.fromEntries(tickers.map((t, i) => [t, w[i]!])),
    mean_return: meanP,
    exposures,
    exposures_standardized: exposuresZ,
    attribution,
    top_outliers: top.map((a) => ({ date: a.date, residual: a.residual, abs_residual: Math.abs(a.residual) })),
    risk: { factor_share: factorShare, specific_share: Math.max(0, 1 - factorShare.reduce((a, b) => a + b, 0)), portfolio_variance: pv },
  };
}

/** The entries of a column at the given indices. */
function pick(col: Float64Array, at: number[]): Float64Array {
  const out = new Float64Array(at.length);
  for (let i = 0; i < at.length; i++) out[i] = col[at[i]!]!;
  return out;
}

/** Columns of length T as T rows. */
function rowsOf(columns: Float64Array[], T: number): Float64Array[] {
  return Array.from({ length: T }, (_, t) => {
    const row = new Float64Array(columns.length);
    for (let j = 0; j < columns.length; j++) row[j] = columns[j]![t]!;
    return row;
  });
}

/**
 * Z'Z / d for n columns of length T (plain loops on typed arrays: ml-matrix's generic mmul is
 * several times slower here). Four columns at a time share each read of column i; every entry is
 * still the same sum over t in the same order.
 */
function gram(Z: Float64Array[], d: number): Matrix {
  const n = Z.length;
  const T = Z[0]!.length;
  const C = new Matrix(n, n);
  const put = (i: number, j: number, s: number) => {
    C.set(i, j, s / d);
    C.set(j, i, s / d);
  };
  for (let i = 0; i < n; i++) {
    const a = Z[i]!;
    let j = i;
    for (; j + 3 < n; j += 4) {
      const [b0, b1, b2, b3] = [Z[j]!, Z[j + 1]!, Z[j + 2]!, Z[j + 3]!];
      let [s0, s1, s2, s3] = [0, 0, 0, 0];
      for (let t = 0; t < T; t++) {
        const x = a[t]!;
        s0 += x * b0[t]!;
        s1 += x * b1[t]!;
        s2 += x * b2[t]!;
        s3 += x * b3[t]!;
      }
      put(i, j, s0);
      put(i, j + 1, s1);
      put(i, j + 2, s2);
      put(i, j + 3, s3);
    }
    for (; j < n; j++) {
      const b = Z[j]!;
      let s = 0;
      for (let t = 0; t < T; t++) s += a[t]! * b[t]!;
      put(i, j, s);
    }
  }
  return C;
}

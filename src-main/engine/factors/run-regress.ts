import { REGRESSION_SCHEMA, type RegressionArtifact } from '../../../src-shared/artifacts/factors';
import { detectFrequency } from '../../../src-shared/artifacts/frequency';
import { AppError } from '../../../src-shared/errors';
import type { AskedOrder } from './date-order';
import { inputLabel, readFactors, readWeights, type TableInput } from './inputs';
import { NO_NAMED_COLUMNS, type PriceColumnNames } from './price-columns';
import { readPricePanel } from './price-panel';
import { neweyWestDefaultLags, regress } from './regress';
import { checkWeightTickers } from './returns';

export interface RegressRequest {
  prices: TableInput;
  factors: TableInput;
  portfolio: TableInput | null;
  holdings: TableInput | null;
  includeWeekends: boolean;
  /** Newey-West standard errors with this many lags ('auto': floor(4 (n/100)^(2/9))); null: classical OLS. */
  neweyWest?: number | 'auto' | null;
  /** The prices' ticker, date and price columns (unset: ticker, date, close). */
  columns?: PriceColumnNames;
  /** How `01/02/2000` dates read in both inputs (auto: from the cells, else asked). */
  dateOrder?: AskedOrder;
}

/**
 * Portfolio log returns on the factor dates (weights renormalised over the tickers that have a
 * return that day; the seed kept the full weight sum), regressed on the factor returns.
 */
export async function runRegress(
  req: RegressRequest,
  progress: (fraction: number, stage: string) => void = () => {},
): Promise<RegressionArtifact> {
  progress(0.1, 'Reading prices');
  const { panel, warnings } = await readPricePanel(req.prices, {
    columns: req.columns ?? NO_NAMED_COLUMNS,
    dateOrder: req.dateOrder ?? 'auto',
    includeWeekends: req.includeWeekends,
  });
  const { tickers, columns } = panel;
  const dateIndex = new Map(panel.dates.map((d, i) => [d, i]));
  const given = req.portfolio
    ? await readWeights(req.portfolio, 'portfolio')
    : req.holdings
      ? await readWeights(req.holdings, 'holdings')
      : null;
  if (given) {
    checkWeightTickers(tickers, given);
    if (Math.abs(tickers.reduce((a, t) => a + (given.get(t) ?? 0), 0)) < 1e-12)
      throw new AppError(
        'BAD_ARGUMENT',
        'the portfolio weights of the tickers in the prices sum to 0',
        'Check that the portfolio names the same tickers as the prices.',
      );
  }
  const weight = (t: string) => (given ? (given.get(t) ?? 0) : 1);
  const f = await readFactors(req.factors, req.dateOrder ?? 'auto');
  const dates: string[] = [];
  const y: number[] = [];
  const X: number[][] = [];
  f.dates.forEach((date, i) => {
    let sum = 0;
    let wsum = 0;
    const at = dateIndex.get(date);
    for (const [j, t] of tickers.entries()) {
      const r = at === undefined ? Number.NaN : columns[j]![at]!;
      if (Number.isNaN(r) || weight(t) === 0) continue;
      sum += weight(t) * r;
      wsum += weight(t);
    }
    if (wsum === 0) return;
    dates.push(date);
    y.push(sum / wsum);
    X.push(f.values[i]!);
  });
  progress(0.6, 'Regressing');
  const lags = req.neweyWest === 'auto' ? neweyWestDefaultLags(y.length) : (req.neweyWest ?? null);
  const result = regress(dates, y, f.names, X, lags);
  progress(1, 'Done');
  return {
    schema: REGRESSION_SCHEMA,
    kind: 'regression',
    input: inputLabel(req.prices),
    factors_file: inputLabel(req.factors),
    weights_source: req.portfolio
      ? { kind: 'portfolio', path: inputLabel(req.portfolio) }
      : req.holdings
        ? { kind: 'holdings', path: inputLabel(req.holdings) }
        : { kind: 'equal', path: null },
    frequency: detectFrequency(dates),
    warnings: f.dateNote ? [...warnings, `factor returns: ${f.dateNote}`] : warnings,
    ...result,
  };
}

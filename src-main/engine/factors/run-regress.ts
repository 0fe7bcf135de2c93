import { readFactors, readPrices, readWeights } from './inputs';
import { regress, type RegressionResult } from './regress';
import { logReturns } from './returns';

export interface RegressRequest {
  prices: string;
  factors: string;
  portfolio: string | null;
  holdings: string | null;
  includeWeekends: boolean;
}

/**
 * Portfolio log returns on the factor dates (weights renormalised over the tickers that have a
 * return that day; the seed kept the full weight sum), regressed on the factor returns.
 */
export async function runRegress(req: RegressRequest): Promise<RegressionResult> {
  const returns = logReturns(await readPrices(req.prices), req.includeWeekends);
  const tickers = [...returns.keys()];
  const given = req.portfolio ? await readWeights(req.portfolio, 'portfolio') : req.holdings ? await readWeights(req.holdings, 'holdings') : null;
  const weight = (t: string) => (given ? (given.get(t) ?? 0) : 1);
  const f = await readFactors(req.factors);
  const dates: string[] = [];
  const y: number[] = [];
  const X: number[][] = [];
  f.dates.forEach((date, i) => {
    let sum = 0;
    let wsum = 0;
    for (const t of tickers) {
      const r = returns.get(t)!.get(date);
      if (r === undefined || weight(t) === 0) continue;
      sum += weight(t) * r;
      wsum += weight(t);
    }
    if (wsum === 0) return;
    dates.push(date);
    y.push(sum / wsum);
    X.push(f.values[i]!);
  });
  return regress(dates, y, f.names, X);
}

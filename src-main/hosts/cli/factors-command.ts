import { Command, Option } from 'commander';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors';
import { writeFilesAtomically } from '../../services/artifacts/output';
import { runFit } from '../../engine/factors/fit';
import { runRegress } from '../../engine/factors/run-regress';
import { wholeNumber } from './args';

const f8 = (v: number) => v.toFixed(8);
const f10 = (v: number) => v.toFixed(10);
const csv = (header: string[], rows: (string | number)[][]) => `${[header.join(','), ...rows.map((r) => r.join(','))].join('\n')}\n`;

function weightsSource(f: { portfolio?: string; holdings?: string }) {
  if (f.portfolio && f.holdings) throw new AppError('BAD_ARGUMENT', '--portfolio and --holdings cannot be used together', 'Give one of them (or neither, for equal weights).');
  return { portfolio: f.portfolio ?? null, holdings: f.holdings ?? null };
}

/** `factors fit` and `factors regress`: factor models of price returns (the seed's artifacts). */
export function factorsCommand(): Command {
  const factors = new Command('factors').description('Factor models of price returns: statistical factors (PCA) or known-factor regression');

  factors
    .command('fit')
    .description('PCA factor model of daily log returns, with the portfolio attribution in return units, outlier days and factor risk')
    .requiredOption('--prices <csv>', 'prices in long format: date,ticker,close')
    .requiredOption('--out <dir>', 'folder for the artifacts (created)')
    .option('--k <n>', 'number of factors', '5')
    .option('--k-auto', 'choose k: eigenvalues above the Marchenko-Pastur noise edge')
    .option('--portfolio <csv>', 'ticker,weight')
    .option('--holdings <csv>', 'ticker with market_value, or shares and price')
    .option('--include-weekends', 'keep Saturday and Sunday prices')
    .addOption(new Option('--missing <how>', 'common: only dates where every ticker has a return; pairwise: keep all dates, a missing return reads as the mean').choices(['common', 'pairwise']).default('common'))
    .action(async (f: { prices: string; out: string; k: string; kAuto?: boolean; portfolio?: string; holdings?: string; includeWeekends?: boolean; missing: 'common' | 'pairwise' }) => {
      const r = await runFit({ prices: f.prices, k: wholeNumber('--k', f.k, 1), kAuto: f.kAuto === true, ...weightsSource(f), includeWeekends: f.includeWeekends === true, missing: f.missing });
      const k = r.model.k;
      const names = Array.from({ length: k }, (_, i) => `factor_${i + 1}`);
      const files = [
        { path: path.join(f.out, 'factors.json'), content: `${JSON.stringify({ schema: 'factorlens.factors/1', model: r.model, sample: r.sample, weights: r.weights, exposures: r.exposures, exposures_standardized: r.exposures_standardized, risk: r.risk, top_outliers: r.top_outliers }, null, 2)}\n` },
        { path: path.join(f.out, 'exposures.csv'), content: csv(['ticker', ...names], r.model.tickers.map((t, i) => [t, ...r.model.loadings[i]!.map(f8)])) },
        { path: path.join(f.out, 'attribution.csv'), content: csv(['date', ...names.map((n) => `${n}_contrib`), 'total_factor_contrib', 'portfolio_return', 'residual'], r.attribution.map((a) => [a.date, ...a.contributions.map(f8), f8(a.total_factor), f8(a.portfolio_return), f8(a.residual)])) },
        { path: path.join(f.out, 'outliers.csv'), content: csv(['date', 'residual', 'abs_residual'], r.top_outliers.map((o) => [o.date, f8(o.residual), f8(o.abs_residual)])) },
        { path: path.join(f.out, 'risk.csv'), content: csv(['factor', 'share_of_variance'], [...names.map((n, i) => [n, f8(r.risk.factor_share[i]!)]), ['specific', f8(r.risk.specific_share)]]) },
      ];
      await writeFilesAtomically(files);
      const o = process.stdout;
      o.write(`Factor model: ${r.model.tickers.length} tickers, ${r.model.dates.length} dates (${r.model.dates[0]}..${r.model.dates.at(-1)}), weekends ${f.includeWeekends ? 'included' : 'excluded'}\n`);
      o.write(`Sample: ${r.sample.note}\n${r.model.k_rule}\n`);
      o.write(`Explained variance: ${r.model.explained_variance_ratio.map((v, i) => `factor_${i + 1} ${(v * 100).toFixed(2)}%`).join(', ')}\n`);
      o.write(`Risk: ${r.risk.factor_share.map((v, i) => `factor_${i + 1} ${(v * 100).toFixed(1)}%`).join(', ')}, specific ${(r.risk.specific_share * 100).toFixed(1)}%\n`);
      o.write(`Artifacts in ${f.out}:\n${files.map((x) => `- ${x.path}`).join('\n')}\n`);
    });

  factors
    .command('regress')
    .description('OLS of the portfolio return on known factor returns (MKT/SMB/HML style), with standard errors, t statistics and p-values')
    .requiredOption('--prices <csv>', 'prices in long format: date,ticker,close')
    .requiredOption('--factors <csv>', 'date plus one column per factor return')
    .requiredOption('--out <dir>', 'folder for the artifacts (created)')
    .option('--portfolio <csv>', 'ticker,weight')
    .option('--holdings <csv>', 'ticker with market_value, or shares and price')
    .option('--include-weekends', 'keep Saturday and Sunday prices')
    .action(async (f: { prices: string; factors: string; out: string; portfolio?: string; holdings?: string; includeWeekends?: boolean }) => {
      const r = await runRegress({ prices: f.prices, factors: f.factors, ...weightsSource(f), includeWeekends: f.includeWeekends === true });
      const { residuals, ...summary } = r;
      await writeFilesAtomically([
        { path: path.join(f.out, 'regression.json'), content: `${JSON.stringify(summary, null, 2)}\n` },
        { path: path.join(f.out, 'regression_residuals.csv'), content: csv(['date', 'portfolio_return', 'fitted_return', 'residual'], residuals.map((x) => [x.date, f10(x.portfolio_return), f10(x.fitted_return), f10(x.residual)])) },
      ]);
      const o = process.stdout;
      o.write(`Known-factor regression: ${r.observations} observations, R² ${r.r2.toFixed(4)} (adjusted ${r.adj_r2.toFixed(4)})\n`);
      o.write(`${'term'.padEnd(8)}${'estimate'.padStart(14)}${'std. error'.padStart(14)}${'t'.padStart(9)}${'p'.padStart(9)}\n`);
      for (const name of ['alpha', ...Object.keys(r.betas)]) {
        const est = name === 'alpha' ? r.alpha : r.betas[name]!;
        o.write(`${name.padEnd(8)}${est.toFixed(6).padStart(14)}${r.std_errors[name]!.toFixed(6).padStart(14)}${r.t_stats[name]!.toFixed(2).padStart(9)}${r.p_values[name]!.toFixed(4).padStart(9)}\n`);
      }
      o.write(`Artifacts in ${f.out}: regression.json, regression_residuals.csv\n`);
    });
  return factors;
}

import { Command, Option } from 'commander';
import path from 'node:path';
import { FACTOR_BASES, factorKeys, MISSING_RULES, type FactorBasis, type MissingRule } from '../../../src-shared/artifacts/factors';
import { coefficientRows, formatP, standardErrorText } from '../../../src-shared/artifacts/factors-view';
import { AppError } from '../../../src-shared/errors';
import { readFactorFolder, factorsFolderFiles, regressionFolderFiles } from '../../artifacts/factor-folder';
import { writeFilesAtomically } from '../../artifacts/output';
import { factorsHtml, factorsMarkdown, regressionHtml, regressionMarkdown } from '../../artifacts/render-factors';
import type { JobRunner } from '../../process/job-runner';
import { wholeNumber } from './args';
import { progressReporter } from './progress';

function weightsSource(f: { portfolio?: string; holdings?: string }) {
  if (f.portfolio && f.holdings) throw new AppError('BAD_ARGUMENT', '--portfolio and --holdings cannot be used together', 'Give one of them (or neither, for equal weights).');
  return { portfolio: f.portfolio ?? null, holdings: f.holdings ?? null };
}

async function runJob<T>(start: (progress: (fraction: number, stage: string) => void) => Promise<T>): Promise<T> {
  const progress = progressReporter();
  try {
    return await start(progress.update);
  } finally {
    progress.done();
  }
}

interface FitFlags {
  prices: string;
  out: string;
  k: string;
  kAuto?: boolean;
  portfolio?: string;
  holdings?: string;
  includeWeekends?: boolean;
  missing: MissingRule;
  basis: FactorBasis;
  factorLabels?: string;
}

interface RegressFlags {
  prices: string;
  factors: string;
  out: string;
  portfolio?: string;
  holdings?: string;
  includeWeekends?: boolean;
  neweyWest?: string | true;
}

/** `factors fit` and `factors regress`: factor models of price returns (the seed's artifacts). */
export function factorsCommand(runner: () => JobRunner): Command {
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
    .addOption(new Option('--missing <how>', 'common: only dates where every ticker has a return; pairwise: keep all dates, a missing return reads as the mean').choices([...MISSING_RULES]).default('common'))
    .addOption(new Option('--basis <matrix>', 'correlation (standardised returns) or covariance (volatile tickers weigh more)').choices([...FACTOR_BASES]).default('correlation'))
    .option('--factor-labels <csv|tsv>', 'names for the factors: factor,label rows (factor_1, factor_1_contrib or 1)')
    .action(async (f: FitFlags) => {
      const request = { prices: f.prices, k: wholeNumber('--k', f.k, 1), kAuto: f.kAuto === true, ...weightsSource(f), includeWeekends: f.includeWeekends === true, missing: f.missing, basis: f.basis, labels: f.factorLabels ?? null };
      const a = await runJob((update) => runner().start({ kind: 'factors', request }, update).result);
      const files = factorsFolderFiles(a, f.out);
      await writeFilesAtomically(files);
      const o = process.stdout;
      o.write(`Factor model: ${a.model.tickers.length} tickers, ${a.model.dates.length} dates (${a.model.dates[0]}..${a.model.dates.at(-1)}), weekends ${f.includeWeekends ? 'included' : 'excluded'}, ${a.model.basis} basis\n`);
      o.write(`Sample: ${a.sample.note}\n${a.model.k_rule}\n`);
      factorKeys(a.model.k).forEach((key, i) => o.write(`${key}: ${(a.model.explained_variance_ratio[i]! * 100).toFixed(2)}% of variance, ${(a.risk.factor_share[i]! * 100).toFixed(1)}% of portfolio risk: ${a.factor_labels[i]}\n`));
      o.write(`Specific risk: ${(a.risk.specific_share * 100).toFixed(1)}% of portfolio variance\n`);
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
    .option('--newey-west [lags]', 'Newey-West standard errors (robust to autocorrelation); lags default floor(4 (n/100)^(2/9))')
    .action(async (f: RegressFlags) => {
      const neweyWest = f.neweyWest === undefined ? null : f.neweyWest === true ? ('auto' as const) : wholeNumber('--newey-west', f.neweyWest, 0);
      const request = { prices: f.prices, factors: f.factors, ...weightsSource(f), includeWeekends: f.includeWeekends === true, neweyWest };
      const a = await runJob((update) => runner().start({ kind: 'regression', request }, update).result);
      const files = regressionFolderFiles(a, f.out);
      await writeFilesAtomically(files);
      const o = process.stdout;
      o.write(`Known-factor regression: ${a.observations} observations, R² ${a.r2.toFixed(4)} (adjusted ${a.adj_r2.toFixed(4)}), standard errors: ${standardErrorText(a)}\n`);
      o.write(`${'term'.padEnd(8)}${'estimate'.padStart(14)}${'std. error'.padStart(14)}${'t'.padStart(9)}${'p'.padStart(9)}\n`);
      for (const c of coefficientRows(a)) o.write(`${c.term.padEnd(8)}${c.estimate.toFixed(6).padStart(14)}${c.std_error.toFixed(6).padStart(14)}${c.t.toFixed(2).padStart(9)}${formatP(c.p).padStart(9)}\n`);
      o.write(`Artifacts in ${f.out}:\n${files.map((x) => `- ${x.path}`).join('\n')}\n`);
    });
  return factors;
}

/** `report`: Markdown or standalone HTML from a `factors fit` or `factors regress` folder. */
export function reportCommand(): Command {
  return new Command('report')
    .description('Markdown or standalone HTML report (with charts) from a factors fit or factors regress artifact folder')
    .requiredOption('--artifacts <dir>', 'the --out folder of factors fit or factors regress')
    .addOption(new Option('--format <fmt>', 'markdown or html').choices(['markdown', 'md', 'html']).default('markdown'))
    .option('--out <file>', 'report file (default: <artifacts>/report.md or report.html)')
    .action(async (f: { artifacts: string; format: 'markdown' | 'md' | 'html'; out?: string }) => {
      const a = await readFactorFolder(f.artifacts);
      const html = f.format === 'html';
      const content = a.kind === 'factors' ? (html ? factorsHtml(a) : factorsMarkdown(a)) : html ? regressionHtml(a) : regressionMarkdown(a);
      const out = f.out ?? path.join(f.artifacts, html ? 'report.html' : 'report.md');
      await writeFilesAtomically([{ path: out, content }]);
      process.stdout.write(`Report (${a.kind === 'factors' ? 'factor model' : 'known-factor regression'}, ${html ? 'HTML' : 'Markdown'}) written to ${out}\n`);
    });
}

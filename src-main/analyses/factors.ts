import path from 'node:path';
import { FactorsOptionsSchema, RegressionOptionsSchema } from '../../src-shared/analysis-options';
import { factorKeys } from '../../src-shared/artifacts/factors';
import { periodCount } from '../../src-shared/artifacts/frequency';
import { coefficientRows, formatP, standardErrorText } from '../../src-shared/artifacts/factors-view';
import { AppError } from '../../src-shared/errors';
import { attributionCsv, factorsFolderFiles, regressionFolderFiles, residualsCsv } from '../artifacts/factor-folder';
import { factorsHtml, factorsMarkdown, regressionHtml, regressionMarkdown } from '../artifacts/render-factors';
import type { AskedOrder } from '../engine/factors/date-order';
import { defineAnalysis, json, tableOf, type InputSpec, type Inputs } from './definition';
import { wholeNumber } from './option-fields';

const PRICES: InputSpec = {
  role: 'prices',
  flag: '--prices',
  arg: 'csv',
  table: true,
  required: true,
  help: 'prices in long format, one row per ticker and date: date,ticker,close (other names: --ticker-column, --date-column, --price-column)',
};
const WEIGHTS: InputSpec[] = [
  { role: 'portfolio', flag: '--portfolio', arg: 'csv', required: false, help: 'ticker,weight' },
  { role: 'holdings', flag: '--holdings', arg: 'csv', required: false, help: 'ticker with market_value, or shares and price' },
];

function weightsOf(inputs: Inputs) {
  if (inputs.portfolio && inputs.holdings)
    throw new AppError(
      'BAD_ARGUMENT',
      'portfolio weights and holdings cannot be used together',
      'Give one of them (or neither, for equal weights).',
      ['portfolio', 'holdings'],
    );
  return { portfolio: tableOf(inputs.portfolio), holdings: tableOf(inputs.holdings) };
}

const stem = (input: string) => path.parse(input).name;

/** The flags of how the prices are read: their columns and the day/month order of their dates. */
const PRICE_READING_FLAGS = [
  { key: 'tickerColumn', flag: '--ticker-column <col>', help: "the prices' ticker column (default: ticker)" },
  { key: 'dateColumn', flag: '--date-column <col>', help: "the prices' date column (default: date)" },
  { key: 'priceColumn', flag: '--price-column <col>', help: "the prices' price column (default: close)" },
  {
    key: 'dateOrder',
    flag: '--date-order <order>',
    help: 'how 01/02/2000 reads: auto (from cells like 13/02/2000; asked when none tells), day-first or month-first',
  },
];

const readingOf = (o: { tickerColumn: string | null; dateColumn: string | null; priceColumn: string | null; dateOrder: AskedOrder }) => ({
  columns: { ticker: o.tickerColumn, date: o.dateColumn, price: o.priceColumn },
  dateOrder: o.dateOrder,
});

/** The input warnings of a run, one line each, for the CLI's report. */
const warningLines = (warnings: string[] | undefined) => (warnings ?? []).map((w) => `Note: ${w}`);

export const factorsFit = defineAnalysis({
  command: 'factors fit',
  runKind: 'factors',
  summary: 'PCA factor model of daily log returns, with the portfolio attribution in return units, outlier days and factor risk',
  inputs: [
    PRICES,
    ...WEIGHTS,
    {
      role: 'labels',
      flag: '--factor-labels',
      arg: 'csv|tsv',
      required: false,
      help: 'names for the factors: factor,label rows (factor_1, factor_1_contrib or 1)',
    },
  ],
  options: FactorsOptionsSchema,
  flags: [
    { key: 'k', flag: '--k <n>', help: 'number of factors' },
    { key: 'kAuto', flag: '--k-auto', help: 'choose k: eigenvalues above the Marchenko-Pastur noise edge' },
    { key: 'includeWeekends', flag: '--include-weekends', help: 'keep Saturday and Sunday prices' },
    {
      key: 'missing',
      flag: '--missing <how>',
      help: 'common: only dates where every ticker has a return; pairwise: keep all dates, a missing return reads as the mean',
    },
    { key: 'basis', flag: '--basis <matrix>', help: 'correlation (standardised returns) or covariance (volatile tickers weigh more)' },
    ...PRICE_READING_FLAGS,
  ],
  examples: [
    'factorlens factors fit --prices data/prices.csv --portfolio data/portfolio.csv --k 3 --out artifacts/factors_demo',
    'factorlens factors fit --prices data/prices.csv --holdings data/holdings.csv --k-auto --factor-labels data/factor_labels.csv --out artifacts/factors_auto',
  ],
  job: (inputs, o, context) => ({
    kind: 'factors',
    request: {
      prices: tableOf(inputs.prices)!,
      k: o.k,
      kAuto: o.kAuto,
      ...weightsOf(inputs),
      includeWeekends: o.includeWeekends,
      missing: o.missing,
      basis: o.basis,
      ...readingOf(o),
      labels: inputs.labels?.kind === 'file' ? inputs.labels.path : null,
      standardizedReturns: context.forFiles,
    },
  }),
  title: (a, context) => `Factor model (k = ${a.model.k}): ${context.names.prices ?? path.basename(a.input)}`,
  render: { md: factorsMarkdown, html: factorsHtml, json, csv: attributionCsv },
  prefix: 'factors',
  fileName: (a, format) => (format === 'csv' ? `attribution_${stem(a.input)}.csv` : `factors_${stem(a.input)}.${format}`),
  folder: factorsFolderFiles,
  report: (a, written) =>
    [
      `Factor model: ${a.model.tickers.length} tickers, ${periodCount(a.model.dates.length, a.model.frequency)} (${a.model.frequency ?? 'daily'}, ${a.model.dates[0]}..${a.model.dates.at(-1)}), weekends ${a.options.include_weekends || (a.model.frequency ?? 'daily') !== 'daily' ? 'included' : 'excluded'}, ${a.model.basis} basis`,
      `Sample: ${a.sample.note}`,
      ...warningLines(a.warnings),
      a.model.k_rule,
      ...factorKeys(a.model.k).map(
        (key, i) =>
          `${key}: ${(a.model.explained_variance_ratio[i]! * 100).toFixed(2)}% of variance, ${(a.risk.factor_share[i]! * 100).toFixed(1)}% of portfolio risk: ${a.factor_labels[i]}`,
      ),
      `Specific risk: ${(a.risk.specific_share * 100).toFixed(1)}% of portfolio variance`,
      `Artifacts in ${path.dirname(written[0] ?? '.')}:`,
      ...written.map((x) => `- ${x}`),
      '',
    ].join('\n'),
});

export const factorsRegress = defineAnalysis({
  command: 'factors regress',
  runKind: 'regression',
  summary: 'OLS of the portfolio return on known factor returns (MKT/SMB/HML style), with standard errors, t statistics and p-values',
  inputs: [
    PRICES,
    { role: 'factors', flag: '--factors', arg: 'csv', table: true, required: true, help: 'date plus one column per factor return' },
    ...WEIGHTS,
  ],
  options: RegressionOptionsSchema,
  flags: [
    { key: 'includeWeekends', flag: '--include-weekends', help: 'keep Saturday and Sunday prices' },
    {
      key: 'neweyWest',
      flag: '--newey-west [lags]',
      help: 'Newey-West standard errors (robust to autocorrelation); lags default floor(4 (n/100)^(2/9))',
      parse: (t, flag) => (t === true ? 'auto' : wholeNumber(flag, t, 0)),
    },
    ...PRICE_READING_FLAGS,
  ],
  examples: [
    'factorlens factors regress --prices data/prices.csv --factors data/factors.csv --portfolio data/portfolio.csv \\\n    --newey-west --out artifacts/regress_demo',
  ],
  job: (inputs, o) => ({
    kind: 'regression',
    request: {
      prices: tableOf(inputs.prices)!,
      factors: tableOf(inputs.factors)!,
      ...weightsOf(inputs),
      includeWeekends: o.includeWeekends,
      neweyWest: o.neweyWest,
      ...readingOf(o),
    },
  }),
  title: (a, context) =>
    `Regression on ${context.names.factors ?? path.basename(a.factors_file)}: ${context.names.prices ?? path.basename(a.input)}`,
  render: { md: regressionMarkdown, html: regressionHtml, json, csv: residualsCsv },
  prefix: 'regression',
  fileName: (a, format) => (format === 'csv' ? `regression_residuals_${stem(a.input)}.csv` : `regression_${stem(a.input)}.${format}`),
  folder: regressionFolderFiles,
  report: (a, written) =>
    [
      `Known-factor regression: ${a.observations} observations (${periodCount(a.observations, a.frequency)}, ${a.frequency ?? 'daily'}), R² ${a.r2.toFixed(4)} (adjusted ${a.adj_r2.toFixed(4)}), standard errors: ${standardErrorText(a)}`,
      ...warningLines(a.warnings),
      `${'term'.padEnd(8)}${'estimate'.padStart(14)}${'std. error'.padStart(14)}${'t'.padStart(9)}${'p'.padStart(9)}`,
      ...coefficientRows(a).map(
        (c) =>
          `${c.term.padEnd(8)}${c.estimate.toFixed(6).padStart(14)}${c.std_error.toFixed(6).padStart(14)}${c.t.toFixed(2).padStart(9)}${formatP(c.p).padStart(9)}`,
      ),
      `Artifacts in ${path.dirname(written[0] ?? '.')}:`,
      ...written.map((x) => `- ${x}`),
      '',
    ].join('\n'),
});

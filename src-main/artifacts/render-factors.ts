import { factorKeys, type FactorsArtifact, type RegressionArtifact } from '../../src-shared/artifacts/factors';
import { coefficientRows, cumulativeContributions, factorRows, fittedVersusActual, formatP, standardErrorText, topLoadingTickers } from '../../src-shared/artifacts/factors-view';
import { periodCount, periodWord, type Frequency } from '../../src-shared/artifacts/frequency';
import { formatCount, formatPercent, formatReturn, RESIDUAL_COLOR, SERIES_COLORS } from '../../src-shared/format';
import { markdownCell, markdownText } from './markdown-escape';
import { barChartSvg, escapeHtml, htmlPage, htmlTable, lineChartSvg } from './render-html';

/** Markdown and standalone HTML reports of factor models and known-factor regressions. */

const LOADING_ROWS = 30;
const f6 = (v: number) => v.toFixed(6);

/** Daily runs count dates (the seed's wording); weekly or monthly ones say "67 months". */
const observations = (n: number, frequency: Frequency | undefined) =>
  (frequency ?? 'daily') === 'daily' ? `${formatCount(n)} dates` : periodCount(n, frequency);

/** The run's input warnings as one fact (none: no line). */
const warningFacts = (warnings: string[] | undefined): [string, string][] =>
  warnings?.length ? [['Input warnings', warnings.join('; ')]] : [];

function modelFacts(a: FactorsArtifact): [string, string][] {
  const m = a.model;
  return [
    ['Prices', a.input],
    ['Weights', a.weights_source.kind === 'equal' ? 'equal weights' : `${a.weights_source.kind} ${a.weights_source.path}`],
    ['Observations', `${observations(m.dates.length, m.frequency)} (${m.dates[0]} to ${m.dates.at(-1)})`],
    ['Assets', formatCount(m.tickers.length)],
    ['Factors (k)', `${m.k} — ${m.k_rule}`],
    ['Basis', `${m.basis} matrix`],
    ['Sample', a.sample.note],
    ...warningFacts(a.warnings),
    ['Risk', `factors ${formatPercent((1 - a.risk.specific_share) * 100, 1)} of the portfolio's variance, specific ${formatPercent(a.risk.specific_share * 100, 1)}`],
  ];
}

function regressionFacts(a: RegressionArtifact): [string, string][] {
  return [
    ['Prices', a.input],
    ['Factors', a.factors_file],
    ['Weights', a.weights_source.kind === 'equal' ? 'equal weights' : `${a.weights_source.kind} ${a.weights_source.path}`],
    ['Observations', observations(a.observations, a.frequency)],
    ['R²', `${a.r2.toFixed(4)} (adjusted ${a.adj_r2.toFixed(4)})`],
    ['Residual std', `${formatPercent(a.residual_std * 100, 3)} a ${periodWord(a.frequency, 1)}`],
    ['Standard errors', standardErrorText(a)],
    ...warningFacts(a.warnings),
  ];
}

const mdRow = (cells: string[]) => `| ${cells.map(markdownCell).join(' | ')} |`;
const mdTable = (head: string[], align: ('l' | 'r')[], rows: string[][]) =>
  [mdRow(head), `|${align.map((x) => (x === 'r' ? '---:' : '---')).join('|')}|`, ...rows.map(mdRow)].join('\n');

export function factorsMarkdown(a: FactorsArtifact): string {
  const rows = factorRows(a);
  const out = ['# FactorLens Report', '', '## Model Summary', ''];
  for (const [k, v] of modelFacts(a)) out.push(`- ${k}: ${markdownText(v)}`);
  out.push('', '## Explained Variance', '');
  out.push(
    mdTable(
      ['factor', 'name', 'explained variance', 'eigenvalue', 'share of portfolio risk', 'exposure', 'cumulative contribution'],
      ['l', 'l', 'r', 'r', 'r', 'r', 'r'],
      rows.map((r) => [r.key, r.label, formatPercent(r.explained * 100), r.eigenvalue.toFixed(4), formatPercent(r.risk_share * 100, 1), r.exposure.toFixed(6), formatReturn(r.cumulative)]),
    ),
  );
  const cum = cumulativeContributions(a);
  out.push('', `Over the sample the portfolio's log return was ${formatReturn(cum.portfolio.at(-1) ?? 0)}: the factors ${formatReturn((cum.portfolio.at(-1) ?? 0) - (cum.residual.at(-1) ?? 0))}, the residual (specific) ${formatReturn(cum.residual.at(-1) ?? 0)}.`);
  out.push('', '## Exposures (loadings)', '');
  const shown = topLoadingTickers(a, LOADING_ROWS);
  out.push(mdTable(['ticker', 'weight', ...factorKeys(a.model.k)], ['l', 'r', ...rows.map(() => 'r' as const)], shown.map((i) => [a.model.tickers[i]!, formatPercent((a.weights[a.model.tickers[i]!] ?? 0) * 100), ...a.model.loadings[i]!.map((v) => v.toFixed(4))])));
  if (shown.length < a.model.tickers.length) out.push('', `The ${shown.length} tickers with the largest loadings of ${formatCount(a.model.tickers.length)}; exposures.csv has them all.`);
  out.push('', '## Top Outlier Days (Residual)', '');
  for (const o of a.top_outliers) out.push(`- ${markdownText(o.date)} residual=${f6(o.residual)} abs=${f6(o.abs_residual)}`);
  return `${out.join('\n')}\n`;
}

export function regressionMarkdown(a: RegressionArtifact): string {
  const out = ['# FactorLens Report', '', '## Regression Summary', ''];
  for (const [k, v] of regressionFacts(a)) out.push(`- ${k}: ${markdownText(v)}`);
  out.push('', '## Coefficients', '');
  out.push(mdTable(['term', 'estimate', 'std. error', 't', 'p'], ['l', 'r', 'r', 'r', 'r'], coefficientRows(a).map((c) => [c.term, f6(c.estimate), f6(c.std_error), c.t.toFixed(2), formatP(c.p)])));
  out.push('', '## Largest Residual Days', '');
  for (const r of largestResiduals(a)) out.push(`- ${markdownText(r.date)} residual=${f6(r.residual)} actual=${f6(r.portfolio_return)} fitted=${f6(r.fitted_return)}`);
  return `${out.join('\n')}\n`;
}

function largestResiduals(a: RegressionArtifact, n = 10) {
  return [...a.residuals].sort((x, y) => Math.abs(y.residual) - Math.abs(x.residual) || (x.date < y.date ? -1 : 1)).slice(0, n);
}

const dl = (facts: [string, string][]) => `<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;

export function factorsHtml(a: FactorsArtifact): string {
  const rows = factorRows(a);
  const cum = cumulativeContributions(a);
  const parts = [`<h1>FactorLens Report</h1>`, `<h2>Model Summary</h2>${dl(modelFacts(a))}`];
  parts.push(`<h2>Explained Variance</h2>${barChartSvg(rows.map((r) => ({ label: `${r.key} ${r.label}`, value: r.explained * 100 })), '% of the variance of the returns')}`);
  parts.push(
    htmlTable(
      [
        { label: 'factor', align: 'left', format: (r) => r.key },
        { label: 'name', align: 'left', format: (r) => r.label },
        { label: 'explained variance', align: 'right', format: (r) => formatPercent(r.explained * 100) },
        { label: 'share of portfolio risk', align: 'right', format: (r) => formatPercent(r.risk_share * 100, 1) },
        { label: 'exposure', align: 'right', format: (r) => r.exposure.toFixed(6) },
        { label: 'cumulative contribution', align: 'right', format: (r) => formatReturn(r.cumulative) },
      ],
      rows,
    ),
  );
  const series = [
    ...rows.map((r, f) => ({ name: r.key, values: cum.factors[f]!, color: SERIES_COLORS[f % SERIES_COLORS.length]! })),
    { name: 'residual', values: cum.residual, color: RESIDUAL_COLOR, dashed: true },
    { name: 'portfolio', values: cum.portfolio, color: '#1d2430' },
  ];
  parts.push(`<h2>Cumulative Contributions</h2>${lineChartSvg(cum.dates, series, 'cumulative log return, by factor and residual', (v) => formatReturn(v, 1))}`);
  const shown = topLoadingTickers(a, LOADING_ROWS);
  parts.push(
    `<h2>Exposures (loadings)</h2>${htmlTable(
      [
        { label: 'ticker', align: 'left', format: (i: number) => a.model.tickers[i]! },
        { label: 'weight', align: 'right', format: (i: number) => formatPercent((a.weights[a.model.tickers[i]!] ?? 0) * 100) },
        ...factorKeys(a.model.k).map((key, f) => ({ label: key, align: 'right' as const, format: (i: number) => a.model.loadings[i]![f]!.toFixed(4) })),
      ],
      shown,
    )}`,
  );
  if (shown.length < a.model.tickers.length) parts.push(`<p>The ${shown.length} tickers with the largest loadings of ${formatCount(a.model.tickers.length)}; exposures.csv has them all.</p>`);
  parts.push(
    `<h2>Top Outlier Days (Residual)</h2>${htmlTable(
      [
        { label: 'date', align: 'left', format: (o: FactorsArtifact['top_outliers'][number]) => o.date },
        { label: 'residual', align: 'right', format: (o) => formatReturn(o.residual, 3) },
        { label: '|residual|', align: 'right', format: (o) => formatPercent(o.abs_residual * 100, 3) },
      ],
      a.top_outliers,
    )}`,
  );
  return htmlPage(`FactorLens Factors: ${a.input}`, parts.join('\n'), a.schema);
}

export function regressionHtml(a: RegressionArtifact): string {
  const fit = fittedVersusActual(a);
  const parts = [`<h1>FactorLens Report</h1>`, `<h2>Regression Summary</h2>${dl(regressionFacts(a))}`];
  parts.push(
    `<h2>Coefficients</h2>${htmlTable(
      [
        { label: 'term', align: 'left', format: (c: ReturnType<typeof coefficientRows>[number]) => c.term },
        { label: 'estimate', align: 'right', format: (c) => f6(c.estimate) },
        { label: 'std. error', align: 'right', format: (c) => f6(c.std_error) },
        { label: 't', align: 'right', format: (c) => c.t.toFixed(2) },
        { label: 'p', align: 'right', format: (c) => formatP(c.p) },
      ],
      coefficientRows(a),
    )}`,
  );
  parts.push(
    `<h2>Fitted versus Actual</h2>${lineChartSvg(
      fit.dates,
      [
        { name: 'actual', values: fit.actual, color: SERIES_COLORS[0]! },
        { name: 'fitted', values: fit.fitted, color: SERIES_COLORS[1]!, dashed: true },
      ],
      'cumulative portfolio log return',
      (v) => formatReturn(v, 1),
    )}`,
  );
  parts.push(
    `<h2>Largest Residual Days</h2>${htmlTable(
      [
        { label: 'date', align: 'left', format: (r: RegressionArtifact['residuals'][number]) => r.date },
        { label: 'actual', align: 'right', format: (r) => formatReturn(r.portfolio_return, 3) },
        { label: 'fitted', align: 'right', format: (r) => formatReturn(r.fitted_return, 3) },
        { label: 'residual', align: 'right', format: (r) => formatReturn(r.residual, 3) },
      ],
      largestResiduals(a),
    )}`,
  );
  return htmlPage(`FactorLens Regression: ${a.input}`, parts.join('\n'), a.schema);
}

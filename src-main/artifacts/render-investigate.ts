import type { InvestigateArtifact } from '../../src-shared/artifacts/investigate';
import { investigateEstimate } from '../../src-shared/artifacts/decomposition-note';
import { formatNumber, formatSigned } from '../../src-shared/format';
import { escapeHtml, htmlPage, barChartSvg } from './render-html';
import { markdownName, markdownSentence, markdownText } from './markdown-escape';
import { markdownTable } from './render-markdown';

const pct1 = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
const plain = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;

/** The console report in the seed's shape. */
export function investigateConsole(a: InvestigateArtifact, written: string[]): string {
  const w = a.window;
  const out = [`${a.metric} change: ${pct1(a.metric_change_pct)}`, `Window: ${w.current_start}..${w.current_end} vs ${w.previous_start}..${w.previous_end}`, `Decomposition mode: ${a.decomposition_mode}`, 'Driver contributions'];
  for (const d of a.drivers) {
    const amount = `delta=${plain(d.delta)}`;
    out.push(`- ${d.name}: ${a.contribution_view === 'percent' ? pct1(d.contrib_pct) : a.contribution_view === 'amount' ? amount : `${pct1(d.contrib_pct)} | ${amount}`}`);
  }
  out.push('Closure check', `- explained: ${pct1(a.explained_pct)}${a.explained_share_pct === null ? '' : ` (${a.explained_share_pct.toFixed(0)}%)`}`);
  out.push(a.residual.residual_pct === null ? '- residual: not estimated (heuristic mode)' : `- residual: ${pct1(a.residual.residual_pct)} (${formatSigned(a.residual.residual_amount ?? 0)})`);
  if (a.regression) out.push(`Regression: R² ${a.regression.r_squared.toFixed(4)} over ${a.regression.rows} rows, largest VIF ${a.regression.max_vif.toFixed(1)}`);
  out.push(investigateEstimate(a));
  if (a.residual.signals.length > 0) out.push('Residual segments', ...a.residual.signals.map((s) => `- ${s.name}: ${s.detail}`));
  for (const warning of a.warnings) out.push(`Warning: ${warning}`);
  if (written.length > 0) out.push('Artifacts written', ...written.map((x) => `- ${x}`));
  return `${out.join('\n')}\n`;
}

export function investigateMarkdown(a: InvestigateArtifact): string {
  const w = a.window;
  const out = ['# Investigate Report', '', `- Input: ${markdownName(a.input)}`, '', `## ${markdownText(a.metric)} change: ${formatSigned(a.metric_change_pct)}%`, '', `Window: ${markdownName(`${w.current_start}..${w.current_end} vs ${w.previous_start}..${w.previous_end}`)}`, '', `Decomposition mode: ${a.decomposition_mode}`, '', markdownText(investigateEstimate(a)), ''];
  out.push(
    ...markdownTable(
      [
        { label: 'Driver', align: 'left', format: (d) => d.name },
        { label: 'Contribution %', align: 'right', format: (d) => `${formatSigned(d.contrib_pct)}%` },
        { label: 'Delta', align: 'right', format: (d) => formatSigned(d.delta, 4) },
        { label: 'Coefficient', align: 'right', format: (d) => (d.coefficient === null ? '–' : formatNumber(d.coefficient, 4)) },
        { label: 'Std. error', align: 'right', format: (d) => (d.std_error === null ? '–' : formatNumber(d.std_error, 4)) },
        { label: 't', align: 'right', format: (d) => (d.t_stat === null ? '–' : formatNumber(d.t_stat, 2)) },
      ],
      a.drivers,
    ),
  );
  out.push('', '## Closure check', '', `- explained: ${formatSigned(a.explained_pct)}%`);
  out.push(a.residual.residual_pct === null ? '- residual: not estimated (heuristic mode)' : `- residual: ${formatSigned(a.residual.residual_pct)}% (${formatSigned(a.residual.residual_amount ?? 0)})`);
  if (a.regression) {
    const r = a.regression;
    out.push('', '## Regression diagnostics', '', `- rows: ${r.rows}`, `- R²: ${r.r_squared.toFixed(4)} (adjusted ${r.adj_r_squared.toFixed(4)})`, `- intercept: ${formatNumber(r.intercept, 4)} (std. error ${formatNumber(r.intercept_std_error, 4)})`, `- largest VIF: ${r.max_vif.toFixed(1)}`);
  }
  if (a.other_drivers.length > 0) out.push('', '## Drivers outside the regression', '', ...a.other_drivers.map((d) => `- ${markdownText(d.name)}: ${formatNumber(d.previous)} → ${formatNumber(d.current)} (${formatSigned(d.delta)})`));
  if (a.residual.signals.length > 0) out.push('', '## Residual segments', '', ...a.residual.signals.map((s) => `- ${markdownText(s.name)}: ${markdownSentence(s.detail)}`));
  if (a.warnings.length > 0) out.push('', '## Warnings', '', ...a.warnings.map((x) => `- ${markdownSentence(x)}`));
  out.push('');
  return out.join('\n');
}

export function investigateHtml(a: InvestigateArtifact): string {
  const md = investigateMarkdown(a);
  const chart = barChartSvg(
    a.drivers.map((d) => ({ label: d.name, value: d.contrib_pct })),
    'contribution, % of the previous value',
  );
  const body = `<h1>Investigate Report</h1><p>${escapeHtml(a.metric)} change: ${escapeHtml(formatSigned(a.metric_change_pct))}% (${escapeHtml(a.decomposition_mode)})</p><p>${escapeHtml(investigateEstimate(a))}</p>${chart}<pre>${escapeHtml(md)}</pre>`;
  return htmlPage(`FactorLens Investigate: ${a.metric}`, body, a.schema);
}

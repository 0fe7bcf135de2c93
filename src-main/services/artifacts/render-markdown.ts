import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { executiveSummary, insightLines, moverColumns, periodSummary, runFacts, segmentColumns } from '../../../src-shared/artifacts/analyze-view';
import { formatCount } from '../../../src-shared/format';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function markdownTable<T>(cols: { label: string; align: 'left' | 'right'; format: (row: T) => string }[], rows: T[]): string[] {
  return [
    `| ${cols.map((c) => cell(c.label)).join(' | ')} |`,
    `|${cols.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${cols.map((c) => cell(c.format(r))).join(' | ')} |`),
  ];
}

const bullets = (lines: string[]) => lines.map((l) => `- ${l}`);

/** The Markdown brief of an analyze run, rendered from its artifact. */
export function analyzeMarkdown(a: AnalyzeArtifact): string {
  const out: string[] = ['# Analysis Brief', ''];
  for (const [k, v] of runFacts(a)) out.push(`- ${k}: ${k === 'Input' ? `\`${v}\`` : v}`);
  out.push('', '## Executive Summary', '', ...bullets(executiveSummary(a)));

  const period = periodSummary(a);
  if (period && a.period_compare) {
    out.push('', '## Period Comparison', '', ...bullets(period.windows));
    out.push('', '### Executive Delta', '', ...bullets(period.delta));
    if (period.concentration.length > 0) out.push('', '### Top Concentration Changes', '', ...bullets(period.concentration));
    if (period.drivers.length > 0) out.push('', '### Group Drivers (largest declines)', '', ...bullets(period.drivers));
    if (a.period_compare.movers.length > 0) out.push('', '### Movers', '', ...markdownTable(moverColumns(a), a.period_compare.movers));
  }
  if (a.alerts.length > 0) out.push('', '## Alerts', '', ...bullets(a.alerts));
  if (a.word_frequency.length > 0) out.push('', '## Top Words', '', ...bullets(a.word_frequency.map((w) => `${w.word}: ${formatCount(w.count)}`)));
  const insights = insightLines(a);
  if (insights.length > 0) out.push('', '## Insights', '', ...bullets(insights));
  if (a.top_insights > 0) {
    out.push('', '## Top Insights', '', '### Risks', '', ...(a.top_risks.length ? bullets(a.top_risks) : ['- none']));
    out.push('', '### Opportunities', '', ...(a.top_opportunities.length ? bullets(a.top_opportunities) : ['- none']));
  }
  out.push('', '## Top Groups', '', ...markdownTable(segmentColumns(a), a.groups.slice(0, a.top)));
  if (a.groups.length > a.top) out.push('', `_${formatCount(a.groups.length - a.top)} more segments in the JSON artifact._`);
  out.push('');
  return out.join('\n');
}

import type { AnalyzeArtifact } from '../../src-shared/artifacts/analyze';
import { executiveSummary, insightLines, moverColumns, periodSummary, runFacts, segmentColumns } from '../../src-shared/artifacts/analyze-view';
import { formatCount } from '../../src-shared/format';
import { markdownCell, markdownName, markdownSentence, markdownText } from './markdown-escape';

/** A Markdown table; every label and cell is escaped (cells hold data: names, labels, values). */
export function markdownTable<T>(cols: { label: string; align: 'left' | 'right'; format: (row: T) => string }[], rows: T[]): string[] {
  return [
    `| ${cols.map((c) => markdownCell(c.label)).join(' | ')} |`,
    `|${cols.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${cols.map((c) => markdownCell(c.format(r))).join(' | ')} |`),
  ];
}

/** Sentences with names in `code spans` (the shared views, the artifact's alerts and insights) as bullets. */
const bullets = (lines: string[]) => lines.map((l) => `- ${markdownSentence(l)}`);

/** The Markdown brief of an analyze run, rendered from its artifact. */
export function analyzeMarkdown(a: AnalyzeArtifact): string {
  const out: string[] = ['# Analysis Brief', ''];
  for (const [k, v] of runFacts(a)) out.push(`- ${k}: ${k === 'Input' ? markdownName(v) : markdownText(v)}`);
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
  if (a.warnings?.length) out.push('', '## Input Warnings', '', ...bullets(a.warnings));
  if (a.word_frequency.length > 0) out.push('', '## Top Words', '', ...a.word_frequency.map((w) => `- ${markdownText(w.word)}: ${formatCount(w.count)}`));
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

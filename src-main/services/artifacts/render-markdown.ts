import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { executiveSummary, rankingLabel, segmentColumns } from '../../../src-shared/artifacts/analyze-view';
import { formatCount } from '../../../src-shared/format';

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The Markdown brief of an analyze run, rendered from its artifact. */
export function analyzeMarkdown(a: AnalyzeArtifact): string {
  const out: string[] = ['# Analysis Brief', ''];
  out.push(`- Input: \`${a.input}\``);
  out.push(`- Rows read: ${formatCount(a.rows)}`);
  out.push(`- Records (after filters): ${formatCount(a.records)}`);
  out.push(`- Segments: ${formatCount(a.segments)}`);
  out.push(`- Grouped by: ${a.group_by.join(', ')}${a.group_by_auto ? ' (auto-detected)' : ''}`);
  out.push(`- Filters: ${a.filters.length > 0 ? a.filters.map((f) => `\`${f}\``).join(' AND ') : 'none'}`);
  out.push(`- Ranking: ${rankingLabel(a)}`);
  out.push(`- Top rows shown: ${a.top}`);
  out.push(`- Minimum records per segment: ${a.min_records}`);
  out.push(`- Metric aggregation: ${a.metric_aggregation}`);
  out.push(`- Metrics: ${a.metrics.join(', ')}${a.metrics_auto ? ' (auto-detected)' : ''}`);
  out.push('', '## Executive Summary', '');
  for (const line of executiveSummary(a)) out.push(`- ${line}`);
  if (a.groups.length === 0) out.push('- No segment has enough records to be listed.');
  out.push('', '## Top Groups', '');
  const cols = segmentColumns(a);
  out.push(`| ${cols.map((c) => cell(c.label)).join(' | ')} |`);
  out.push(`|${cols.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`);
  for (const row of a.groups.slice(0, a.top)) {
    out.push(`| ${cols.map((c) => cell(c.format(row))).join(' | ')} |`);
  }
  if (a.groups.length > a.top) out.push('', `_${formatCount(a.groups.length - a.top)} more segments in the JSON artifact._`);
  out.push('');
  return out.join('\n');
}

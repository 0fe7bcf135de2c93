import type { CompareArtifact, CompareMover } from '../../src-shared/artifacts/compare';
import { formatCount, formatNumber, formatPercent, formatSigned } from '../../src-shared/format';
import { barChartSvg, escapeHtml, htmlPage } from './render-html';
import { markdownName, markdownSentence } from './markdown-escape';
import { markdownTable } from './render-markdown';

export function compareColumns(c: CompareArtifact): { label: string; align: 'left' | 'right'; format: (m: CompareMover) => string }[] {
  const p = c.primary_metric;
  return [
    { label: 'Segment', align: 'left', format: (m) => m.segment },
    { label: 'Base Records', align: 'right', format: (m) => formatCount(m.base_records) },
    { label: 'New Records', align: 'right', format: (m) => formatCount(m.new_records) },
    { label: 'Base Share', align: 'right', format: (m) => formatPercent(m.base_share_pct) },
    { label: 'New Share', align: 'right', format: (m) => formatPercent(m.new_share_pct) },
    { label: 'Delta Share (pp)', align: 'right', format: (m) => formatSigned(m.delta_share_pp) },
    { label: `Base ${p}`, align: 'right', format: (m) => formatNumber(m.base_primary_metric_value) },
    { label: `New ${p}`, align: 'right', format: (m) => formatNumber(m.new_primary_metric_value) },
    { label: `Delta ${p}`, align: 'right', format: (m) => formatSigned(m.delta_primary_metric_value) },
  ];
}

export function compareDelta(c: CompareArtifact): string[] {
  const t = c.top5_concentration;
  const s = c.segment_count_delta;
  const lines = [
    `Top-5 concentration moved from ${formatPercent(t.base_pct, 1)} to ${formatPercent(t.new_pct, 1)} (${formatSigned(t.delta_pp, 1)} pp).`,
    `Segments went from ${formatCount(s.base)} to ${formatCount(s.new)} (${s.delta >= 0 ? '+' : ''}${formatCount(s.delta)}).`,
    `Records went from ${formatCount(c.base_records)} to ${formatCount(c.new_records)}.`,
  ];
  if (c.new_only_segments + c.base_only_segments > 0) lines.push(`${formatCount(c.new_only_segments)} segments are new and ${formatCount(c.base_only_segments)} are gone.`);
  const top = c.movers[0];
  if (top) lines.push(`Biggest mover: \`${top.segment}\`, ${formatCount(top.base_records)} → ${formatCount(top.new_records)} records (${formatSigned(top.delta_share_pp, 1)} pp of records).`);
  return lines;
}

export function compareMarkdown(c: CompareArtifact): string {
  const out = ['# Analysis Comparison', '', `- Base: ${markdownName(c.base)} (${formatCount(c.base_records)} records, ${formatCount(c.base_segments)} segments)`, `- New: ${markdownName(c.new)} (${formatCount(c.new_records)} records, ${formatCount(c.new_segments)} segments)`];
  out.push('', '## Executive Delta', '', ...compareDelta(c).map((l) => `- ${markdownSentence(l)}`));
  out.push('', '## Biggest Movers (by record share)', '', ...markdownTable(compareColumns(c), c.movers), '');
  return out.join('\n');
}

export function compareHtml(c: CompareArtifact): string {
  const cols = compareColumns(c);
  const rows = c.movers
    .map((m) => `<tr class="${m.direction}">${cols.map((col) => `<td class="${col.align}">${escapeHtml(col.format(m))}</td>`).join('')}</tr>`)
    .join('\n');
  const body = [
    '<h1>Analysis Comparison</h1>',
    `<dl><dt>Base</dt><dd>${escapeHtml(c.base)}</dd><dt>New</dt><dd>${escapeHtml(c.new)}</dd></dl>`,
    `<h2>Executive Delta</h2><ul>${compareDelta(c)
      .map((l) => `<li>${escapeHtml(l).replace(/`([^`]*)`/g, '<code>$1</code>')}</li>`)
      .join('')}</ul>`,
    `<h2>Biggest movers (record share, pp)</h2>${barChartSvg(
      c.movers.map((m) => ({ label: m.segment, value: m.delta_share_pp })),
      'Δ record share (pp)',
    )}`,
    `<h2>Biggest Movers (by record share)</h2><table><thead><tr>${cols.map((col) => `<th class="${col.align}">${escapeHtml(col.label)}</th>`).join('')}</tr></thead><tbody>\n${rows}\n</tbody></table>`,
  ];
  return htmlPage(`FactorLens Comparison: ${c.base} vs ${c.new}`, body.join('\n'), c.schema).replace('</style>', 'tr.up td:nth-child(6){color:#1f8a4c}tr.down td:nth-child(6){color:#c23b3b}</style>');
}

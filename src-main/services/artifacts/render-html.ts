import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { chartMeasureLabel, executiveSummary, rankingLabel, segmentColumns, topSegmentBars } from '../../../src-shared/artifacts/analyze-view';
import { formatCompact, formatCount, formatNumber } from '../../../src-shared/format';

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** `code` spans of the summary sentences become <code>, everything else is escaped. */
function inline(text: string): string {
  return escapeHtml(text).replace(/`([^`]*)`/g, '<code>$1</code>');
}

/** A horizontal bar chart as inline SVG, so the report needs no script and no network. */
export function barChartSvg(bars: { label: string; value: number }[], measure: string): string {
  const rowH = 26;
  const labelW = 260;
  const chartW = 420;
  const height = bars.length * rowH + 30;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const min = Math.min(0, ...bars.map((b) => b.value));
  const span = max - min || 1;
  const x0 = labelW + ((0 - min) / span) * chartW;
  const parts = bars.map((b, i) => {
    const y = 10 + i * rowH;
    const w = (Math.abs(b.value) / span) * chartW;
    const x = b.value >= 0 ? x0 : x0 - w;
    const label = b.label.length > 38 ? `${b.label.slice(0, 37)}…` : b.label;
    return (
      `<text x="${labelW - 8}" y="${y + 16}" text-anchor="end">${escapeHtml(label)}</text>` +
      `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 8}" fill="#3b6fd8" rx="2"><title>${escapeHtml(b.label)}: ${formatNumber(b.value)}</title></rect>` +
      `<text x="${(x + Math.max(1, w) + 6).toFixed(1)}" y="${y + 16}" class="v">${escapeHtml(formatCompact(b.value))}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Top segments by ${escapeHtml(measure)}" width="${labelW + chartW + 80}" height="${height}" font-family="system-ui, sans-serif" font-size="12">` +
    parts.join('') +
    `<text x="${labelW}" y="${height - 4}" fill="#666">${escapeHtml(measure)}</text></svg>`
  );
}

/** A standalone HTML report (inline CSS and SVG, no external resources) rendered from the artifact. */
export function analyzeHtml(a: AnalyzeArtifact): string {
  const cols = segmentColumns(a);
  const head = cols.map((c) => `<th class="${c.align}">${escapeHtml(c.label)}</th>`).join('');
  const body = a.groups
    .slice(0, a.top)
    .map((r) => `<tr>${cols.map((c) => `<td class="${c.align}">${escapeHtml(c.format(r))}</td>`).join('')}</tr>`)
    .join('\n');
  const facts: [string, string][] = [
    ['Input', a.input],
    ['Records (after filters)', formatCount(a.records)],
    ['Segments', formatCount(a.segments)],
    ['Grouped by', a.group_by.join(', ') + (a.group_by_auto ? ' (auto-detected)' : '')],
    ['Metrics', a.metrics.join(', ') + (a.metrics_auto ? ' (auto-detected)' : '')],
    ['Filters', a.filters.length > 0 ? a.filters.join(' AND ') : 'none'],
    ['Ranking', rankingLabel(a)],
    ['Metric aggregation', a.metric_aggregation],
    ['Minimum records', String(a.min_records)],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>FactorLens Report: ${escapeHtml(a.input)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1d2430;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #e3e7ee;padding-bottom:.3rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;font-size:.92rem}dt{color:#5b6577}dd{margin:0}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.35rem .6rem;border-bottom:1px solid #eef1f5}
th{background:#f6f8fb;text-align:left}.right{text-align:right;font-variant-numeric:tabular-nums}code{background:#f1f3f7;padding:0 .25rem;border-radius:3px}
svg .v{fill:#444}footer{margin-top:2rem;color:#8a93a3;font-size:.8rem}
</style></head><body>
<h1>Analysis Brief</h1>
<dl>${facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
<h2>Executive Summary</h2>
<ul>${executiveSummary(a).map((l) => `<li>${inline(l)}</li>`).join('')}</ul>
<h2>Top segments by ${escapeHtml(chartMeasureLabel(a))}</h2>
${barChartSvg(topSegmentBars(a), chartMeasureLabel(a))}
<h2>Top Groups</h2>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
${a.groups.length > a.top ? `<p>${formatCount(a.groups.length - a.top)} more segments in the JSON artifact.</p>` : ''}
<footer>FactorLens Workbench · ${escapeHtml(a.schema)}</footer>
</body></html>
`;
}

import type { AnalyzeArtifact } from '../../src-shared/artifacts/analyze';
import { chartMeasureLabel, executiveSummary, insightLines, moverBars, moverColumns, periodSummary, runFacts, segmentColumns, topSegmentBars } from '../../src-shared/artifacts/analyze-view';
import { formatCompact, formatCount, formatNumber } from '../../src-shared/format';

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
      `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 8}" fill="${b.value < 0 ? '#d14b4b' : '#3b6fd8'}" rx="2"><title>${escapeHtml(b.label)}: ${formatNumber(b.value)}</title></rect>` +
      (b.value >= 0
        ? `<text x="${(x + Math.max(1, w) + 6).toFixed(1)}" y="${y + 16}" class="v">${escapeHtml(formatCompact(b.value))}</text>`
        : `<text x="${(x0 + 6).toFixed(1)}" y="${y + 16}" class="v">${escapeHtml(formatCompact(b.value))}</text>`)
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Top segments by ${escapeHtml(measure)}" width="${labelW + chartW + 80}" height="${height}" font-family="system-ui, sans-serif" font-size="12">` +
    parts.join('') +
    `<text x="${labelW}" y="${height - 4}" fill="#666">${escapeHtml(measure)}</text></svg>`
  );
}

/** Lines over a shared x axis (dates), as inline SVG; the last value of each line is labelled. */
export function lineChartSvg(x: string[], series: { name: string; values: number[]; color: string; dashed?: boolean }[], yLabel: string, format: (v: number) => string): string {
  const [W, H, left, right, top, bottom] = [820, 300, 70, 190, 14, 40];
  const all = series.flatMap((s) => s.values);
  let [min, max] = [Math.min(0, ...all), Math.max(0, ...all)];
  if (max - min < 1e-15) [min, max] = [min - 1, max + 1];
  const sx = (i: number) => left + (x.length <= 1 ? 0 : (i / (x.length - 1)) * (W - left - right));
  const sy = (v: number) => top + ((max - v) / (max - min)) * (H - top - bottom);
  const ticks = [min, min + (max - min) / 2, max, 0];
  const grid = ticks
    .map((v) => `<line x1="${left}" x2="${W - right}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" stroke="${v === 0 ? '#9aa3b2' : '#e3e7ee'}"/><text x="${left - 6}" y="${(sy(v) + 4).toFixed(1)}" text-anchor="end" class="v">${escapeHtml(format(v))}</text>`)
    .join('');
  const xl = x.length > 0 ? `<text x="${left}" y="${H - 18}" class="v">${escapeHtml(x[0]!)}</text><text x="${W - right}" y="${H - 18}" text-anchor="end" class="v">${escapeHtml(x.at(-1)!)}</text>` : '';
  // End labels at the lines' last values, pushed apart so that they never overlap.
  const labelY = series.map((s, i) => ({ i, y: sy(s.values.at(-1) ?? 0) + 4 })).sort((p, q) => p.y - q.y);
  for (let j = 1; j < labelY.length; j++) labelY[j]!.y = Math.max(labelY[j]!.y, labelY[j - 1]!.y + 14);
  const yOf = new Map(labelY.map((l) => [l.i, l.y]));
  const lines = series
    .map((s, i) => {
      const d = s.values.map((v, j) => `${j === 0 ? 'M' : 'L'}${sx(j).toFixed(1)},${sy(v).toFixed(1)}`).join('');
      const last = s.values.at(-1) ?? 0;
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="4 3"' : ''}><title>${escapeHtml(s.name)}</title></path><text x="${W - right + 6}" y="${yOf.get(i)!.toFixed(1)}" fill="${s.color}">${escapeHtml(`${s.name.length > 22 ? `${s.name.slice(0, 21)}…` : s.name} ${format(last)}`)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(yLabel)}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">${grid}${xl}${lines}<text x="${left}" y="${H - 2}" fill="#666">${escapeHtml(yLabel)}</text></svg>`;
}

export function htmlTable<T>(cols: { label: string; align: 'left' | 'right'; format: (row: T) => string }[], rows: T[]): string {
  const head = cols.map((c) => `<th class="${c.align}">${escapeHtml(c.label)}</th>`).join('');
  const body = rows.map((r) => `<tr>${cols.map((c) => `<td class="${c.align}">${escapeHtml(c.format(r))}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const list = (lines: string[]) => `<ul>${lines.map((l) => `<li>${inline(l)}</li>`).join('')}</ul>`;

/** A standalone HTML report (inline CSS and SVG, no external resources) rendered from the artifact. */
export function analyzeHtml(a: AnalyzeArtifact): string {
  const parts: string[] = [];
  parts.push(`<h1>Analysis Brief</h1>`);
  parts.push(`<dl>${runFacts(a).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`);
  if (a.alerts.length > 0) parts.push(`<div class="alerts"><h2>Alerts</h2>${list(a.alerts)}</div>`);
  if (a.warnings?.length) parts.push(`<h2>Input Warnings</h2>${list(a.warnings)}`);
  parts.push(`<h2>Executive Summary</h2>${list(executiveSummary(a))}`);
  parts.push(`<h2>Top segments by ${escapeHtml(chartMeasureLabel(a))}</h2>${barChartSvg(topSegmentBars(a), chartMeasureLabel(a))}`);
  const period = periodSummary(a);
  if (period && a.period_compare) {
    parts.push(`<h2>Period Comparison</h2>${list(period.windows)}<h3>Executive Delta</h3>${list(period.delta)}`);
    const bars = moverBars(a);
    if (bars.length > 0) parts.push(`<h3>Biggest movers (${escapeHtml(a.primary_metric ? `Δ ${a.primary_metric}` : 'Δ records')})</h3>${barChartSvg(bars, a.primary_metric ? `Δ ${a.primary_metric}` : 'Δ records')}`);
    if (period.concentration.length > 0) parts.push(`<h3>Top Concentration Changes</h3>${list(period.concentration)}`);
    if (period.drivers.length > 0) parts.push(`<h3>Group Drivers (largest declines)</h3>${list(period.drivers)}`);
    if (a.period_compare.movers.length > 0) parts.push(`<h3>Movers</h3>${htmlTable(moverColumns(a), a.period_compare.movers)}`);
  }
  if (a.word_frequency.length > 0) parts.push(`<h2>Top Words</h2>${barChartSvg(a.word_frequency.map((w) => ({ label: w.word, value: w.count })), 'Records')}`);
  const insights = insightLines(a);
  if (insights.length > 0) parts.push(`<h2>Insights</h2>${list(insights)}`);
  if (a.top_insights > 0) {
    parts.push(`<h2>Top Insights</h2><h3>Risks</h3>${list(a.top_risks.length ? a.top_risks : ['none'])}<h3>Opportunities</h3>${list(a.top_opportunities.length ? a.top_opportunities : ['none'])}`);
  }
  parts.push(`<h2>Top Groups</h2>${htmlTable(segmentColumns(a), a.groups.slice(0, a.top))}`);
  if (a.groups.length > a.top) parts.push(`<p>${formatCount(a.groups.length - a.top)} more segments in the JSON artifact.</p>`);
  return htmlPage(`FactorLens Report: ${a.input}`, parts.join('\n'), a.schema);
}

/** The page around a report: inline styles for light and dark, no external resources. */
export function htmlPage(title: string, body: string, schema: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1d2430;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #e3e7ee;padding-bottom:.3rem}h3{font-size:1rem;margin-top:1.2rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;font-size:.92rem}dt{color:#5b6577}dd{margin:0}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{padding:.35rem .6rem;border-bottom:1px solid #eef1f5}
th{background:#f6f8fb;text-align:left}.right{text-align:right;font-variant-numeric:tabular-nums}code{background:#f1f3f7;padding:0 .25rem;border-radius:3px}
.alerts{border-left:4px solid #d9822b;background:#fff7ee;padding:.2rem 1rem;margin-top:1rem}.alerts h2{border:0;margin-top:.6rem}
svg .v{fill:#444}footer{margin-top:2rem;color:#8a93a3;font-size:.8rem}
</style></head><body>
${body}
<footer>FactorLens Workbench · ${escapeHtml(schema)}</footer>
</body></html>
`;
}

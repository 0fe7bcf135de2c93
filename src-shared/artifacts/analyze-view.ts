import { formatCount, formatNumber, formatPercent } from '../format';
import type { AnalyzeArtifact, SegmentRow } from './analyze';

/**
 * The human view of an analyze artifact, shared by the Markdown and HTML reports and the UI:
 * which columns the segment table has, the executive summary sentences, the chart series.
 */
export interface TableColumn {
  key: string;
  label: string;
  align: 'left' | 'right';
  format: (row: SegmentRow) => string;
}

export function segmentColumns(a: AnalyzeArtifact): TableColumn[] {
  const cols: TableColumn[] = a.group_by.map((g, i) => ({ key: `g:${g}`, label: g, align: 'left', format: (r) => r.values[i] ?? '' }));
  cols.push({ key: 'count', label: 'Records', align: 'right', format: (r) => formatCount(r.count) });
  cols.push({ key: 'count_share_pct', label: 'Record Share', align: 'right', format: (r) => formatPercent(r.count_share_pct) });
  for (const m of a.metrics) {
    const decimals = metricDecimals(a, m);
    cols.push({ key: m, label: a.metric_aggregation === 'sum' ? m : `${m} (${a.metric_aggregation})`, align: 'right', format: (r) => formatNumber(r[m] as number, decimals) });
    if (m === a.primary_metric && a.metric_aggregation === 'sum') {
      cols.push({ key: `${m}_share_pct`, label: `${m} Share`, align: 'right', format: (r) => formatPercent(r[`${m}_share_pct`] as number) });
    }
  }
  return cols;
}

/** Whole-number metrics (counts such as orders) are shown without decimals. */
export function metricDecimals(a: AnalyzeArtifact, metric: string): number {
  return a.groups.every((g) => Number.isInteger(g[metric])) ? 0 : 2;
}

export function rankingLabel(a: AnalyzeArtifact): string {
  return a.rank_by === 'count' ? 'record count (desc)' : `${a.rank_by} (${a.metric_aggregation}, desc)`;
}

/** The executive summary as plain sentences (Markdown code spans mark segment names). */
export function executiveSummary(a: AnalyzeArtifact): string[] {
  const lines: string[] = [];
  const p = a.primary_metric;
  if (a.largest_segment) {
    const ls = a.largest_segment;
    const share = ls.primary_share_pct !== null && p ? ` and ${formatPercent(ls.primary_share_pct, 1)} of total ${p}` : '';
    lines.push(`Largest segment is \`${ls.group}\` with ${formatPercent(ls.count_share_pct, 1)} of records${share}.`);
  }
  const shown = Math.min(5, a.groups.length);
  if (shown > 0) {
    let metricPart = '';
    if (p && a.top5_primary_metric_value !== null) {
      metricPart =
        a.metric_aggregation === 'sum' && a.total_primary_metric_value
          ? ` and ${formatPercent((a.top5_primary_metric_value * 100) / a.total_primary_metric_value, 1)} of ${p}`
          : `, averaging ${formatNumber(a.top5_primary_metric_value)} ${p} (${a.metric_aggregation})`;
    }
    const by = a.rank_by === 'count' ? 'records' : a.rank_by;
    lines.push(`Top ${shown} segments by ${by} represent ${formatPercent(a.top5_record_share_pct, 1)} of records${metricPart}.`);
    lines.push(`Top ${shown} segments: ${a.groups.slice(0, shown).map((g) => `\`${g.group}\``).join(', ')}.`);
  }
  if (a.segments < a.segments_total) {
    lines.push(`${formatCount(a.segments_total - a.segments)} segments with fewer than ${a.min_records} records are not listed.`);
  }
  return lines;
}

/** The bars of the "top segments" chart: label and value of the ranking measure. */
export function topSegmentBars(a: AnalyzeArtifact, limit = 10): { label: string; value: number }[] {
  const key = a.rank_by === 'count' ? 'count' : a.rank_by;
  return a.groups.slice(0, limit).map((g) => ({ label: g.group, value: Number(g[key]) }));
}

export function chartMeasureLabel(a: AnalyzeArtifact): string {
  return a.rank_by === 'count' ? 'Records' : a.metric_aggregation === 'sum' ? a.rank_by : `${a.rank_by} (${a.metric_aggregation})`;
}

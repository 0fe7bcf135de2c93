import { formatCount, formatMove, formatNumber, formatPercent, formatSigned } from '../format';
import type { AnalyzeArtifact, PeriodMover, SegmentRow } from './analyze';

/**
 * The human view of an analyze artifact, shared by the Markdown and HTML reports and the UI:
 * which columns the segment table has, the sentences of each section, the chart series.
 * Sentences may hold `code spans` for segment names; each renderer styles them its own way.
 */
export interface TableColumn {
  key: string;
  label: string;
  align: 'left' | 'right';
  format: (row: SegmentRow) => string;
}

/** Whole-number metrics (counts such as orders) are shown without decimals. */
export function metricDecimals(a: AnalyzeArtifact, metric: string): number {
  return a.groups.every((g) => Number.isInteger(g[metric])) ? 0 : 2;
}

export function segmentColumns(a: AnalyzeArtifact): TableColumn[] {
  const cols: TableColumn[] = a.group_by.map((g, i) => ({ key: `g:${g}`, label: g, align: 'left', format: (r) => r.values[i] ?? '' }));
  cols.push({ key: 'count', label: 'Records', align: 'right', format: (r) => formatCount(r.count) });
  cols.push({ key: 'count_share_pct', label: 'Record Share', align: 'right', format: (r) => formatPercent(r.count_share_pct) });
  for (const m of a.base_metrics) {
    const decimals = metricDecimals(a, m);
    cols.push({ key: m, label: a.metric_aggregation === 'sum' ? m : `${m} (${a.metric_aggregation})`, align: 'right', format: (r) => formatNumber(r[m] as number, decimals) });
    if (m === a.primary_metric && a.metric_aggregation === 'sum') {
      cols.push({ key: `${m}_share_pct`, label: `${m} Share`, align: 'right', format: (r) => formatPercent(r[`${m}_share_pct`] as number) });
    }
    for (const p of a.percentiles) {
      const key = `${m}_${p}`;
      cols.push({ key, label: key, align: 'right', format: (r) => formatNumber(r[key] as number, 2) });
    }
  }
  return cols;
}

export function rankingLabel(a: AnalyzeArtifact): string {
  return a.rank_by === 'count' ? 'record count (desc)' : `${a.rank_by} (${a.metric_aggregation}, desc)`;
}

/** The settings of the run as label/value pairs (the report header). */
export function runFacts(a: AnalyzeArtifact): [string, string][] {
  const facts: [string, string][] = [
    ['Input', a.input],
    ['Rows read', formatCount(a.rows)],
    ['Records (after filters)', formatCount(a.records)],
    ['Segments', formatCount(a.segments)],
    ['Grouped by', a.group_by.join(', ') + (a.group_by_auto ? ' (auto-detected)' : '')],
  ];
  if (a.profile) facts.push(['Profile', a.profile]);
  facts.push(['Filters', a.filters.length > 0 ? a.filters.join(' AND ') + (a.filters_ignore_case ? ' (ignoring case)' : '') : 'none']);
  facts.push(['Blank groups', a.exclude_blank_groups ? `excluded (${formatCount(a.excluded_blank_records)} records)` : 'included']);
  facts.push(['Ranking', rankingLabel(a)]);
  facts.push(['Top rows shown', String(a.top)]);
  if (a.top_insights > 0) facts.push(['Top insights', `${a.top_insights} (opportunities need at least ${a.opportunity_min_records} records)`]);
  facts.push(['Minimum records per segment', String(a.min_records)]);
  if (a.count_only) facts.push(['Metrics', 'none (count only)']);
  else {
    facts.push(['Metric aggregation', a.metric_aggregation]);
    if (a.percentiles.length > 0) facts.push(['Percentile columns', a.percentiles.join(', ')]);
    facts.push(['Metrics', a.base_metrics.join(', ') + (a.metrics_auto ? ' (auto-detected)' : '')]);
  }
  if (a.normalize_text_groups) facts.push(['Normalised text groups', a.normalized_columns.length > 0 ? a.normalized_columns.join(', ') : 'none (no name/title group column)']);
  return facts;
}

/** The executive summary as plain sentences (code spans mark segment names). */
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
  if (a.groups.length === 0) lines.push('No segment has enough records to be listed.');
  return lines;
}

/** Observations that follow from the numbers (the report's Insights section). */
export function insightLines(a: AnalyzeArtifact): string[] {
  const lines: string[] = [];
  if (a.groups.length === 0) return lines;
  const top5 = a.top5_record_share_pct;
  const level = top5 >= 60 ? 'high' : top5 >= 30 ? 'moderate' : 'low';
  const by = a.rank_by === 'count' ? 'records' : a.rank_by;
  lines.push(`Concentration is ${level}: the top ${Math.min(5, a.groups.length)} segments by ${by} hold ${formatPercent(top5, 1)} of records across ${formatCount(a.segments)} segments.`);
  if (a.blank_share_pct > 0) lines.push(`${formatPercent(a.blank_share_pct, 1)} of records have no value in any group column (\`(blank)\`); fill or exclude them before acting on shares.`);
  const singles = a.groups.filter((g) => g.count === 1).length;
  if (singles > 0) lines.push(`${formatCount(singles)} of ${formatCount(a.segments)} segments hold a single record; raise the minimum records per segment or group by fewer columns for steadier shares.`);
  const byRecords = [...a.groups].sort((x, y) => y.count - x.count)[0];
  const byRank = a.groups[0];
  if (a.rank_by !== 'count' && byRecords && byRank && byRecords.group !== byRank.group) {
    lines.push(`The largest segment by records (\`${byRecords.group}\`) is not the largest by ${a.rank_by} (\`${byRank.group}\`).`);
  }
  return lines;
}

function moverValue(m: PeriodMover, hasPrimary: boolean): string {
  return hasPrimary ? formatSigned(m.delta_primary_metric_value ?? 0) : `${m.delta_records >= 0 ? '+' : ''}${formatCount(m.delta_records)} records`;
}

/** The period comparison as sentences: windows, executive delta, concentration, drivers. */
export function periodSummary(a: AnalyzeArtifact): { windows: string[]; delta: string[]; concentration: string[]; drivers: string[] } | null {
  const pc = a.period_compare;
  if (!pc) return null;
  const p = a.primary_metric;
  const mode = pc.time_grain ? `${pc.period} ${pc.time_grain}${pc.anchor_date ? ` (anchor ${pc.anchor_date})` : ''}` : 'explicit windows';
  const windows = [
    `Date column: ${pc.date_column}; windows: ${mode}.`,
    `Current: ${pc.current_start}..${pc.current_end} (${formatCount(pc.current_records)} records).`,
    `Previous: ${pc.previous_start}..${pc.previous_end} (${formatCount(pc.previous_records)} records).`,
  ];
  const delta: string[] = [];
  const dr = pc.current_records - pc.previous_records;
  delta.push(`Records ${dr === 0 ? 'unchanged' : `${dr > 0 ? 'up' : 'down'} ${formatCount(Math.abs(dr))}`}: ${formatCount(pc.previous_records)} → ${formatCount(pc.current_records)}.`);
  if (p && pc.delta_primary_metric_value !== null) {
    // The arrow gives the direction, so the amounts carry no sign.
    const arrow = pc.delta_primary_metric_value >= 0 ? '↑' : '↓';
    const pct = pc.delta_primary_metric_pct === null ? '' : ` (${formatNumber(Math.abs(pc.delta_primary_metric_pct), 1)}%)`;
    delta.push(`${p} ${arrow} ${formatNumber(Math.abs(pc.delta_primary_metric_value))}${pct}: ${formatMove(pc.previous_primary_metric_value, pc.current_primary_metric_value)}.`);
  }
  delta.push(
    `Top-5 concentration (five largest segments of each window) went from ${formatPercent(pc.previous_top5_share_pct, 1)} to ${formatPercent(pc.current_top5_share_pct, 1)} (${formatSigned(pc.top5_share_delta_pp, 1)} pp).`,
  );
  const concentration = pc.concentration_changes.map(
    (m) => `\`${m.group}\`: ${formatPercent(m.previous_share_pct, 1)} → ${formatPercent(m.current_share_pct, 1)} of records (${formatSigned(m.delta_share_pp, 1)} pp).`,
  );
  const drivers = pc.drivers.map((m) => `\`${m.group}\`: ${moverValue(m, p !== null)}${p ? ` ${p}` : ''}.`);
  return { windows, delta, concentration, drivers };
}

/** Columns of the period movers table. */
export function moverColumns(a: AnalyzeArtifact): { label: string; align: 'left' | 'right'; format: (m: PeriodMover) => string }[] {
  const p = a.primary_metric;
  const cols: { label: string; align: 'left' | 'right'; format: (m: PeriodMover) => string }[] = [
    { label: 'Segment', align: 'left', format: (m) => m.group },
    { label: 'Previous Records', align: 'right', format: (m) => formatCount(m.previous_records) },
    { label: 'Current Records', align: 'right', format: (m) => formatCount(m.current_records) },
    { label: 'Δ Share (pp)', align: 'right', format: (m) => formatSigned(m.delta_share_pp) },
  ];
  if (p) {
    cols.push({ label: `Previous ${p}`, align: 'right', format: (m) => formatNumber(m.previous_primary_metric_value) });
    cols.push({ label: `Current ${p}`, align: 'right', format: (m) => formatNumber(m.current_primary_metric_value) });
    cols.push({ label: `Δ ${p}`, align: 'right', format: (m) => formatSigned(m.delta_primary_metric_value ?? 0) });
  }
  return cols;
}

/** The bars of the "top segments" chart: label and value of the ranking measure. */
export function topSegmentBars(a: AnalyzeArtifact, limit = 10): { label: string; value: number }[] {
  const key = a.rank_by === 'count' ? 'count' : a.rank_by;
  return a.groups.slice(0, limit).map((g) => ({ label: g.group, value: Number(g[key]) }));
}

/** Movers of the period comparison as signed bars (primary metric change, or records with count-only). */
export function moverBars(a: AnalyzeArtifact, limit = 10): { label: string; value: number }[] {
  const pc = a.period_compare;
  if (!pc) return [];
  const hasPrimary = a.primary_metric !== null;
  const value = (m: PeriodMover) => (hasPrimary ? (m.delta_primary_metric_value ?? 0) : m.delta_records);
  return [...pc.movers]
    .sort((x, y) => Math.abs(value(y)) - Math.abs(value(x)))
    .slice(0, limit)
    .map((m) => ({ label: m.group, value: value(m) }));
}

export function chartMeasureLabel(a: AnalyzeArtifact): string {
  return a.rank_by === 'count' ? 'Records' : a.metric_aggregation === 'sum' ? a.rank_by : `${a.rank_by} (${a.metric_aggregation})`;
}

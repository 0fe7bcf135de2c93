import { percentileKey } from '../../../src-shared/analyze-syntax';
import { ANALYZE_SCHEMA, type AnalyzeArtifact, type PeriodCompare, type SegmentRow } from '../../../src-shared/artifacts/analyze';
import type { ResolvedAnalyze } from './resolve';
import { BLANK, preciseSum, type SegmentCube } from './scan-plan';
import { evaluateAlerts, topInsights, wordFrequency } from './signals';

/**
 * Segments from the cube: rank, share, concentration, alerts and insights. A pure function of the
 * cube and the resolved options, so the same cube always gives the same artifact.
 */
export function segmentsArtifact(
  cube: SegmentCube,
  r: ResolvedAnalyze,
  input: string,
  periodCompare: PeriodCompare | null = null,
): AnalyzeArtifact {
  const records = cube.cells.reduce((acc, c) => acc + c.count, 0);
  const primary = r.metrics[0] ?? null;
  const isSum = r.agg === 'sum';
  const pct = (part: number, whole: number) => (whole === 0 ? 0 : (part * 100) / whole);

  // The seed's total: the aggregated primary metric summed over all segments, before --min-records.
  const totalPrimary = primary === null ? null : preciseSum(cube.cells.map((c) => c.values_agg[0] ?? 0));

  const keyOf = (values: string[]) => values.join(' | ');
  const blankRecords = cube.cells.filter((c) => c.values.every((v) => v === BLANK)).reduce((acc, c) => acc + c.count, 0);

  const rankIndex = r.rankBy === 'count' ? -1 : r.metrics.indexOf(r.rankBy);
  const kept = cube.cells
    .filter((c) => c.count >= r.minRecords)
    .map((c) => ({ cell: c, key: keyOf(c.values) }))
    // Deterministic order: key ascending (code-unit order), then a stable sort on the ranking value.
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .sort((a, b) =>
      rankIndex < 0 ? b.cell.count - a.cell.count : (b.cell.values_agg[rankIndex] ?? 0) - (a.cell.values_agg[rankIndex] ?? 0),
    );

  const percentileColumns = r.metrics.flatMap((m) => r.percentiles.map((p) => percentileKey(m, p)));
  const groups: SegmentRow[] = kept.map(({ cell, key }) => {
    const row: SegmentRow = { group: key, values: cell.values, count: cell.count, count_share_pct: pct(cell.count, records) };
    r.metrics.forEach((m, i) => {
      row[m] = cell.values_agg[i] ?? 0;
    });
    r.metrics.forEach((m, i) =>
      r.percentiles.forEach((p, j) => {
        row[percentileKey(m, p)] = cell.percentiles[i]?.[j] ?? 0;
      }),
    );
    if (isSum && primary !== null && totalPrimary !== null) {
      row[`${primary}_share_pct`] = pct(cell.values_agg[0] ?? 0, totalPrimary);
    }
    return row;
  });

  const top5 = kept.slice(0, 5);
  const top5Count = top5.reduce((acc, k) => acc + k.cell.count, 0);
  const top5PrimarySum = preciseSum(top5.map((k) => k.cell.values_agg[0] ?? 0));
  const top5Primary = primary === null ? null : isSum ? top5PrimarySum : top5.length === 0 ? 0 : top5PrimarySum / top5.length;

  // Largest segment by records among non-blank segments; the first in ranked order wins ties.
  let largest: (typeof kept)[number] | null = null;
  for (const k of kept) {
    if (k.cell.values.every((v) => v === BLANK)) continue;
    if (largest === null || k.cell.count > largest.cell.count) largest = k;
  }

  const facts = {
    top5_record_share_pct: pct(top5Count, records),
    blank_share_pct: pct(blankRecords, records),
    segments: groups.length,
    records,
  };

  return {
    schema: ANALYZE_SCHEMA,
    kind: 'analyze',
    input,
    profile: r.profile,
    rows: cube.rows,
    records,
    segments: groups.length,
    segments_total: cube.cells.length,
    group_by: r.groupBy,
    group_by_auto: r.groupByAuto,
    filters: r.where.map((w) => `${w.column}=${w.value}`),
    ...(r.whereIgnoreCase ? { filters_ignore_case: true } : {}),
    exclude_blank_groups: r.excludeBlankGroups,
    excluded_blank_records: cube.excludedBlank,
    metrics: [...r.metrics, ...percentileColumns],
    base_metrics: r.metrics,
    metrics_auto: r.metricsAuto,
    metric_aggregation: r.agg,
    count_only: r.countOnly,
    percentiles: r.percentiles.map((p) => `p${p}`),
    normalize_text_groups: r.normalizeTextGroups,
    normalized_columns: r.normalized,
    word_frequency: wordFrequency(cube.cells, r),
    rank_by: r.rankBy,
    top: r.top,
    top_insights: r.topInsights,
    opportunity_min_records: r.opportunityMinRecords,
    min_records: r.minRecords,
    blank_share_pct: facts.blank_share_pct,
    alert_thresholds: { top5_share: r.alertTop5Share, blank_share: r.alertBlankShare },
    ...evaluateAlerts(facts, r),
    primary_metric: primary,
    total_primary_metric_value: totalPrimary,
    period_compare: periodCompare,
    top5_count: top5Count,
    top5_record_share_pct: facts.top5_record_share_pct,
    top5_primary_metric_value: top5Primary,
    largest_segment:
      largest === null
        ? null
        : {
            group: largest.key,
            count: largest.cell.count,
            count_share_pct: pct(largest.cell.count, records),
            primary_share_pct: isSum && totalPrimary !== null ? pct(largest.cell.values_agg[0] ?? 0, totalPrimary) : null,
          },
    ...topInsights(kept, records, totalPrimary, r),
    groups,
  };
}

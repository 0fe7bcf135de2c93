import type { PeriodCompare, PeriodMover } from '../../../src-shared/artifacts/analyze';
import type { DateReading } from './date-reading';
import type { ResolvedAnalyze, ResolvedPeriod } from './resolve';
import { preciseSum, type PeriodCell } from './scan-plan';

const byName = (a: PeriodMover, b: PeriodMover) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0);

/** Share of records held by the five largest segments of one window. */
function top5Share(counts: number[], total: number): number {
  const top = [...counts].sort((a, b) => b - a).slice(0, 5);
  return total === 0 ? 0 : (preciseSum(top) * 100) / total;
}

/**
 * Current versus previous window, per segment: records, primary metric, shares and movers; with
 * how the date column was read (its day/month order and the cells that read as no date).
 */
export function periodCompare(
  cells: PeriodCell[],
  r: ResolvedAnalyze,
  p: ResolvedPeriod,
  dates: Pick<DateReading, 'unreadable' | 'examples'> = { unreadable: 0, examples: [] },
): PeriodCompare {
  const hasPrimary = r.metrics.length > 0;
  // Keyed by the values themselves: the shown name joins them with " | ", which a value may contain.
  const segments = new Map<string, { group: string; cur: number; prev: number; curP: number; prevP: number }>();
  for (const c of cells) {
    const key = JSON.stringify(c.values);
    const s = segments.get(key) ?? { group: c.values.length > 0 ? c.values.join(' | ') : '(all)', cur: 0, prev: 0, curP: 0, prevP: 0 };
    if (c.window === 'current') {
      s.cur += c.count;
      s.curP += c.primary;
    } else {
      s.prev += c.count;
      s.prevP += c.primary;
    }
    segments.set(key, s);
  }
  const curRecords = preciseSum([...segments.values()].map((s) => s.cur));
  const prevRecords = preciseSum([...segments.values()].map((s) => s.prev));
  const curPrimary = preciseSum([...segments.values()].map((s) => s.curP));
  const prevPrimary = preciseSum([...segments.values()].map((s) => s.prevP));
  const share = (n: number, total: number) => (total === 0 ? 0 : (n * 100) / total);

  const movers: PeriodMover[] = [...segments.values()].map(({ group, ...s }) => {
    const curShare = share(s.cur, curRecords);
    const prevShare = share(s.prev, prevRecords);
    return {
      group,
      current_records: s.cur,
      previous_records: s.prev,
      delta_records: s.cur - s.prev,
      current_primary_metric_value: hasPrimary ? s.curP : null,
      previous_primary_metric_value: hasPrimary ? s.prevP : null,
      delta_primary_metric_value: hasPrimary ? s.curP - s.prevP : null,
      current_share_pct: curShare,
      previous_share_pct: prevShare,
      delta_share_pp: curShare - prevShare,
    };
  });
  const delta = (m: PeriodMover) => (hasPrimary ? (m.delta_primary_metric_value ?? 0) : m.delta_records);
  const ranked = [...movers].sort(byName).sort((a, b) => delta(a) - delta(b));
  const deltaPrimary = hasPrimary ? curPrimary - prevPrimary : null;

  return {
    date_column: p.dateColumn,
    time_grain: p.grain,
    period: p.preset,
    anchor_date: p.anchorDate,
    current_start: p.windows.current.start,
    current_end: p.windows.current.end,
    previous_start: p.windows.previous.start,
    previous_end: p.windows.previous.end,
    group_by: p.groupBy,
    current_records: curRecords,
    previous_records: prevRecords,
    current_primary_metric_value: hasPrimary ? curPrimary : null,
    previous_primary_metric_value: hasPrimary ? prevPrimary : null,
    delta_primary_metric_value: deltaPrimary,
    delta_primary_metric_pct: deltaPrimary === null || prevPrimary === 0 ? null : (deltaPrimary * 100) / Math.abs(prevPrimary),
    current_top5_share_pct: top5Share(
      movers.map((m) => m.current_records),
      curRecords,
    ),
    previous_top5_share_pct: top5Share(
      movers.map((m) => m.previous_records),
      prevRecords,
    ),
    top5_share_delta_pp:
      top5Share(
        movers.map((m) => m.current_records),
        curRecords,
      ) -
      top5Share(
        movers.map((m) => m.previous_records),
        prevRecords,
      ),
    movers: ranked.slice(0, 20),
    concentration_changes: [...movers]
      .sort(byName)
      .sort((a, b) => Math.abs(b.delta_share_pp) - Math.abs(a.delta_share_pp))
      .slice(0, 5),
    drivers: ranked.filter((m) => delta(m) < 0).slice(0, 5),
    day_month_order: p.dateOrder,
    unreadable_dates: { count: dates.unreadable, examples: dates.examples },
  };
}

import type { Scan } from '../../sources/scan';
import type { OnScanProgress } from '../../sources/scan-progress';
import { dateCheckOf, unreadableDatesWarning, unreadableExamples } from '../analyze/date-reading';
import { groupKeyExpr } from '../analyze/scan-plan';
import type { BridgeCell } from './bridge';
import { DateOrderChanged } from './frames';
import { requireBothFrames, type DriversFrames, type FramePass } from './plan';

/**
 * Aggregation: the frame pass run once, its sums per frame (and segment) in a fixed order, and
 * the totals the decomposition reads. In period mode the same pass checks the date column.
 */

/** One group of the frame pass: fl_side ('base' | 'new'), seg, and its sums as numbers. */
export type SumRow = Record<string, unknown>;

export interface FrameSums {
  /** Per side and segment, ordered by side then segment. */
  rows: SumRow[];
  /** The unreadable date cells (period mode), or null. */
  dateWarning: string | null;
  baseSegments: Set<string>;
  newSegments: Set<string>;
  /** Field sums of each frame over the segments present in both frames. */
  base: Record<string, number>;
  next: Record<string, number>;
  /** Field sums of each frame over all its segments. */
  allBase: Record<string, number>;
  allNew: Record<string, number>;
  /** The metric of segments in the new frame only, less that of segments in the base frame only. */
  newOrGone: number;
  /** The rows where the identity's fit was measured, and its mean absolute percentage error there. */
  fitRows: number;
  fitMape: number;
}

/** A summed field, 0 when absent. */
export const num = (r: Record<string, unknown>, k: string): number => Number(r[k] ?? 0);

export function inBothFrames(s: Pick<FrameSums, 'baseSegments' | 'newSegments'>, seg: string): boolean {
  return s.baseSegments.has(seg) && s.newSegments.has(seg);
}

/**
 * Runs the frame pass (telling `progress` how far it has read) and sums it per frame. Throws
 * DateOrderChanged when the whole date column proves another order than the frames' (not final) one.
 */
export async function sumFrames(scan: Scan, pass: FramePass, f: DriversFrames, progress?: OnScanProgress): Promise<FrameSums> {
  // Postgres returns counts as text (bigint); every field is read as a number below.
  const scanned = await scan.rows(pass.sql, progress);
  let dateWarning: string | null = null;
  if (f.dates) {
    const { column, order } = f.dates;
    const check = dateCheckOf(scanned);
    if (!f.dates.final && check.order !== order) throw new DateOrderChanged(check.order);
    const examples = check.unreadable > 0 ? await unreadableExamples(scan, column, order) : [];
    dateWarning = unreadableDatesWarning({ column, order, unreadable: check.unreadable, examples });
  }
  // In a fixed order (the engine returns groups in any), so that the sums below are the same on every run.
  const rows = scanned
    .filter((r) => r.fl_side !== null)
    .sort(bySideThenSegment)
    .map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'fl_side' || k === 'seg' ? v : v === null ? null : Number(v)])),
    );
  requireBothFrames(
    f.window,
    rows.some((r) => r.fl_side === 'base'),
    rows.some((r) => r.fl_side === 'new'),
  );
  const segmentsOf = (side: string) => new Set(rows.filter((r) => r.fl_side === side).map((r) => String(r.seg)));
  const [baseSegments, newSegments] = [segmentsOf('base'), segmentsOf('new')];
  const inBoth = (seg: string) => baseSegments.has(seg) && newSegments.has(seg);
  /** Field sums of one frame over the segments that pass `keep`. */
  const total = (side: string, keep: (seg: string) => boolean): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const r of rows) {
      if (r.fl_side !== side || !keep(String(r.seg))) continue;
      for (const [k, v] of Object.entries(r)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
    }
    return out;
  };
  const [base, next] = [total('base', inBoth), total('new', inBoth)];
  const [allBase, allNew] = [total('base', () => true), total('new', () => true)];
  const newOrGone =
    num(
      total('new', (g) => !baseSegments.has(g)),
      'y_total',
    ) -
    num(
      total('base', (g) => !newSegments.has(g)),
      'y_total',
    );
  const fitRows = num(allBase, 'ape_n') + num(allNew, 'ape_n');
  const fitMape = fitRows === 0 ? Number.NaN : (num(allBase, 'ape_sum') + num(allNew, 'ape_sum')) / fitRows;
  return { rows, dateWarning, baseSegments, newSegments, base, next, allBase, allNew, newOrGone, fitRows, fitMape };
}

/**
 * The seed method's bridge: the first driver and the modelled metric per frame and segment of the
 * bridge dimension, over the rows the identity prices (the frame pass keeps no segments for the seed).
 */
export async function modelledBySegment(scan: Pick<Scan, 'rows' | 'dialect'>, pass: FramePass): Promise<BridgeCell[]> {
  const d = scan.dialect;
  const rows = await scan.rows(
    `SELECT fl_side, seg, coalesce(${d.sum(pass.partial[0]!)}, 0) AS v, coalesce(${d.sum(pass.yhat)}, 0) AS m FROM (SELECT fl_side, ${groupKeyExpr(d.text(pass.by!), false, d)} AS seg, ${pass.inner} FROM fl_frames) AS fl_r WHERE ${pass.fit} ${d.groupBy(['fl_side', 'seg'])}`,
  );
  // Sorted like the frame pass, so that the bridge adds its cells up in the same order on every run.
  return [...rows]
    .sort(bySideThenSegment)
    .map((r) => ({ segment: String(r.seg), side: r.fl_side as 'base' | 'new', volume: Number(r.v), modelled: Number(r.m) }));
}

function bySideThenSegment(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const [x, y] = [`${String(a.fl_side)}\u0000${String(a.seg)}`, `${String(b.fl_side)}\u0000${String(b.seg)}`];
  return x < y ? -1 : x > y ? 1 : 0;
}

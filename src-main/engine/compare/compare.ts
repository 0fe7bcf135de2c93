import { z } from 'zod';
import { COMPARE_SCHEMA, type CompareArtifact, type CompareMover } from '../../../src-shared/artifacts/compare';
import { compareMismatch } from '../../../src-shared/compare-rules';
import { AppError } from '../../../src-shared/errors';

/**
 * What compare needs from an analyze artifact. Artifacts of the original FactorLens CLI are
 * accepted too: missing totals read as 0, as the seed did.
 */
export const SnapshotSchema = z
  .object({
    records: z.number().optional(),
    segments: z.number().optional(),
    top5_count: z.number().optional(),
    primary_metric: z.string().nullable().optional(),
    group_by: z.array(z.string()).optional(),
    groups: z.array(z.object({ group: z.string(), count: z.number(), count_share_pct: z.number().optional() }).passthrough()),
  })
  .passthrough();
/** What compare reads of an analyze artifact (the workbench's, or the original CLI's). */
export interface Snapshot {
  records?: number;
  segments?: number;
  top5_count?: number;
  primary_metric?: string | null;
  group_by?: string[];
  groups: { group: string; count: number; count_share_pct?: number; values?: unknown }[];
}

export function parseSnapshot(value: unknown, label: string): Snapshot {
  const parsed = SnapshotSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError(
      'BAD_ARGUMENT',
      `${label} is not an analyze artifact: ${issue.path.join('.') || 'root'} ${issue.message}`,
      'Pass the .json written by factorlens analyze.',
    );
  }
  return parsed.data;
}

function metricOf(group: Record<string, unknown>, metric: string): number {
  if (typeof group[metric] === 'number') return group[metric];
  const lower = metric.toLowerCase();
  const key = Object.keys(group).find((k) => k.toLowerCase() === lower);
  return key && typeof group[key] === 'number' ? (group[key] as number) : 0;
}

const isValueList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/**
 * How segments are matched across the two snapshots: by their group values when both snapshots
 * list them (the workbench's artifacts), since the shown name joins the values with " | ", which
 * a value may contain; by the shown name otherwise (the original CLI's artifacts).
 */
function segmentKeys(base: Snapshot, next: Snapshot): (g: Snapshot['groups'][number]) => string {
  const byValues = [base, next].every((s) => s.groups.every((g) => isValueList(g.values)));
  return byValues ? (g) => JSON.stringify(g.values) : (g) => g.group;
}

/**
 * Movers between two snapshots by record-share change (and by the primary metric's change), with
 * the executive delta. Snapshots grouped differently or measuring another metric are refused.
 */
export function compareSnapshots(
  base: Snapshot,
  next: Snapshot,
  labels: { base: string; new: string },
  topMovers: number,
): CompareArtifact {
  const mismatch = compareMismatch(base, next, labels);
  if (mismatch) throw new AppError('BAD_ARGUMENT', mismatch.message, mismatch.hint, [mismatch.option]);
  const primary = next.primary_metric ?? base.primary_metric ?? 'primary_metric';
  const keyOf = segmentKeys(base, next);
  const index = (s: Snapshot) => {
    const records = s.records ?? 0;
    return new Map(
      s.groups.map((g) => [
        keyOf(g),
        {
          segment: g.group,
          count: g.count,
          share: g.count_share_pct ?? (records === 0 ? 0 : (g.count * 100) / records),
          value: metricOf(g as unknown as Record<string, unknown>, primary),
        },
      ]),
    );
  };
  const b = index(base);
  const n = index(next);
  // In order of the shown name (then of the key, for names that two segments share).
  const shown = (k: string) => (b.get(k) ?? n.get(k))!.segment;
  const keys = [...new Set([...b.keys(), ...n.keys()])].sort().sort((p, q) => (shown(p) < shown(q) ? -1 : shown(p) > shown(q) ? 1 : 0));
  const zero = { count: 0, share: 0, value: 0 };
  const movers: CompareMover[] = keys.map((key) => {
    const segment = shown(key);
    const x = b.get(key) ?? zero;
    const y = n.get(key) ?? zero;
    const delta = y.share - x.share;
    return {
      segment,
      base_records: x.count,
      new_records: y.count,
      base_share_pct: x.share,
      new_share_pct: y.share,
      delta_share_pp: delta,
      base_primary_metric_value: x.value,
      new_primary_metric_value: y.value,
      delta_primary_metric_value: y.value - x.value,
      direction: Math.abs(delta) < 1e-12 ? 'flat' : delta > 0 ? 'up' : 'down',
    };
  });
  // Both rankings are stable sorts of the name order: ties stay by segment name.
  const byMetric = [...movers].sort((p, q) => Math.abs(q.delta_primary_metric_value) - Math.abs(p.delta_primary_metric_value));
  movers.sort((p, q) => Math.abs(q.delta_share_pp) - Math.abs(p.delta_share_pp));
  const top5 = (s: Snapshot) => ((s.records ?? 0) === 0 ? 0 : ((s.top5_count ?? 0) * 100) / (s.records ?? 1));
  return {
    schema: COMPARE_SCHEMA,
    kind: 'compare',
    base: labels.base,
    new: labels.new,
    base_records: base.records ?? 0,
    new_records: next.records ?? 0,
    base_segments: base.segments ?? 0,
    new_segments: next.segments ?? 0,
    primary_metric: primary,
    top5_concentration: { base_pct: top5(base), new_pct: top5(next), delta_pp: top5(next) - top5(base) },
    segment_count_delta: { base: base.segments ?? 0, new: next.segments ?? 0, delta: (next.segments ?? 0) - (base.segments ?? 0) },
    new_only_segments: keys.filter((k) => !b.has(k)).length,
    base_only_segments: keys.filter((k) => !n.has(k)).length,
    top_movers_limit: topMovers,
    movers: movers.slice(0, topMovers),
    movers_by_metric: byMetric.slice(0, topMovers),
  };
}

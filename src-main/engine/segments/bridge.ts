import { allSegments, contains, disjoint, ZERO, addSums, type Leaf, type MetricKind, type Segment, type Sums } from './cube';
import { contributionOf, type Contribution } from './contribution';

export interface BridgePart extends Contribution {
  /** null: everything else (the leaves in no named segment). */
  segment: Segment | null;
  sums: Sums;
}

export interface SegmentBridge {
  /** The whole's change: Σ current − Σ base (additive), or R₁ − R₀ (a ratio). */
  change: number;
  parts: BridgePart[];
  /** |Σ contributions − change|, relative to |change| (absolute when the change is 0). */
  closureError: number;
}

/**
 * The bridge: at most `top` segments that share no row, chosen greedily by the size of their
 * contribution (a segment may only join if it gives some dimension another value than each one
 * already chosen), plus everything else. Their contributions add up to the change exactly: the
 * parts cover every leaf once, and each part's contribution comes from its own sums.
 */
export function segmentBridge(
  kind: MetricKind,
  leaves: readonly Leaf[],
  dimensions: number,
  options: { top: number; maxDepth: number },
): SegmentBridge {
  const whole = leaves.reduce<Sums>((a, l) => addSums(a, l), ZERO);
  const change = contributionOf(kind, whole, whole).contribution;
  const candidates = allSegments(leaves, dimensions, options.maxDepth)
    .map((c) => ({ ...c, c: contributionOf(kind, c.sums, whole) }))
    // Biggest first; of equal size the more general, then a stable order by values.
    .sort(
      (a, b) =>
        Math.abs(b.c.contribution) - Math.abs(a.c.contribution) ||
        a.segment.dims.length - b.segment.dims.length ||
        order(a.segment, b.segment),
    );
  const chosen: typeof candidates = [];
  for (const cand of candidates) {
    if (chosen.length >= options.top) break;
    if (cand.c.contribution === 0) break;
    if (chosen.every((c) => disjoint(c.segment, cand.segment))) chosen.push(cand);
  }
  let rest = ZERO;
  for (const leaf of leaves) if (!chosen.some((c) => contains(c.segment, leaf))) rest = addSums(rest, leaf);
  const parts: BridgePart[] = chosen.map((c) => ({ segment: c.segment, sums: c.sums, ...c.c }));
  parts.push({ segment: null, sums: rest, ...contributionOf(kind, rest, whole) });
  const total = parts.reduce((a, p) => a + p.contribution, 0);
  const closureError = Math.abs(total - change) / (Math.abs(change) > 0 ? Math.abs(change) : 1);
  return { change, parts, closureError };
}

function order(a: Segment, b: Segment): number {
  const ka = JSON.stringify([a.dims, a.values]);
  const kb = JSON.stringify([b.dims, b.values]);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

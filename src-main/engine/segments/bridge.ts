import {
  contains,
  disjoint,
  ZERO,
  addSums,
  segmentAt,
  segmentTable,
  sumsAt,
  type Leaf,
  type MetricKind,
  type Segment,
  type Sums,
} from './cube';
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
 *
 * The candidates are taken biggest first from a heap rather than a sorted list: the greedy stops
 * after `top` picks, usually long before the last of the (up to hundreds of thousands) segments.
 */
export function segmentBridge(
  kind: MetricKind,
  leaves: readonly Leaf[],
  dimensions: number,
  options: { top: number; maxDepth: number },
): SegmentBridge {
  const whole = leaves.reduce<Sums>((a, l) => addSums(a, l), ZERO);
  const change = contributionOf(kind, whole, whole).contribution;
  const table = segmentTable(leaves, dimensions, options.maxDepth);
  const size = new Float64Array(table.count);
  for (let i = 0; i < table.count; i++) size[i] = Math.abs(contributionOf(kind, sumsAt(table, i), whole).contribution);
  const keys = new Map<number, string>();
  const key = (i: number) => {
    let k = keys.get(i);
    if (k === undefined) {
      const s = segmentAt(table, leaves, i);
      keys.set(i, (k = JSON.stringify([s.dims, s.values])));
    }
    return k;
  };
  // Biggest first; of equal size the more general, then a stable order by values.
  const before = (a: number, b: number) => {
    if (size[a] !== size[b]) return size[a]! > size[b]!;
    const da = table.sets[table.set[a]!]!.length;
    const db = table.sets[table.set[b]!]!.length;
    if (da !== db) return da < db;
    return key(a) < key(b);
  };
  const heap = new MaxHeap(table.count, before);
  const chosen: { segment: Segment; sums: Sums; c: Contribution }[] = [];
  while (chosen.length < options.top && heap.size > 0) {
    const i = heap.pop();
    if (size[i] === 0) break;
    const segment = segmentAt(table, leaves, i);
    if (chosen.every((c) => disjoint(c.segment, segment))) {
      const sums = sumsAt(table, i);
      chosen.push({ segment, sums, c: contributionOf(kind, sums, whole) });
    }
  }
  let rest = ZERO;
  for (const leaf of leaves) if (!chosen.some((c) => contains(c.segment, leaf))) rest = addSums(rest, leaf);
  const parts: BridgePart[] = chosen.map((c) => ({ segment: c.segment, sums: c.sums, ...c.c }));
  parts.push({ segment: null, sums: rest, ...contributionOf(kind, rest, whole) });
  const total = parts.reduce((a, p) => a + p.contribution, 0);
  const closureError = Math.abs(total - change) / (Math.abs(change) > 0 ? Math.abs(change) : 1);
  return { change, parts, closureError };
}

/** A binary heap of the indices 0 … n−1, the first by `before` on top; built in linear time. */
class MaxHeap {
  private readonly items: Int32Array;
  size: number;

  constructor(
    n: number,
    private readonly before: (a: number, b: number) => boolean,
  ) {
    this.items = new Int32Array(n);
    for (let i = 0; i < n; i++) this.items[i] = i;
    this.size = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.down(i);
  }

  pop(): number {
    const top = this.items[0]!;
    this.size--;
    if (this.size > 0) {
      this.items[0] = this.items[this.size]!;
      this.down(0);
    }
    return top;
  }

  private down(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) return;
      const r = l + 1;
      const c = r < this.size && this.before(a[r]!, a[l]!) ? r : l;
      if (!this.before(a[c]!, a[i]!)) return;
      [a[c], a[i]] = [a[i]!, a[c]!];
      i = c;
    }
  }
}

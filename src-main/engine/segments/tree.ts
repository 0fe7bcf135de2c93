import { contains, type Leaf, type MetricKind, type Segment, type Sums, ZERO, addSums } from './cube';
import { contributionOf, type Contribution } from './contribution';

export interface TreeChild extends Contribution {
  value: string;
  sums: Sums;
  /** The child's contribution as a share of the whole's change (null when the whole did not change). */
  share: number | null;
}

/**
 * One level of the decomposition tree: a node (a segment; the empty segment is the whole) split
 * by one dimension it does not fix. The children cover the node exactly once, so their
 * contributions add up to the node's.
 */
export function splitNode(kind: MetricKind, leaves: readonly Leaf[], node: Segment, dimension: number): TreeChild[] {
  const whole = leaves.reduce<Sums>((a, l) => addSums(a, l), ZERO);
  const change = contributionOf(kind, whole, whole).contribution;
  const byValue = new Map<string, Sums>();
  for (const leaf of leaves) {
    if (!contains(node, leaf)) continue;
    const v = leaf.values[dimension]!;
    byValue.set(v, addSums(byValue.get(v) ?? ZERO, leaf));
  }
  return [...byValue.entries()]
    .map(([value, sums]) => {
      const c = contributionOf(kind, sums, whole);
      return { value, sums, ...c, share: change === 0 ? null : c.contribution / change };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** Every split of a node by a dimension it does not fix, with its children, the one whose widest child is widest first (what an "AI split" picks). */
export function rankedSplits(
  kind: MetricKind,
  leaves: readonly Leaf[],
  node: Segment,
  dimensions: number,
): { dimension: number; spread: number; children: TreeChild[] }[] {
  const out: { dimension: number; spread: number; children: TreeChild[] }[] = [];
  for (let d = 0; d < dimensions; d++) {
    if (node.dims.includes(d)) continue;
    const children = splitNode(kind, leaves, node, d);
    out.push({ dimension: d, spread: Math.max(0, ...children.map((c) => Math.abs(c.contribution))), children });
  }
  return out.sort((a, b) => b.spread - a.spread || a.dimension - b.dimension);
}

/** The dimensions a node can split by, ranked as rankedSplits ranks them. */
export function rankSplits(
  kind: MetricKind,
  leaves: readonly Leaf[],
  node: Segment,
  dimensions: number,
): { dimension: number; spread: number }[] {
  return rankedSplits(kind, leaves, node, dimensions).map(({ dimension, spread }) => ({ dimension, spread }));
}

/**
 * The cube of a segment analysis: one leaf per combination of the dimensions' values, with the
 * metric's numerator and denominator summed on each side of the change (base and current). Every
 * later step (segments, the bridge, the tree) is arithmetic on these leaves.
 *
 * The metric of a side is Σnum (an additive metric) or Σnum / Σden (a ratio of sums; a mean is
 * Σvalue / count). Values are the cells' text, so a code `2000` is never `2000.0`.
 */
export interface Leaf {
  values: readonly string[];
  num0: number;
  den0: number;
  num1: number;
  den1: number;
}

export type MetricKind = 'sum' | 'ratio';

/** A conjunction of dimension = value pairs, by dimension index (ascending). The empty segment is the whole table. */
export interface Segment {
  dims: readonly number[];
  values: readonly string[];
}

export interface Sums {
  num0: number;
  den0: number;
  num1: number;
  den1: number;
}

export const ZERO: Sums = { num0: 0, den0: 0, num1: 0, den1: 0 };

export function addSums(a: Sums, b: Sums): Sums {
  return { num0: a.num0 + b.num0, den0: a.den0 + b.den0, num1: a.num1 + b.num1, den1: a.den1 + b.den1 };
}

export function contains(segment: Segment, leaf: Leaf): boolean {
  return segment.dims.every((d, i) => leaf.values[d] === segment.values[i]);
}

/** Two segments share no leaf when they give one dimension two different values. */
export function disjoint(a: Segment, b: Segment): boolean {
  for (let i = 0; i < a.dims.length; i++) {
    const j = b.dims.indexOf(a.dims[i]!);
    if (j >= 0 && b.values[j] !== a.values[i]) return true;
  }
  return false;
}

/** A key that tells segments apart by their values (a value may hold any character). */
export const segmentKey = (s: Segment): string => JSON.stringify([s.dims, s.values]);

/** Sums the leaves in a segment. */
export function sumsOf(leaves: readonly Leaf[], segment: Segment): Sums {
  let s = ZERO;
  for (const leaf of leaves) if (contains(segment, leaf)) s = addSums(s, leaf);
  return s;
}

/**
 * Every segment of one to `maxDepth` dimensions that holds a leaf, with its sums: one pass over
 * the leaves per set of dimensions (7 dimensions at depth 3: 63 sets).
 */
export function allSegments(leaves: readonly Leaf[], dimensions: number, maxDepth: number): { segment: Segment; sums: Sums }[] {
  const sets: number[][] = [];
  const grow = (start: number, picked: number[]) => {
    if (picked.length > 0) sets.push(picked);
    if (picked.length === maxDepth) return;
    for (let d = start; d < dimensions; d++) grow(d + 1, [...picked, d]);
  };
  grow(0, []);
  const out: { segment: Segment; sums: Sums }[] = [];
  for (const dims of sets) {
    const bucket = new Map<string, { segment: Segment; sums: Sums }>();
    for (const leaf of leaves) {
      const values = dims.map((d) => leaf.values[d]!);
      const key = JSON.stringify(values);
      const found = bucket.get(key);
      if (found) found.sums = addSums(found.sums, leaf);
      else bucket.set(key, { segment: { dims, values }, sums: { num0: leaf.num0, den0: leaf.den0, num1: leaf.num1, den1: leaf.den1 } });
    }
    out.push(...bucket.values());
  }
  return out;
}

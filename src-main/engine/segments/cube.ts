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

/** The sets of one to `maxDepth` of the dimensions, in a fixed order ([0], [0, 1], [0, 1, 2], …, [1], …). */
export function dimensionSets(dimensions: number, maxDepth: number): number[][] {
  const sets: number[][] = [];
  const grow = (start: number, picked: number[]) => {
    if (picked.length > 0) sets.push(picked);
    if (picked.length === maxDepth) return;
    for (let d = start; d < dimensions; d++) grow(d + 1, [...picked, d]);
  };
  grow(0, []);
  return sets;
}

/**
 * Every segment of one to `maxDepth` dimensions that holds a leaf, in columns: the segment's set
 * of dimensions, one of its leaves (which gives its values) and its sums, summed in leaf order.
 * Values are told apart by a number per distinct value of a dimension, so a leaf costs a few
 * multiplications per set of dimensions rather than a string key.
 */
export interface SegmentTable {
  sets: number[][];
  count: number;
  /** Per segment: the index of its set in `sets`, and the first leaf it holds. */
  set: Int32Array;
  leaf: Int32Array;
  num0: Float64Array;
  den0: Float64Array;
  num1: Float64Array;
  den1: Float64Array;
}

export function segmentTable(leaves: readonly Leaf[], dimensions: number, maxDepth: number): SegmentTable {
  const sets = dimensionSets(dimensions, maxDepth);
  // Each dimension's values as numbers 0, 1, 2, … in order of appearance.
  const codes: Int32Array[] = [];
  const cardinality: number[] = [];
  for (let d = 0; d < dimensions; d++) {
    const ids = new Map<string, number>();
    const column = new Int32Array(leaves.length);
    for (let i = 0; i < leaves.length; i++) {
      const v = leaves[i]!.values[d]!;
      let id = ids.get(v);
      if (id === undefined) ids.set(v, (id = ids.size));
      column[i] = id;
    }
    codes.push(column);
    cardinality.push(Math.max(1, ids.size));
  }
  let capacity = Math.max(16, leaves.length);
  let set = new Int32Array(capacity);
  let leaf = new Int32Array(capacity);
  let [num0, den0, num1, den1] = [0, 1, 2, 3].map(() => new Float64Array(capacity)) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let count = 0;
  const grow = () => {
    capacity *= 2;
    const more = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a);
      return b;
    };
    set = more(set);
    leaf = more(leaf);
    [num0, den0, num1, den1] = [more(num0), more(den0), more(num1), more(den1)];
  };
  sets.forEach((dims, s) => {
    // A segment's key: its codes in mixed radix (exact below 2^53), else their text.
    const exact = dims.reduce((p, d) => p * cardinality[d]!, 1) < Number.MAX_SAFE_INTEGER;
    const index = new Map<number | string, number>();
    for (let i = 0; i < leaves.length; i++) {
      let key: number | string;
      if (exact) {
        key = 0;
        for (const d of dims) key = key * cardinality[d]! + codes[d]![i]!;
      } else key = dims.map((d) => codes[d]![i]!).join(',');
      const l = leaves[i]!;
      const at = index.get(key);
      if (at === undefined) {
        if (count === capacity) grow();
        index.set(key, count);
        set[count] = s;
        leaf[count] = i;
        num0[count] = l.num0;
        den0[count] = l.den0;
        num1[count] = l.num1;
        den1[count] = l.den1;
        count++;
      } else {
        num0[at] = num0[at]! + l.num0;
        den0[at] = den0[at]! + l.den0;
        num1[at] = num1[at]! + l.num1;
        den1[at] = den1[at]! + l.den1;
      }
    }
  });
  return { sets, count, set, leaf, num0, den0, num1, den1 };
}

/** Segment i of a table, with its values read from its first leaf. */
export function segmentAt(table: SegmentTable, leaves: readonly Leaf[], i: number): Segment {
  const dims = table.sets[table.set[i]!]!;
  const values = leaves[table.leaf[i]!]!.values;
  return { dims, values: dims.map((d) => values[d]!) };
}

export const sumsAt = (table: SegmentTable, i: number): Sums => ({
  num0: table.num0[i]!,
  den0: table.den0[i]!,
  num1: table.num1[i]!,
  den1: table.den1[i]!,
});

/**
 * Every segment of one to `maxDepth` dimensions that holds a leaf, with its sums: by set of
 * dimensions (in dimensionSets' order), then in order of their first leaf.
 */
export function allSegments(leaves: readonly Leaf[], dimensions: number, maxDepth: number): { segment: Segment; sums: Sums }[] {
  const table = segmentTable(leaves, dimensions, maxDepth);
  const out: { segment: Segment; sums: Sums }[] = [];
  for (let i = 0; i < table.count; i++) out.push({ segment: segmentAt(table, leaves, i), sums: sumsAt(table, i) });
  return out;
}

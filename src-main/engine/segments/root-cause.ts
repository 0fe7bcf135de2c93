import { addSums, type Leaf, type MetricKind, type Segment, type Sums, ZERO } from './cube';
import { contributionOf } from './contribution';
import { leafSides, median, medianGrowth, noiseModel, noiseSd, type LeafSides, type NoiseModel } from './leaf-baseline';

/**
 * The root cause of a change: the smallest set of segments whose own behaviour explains it (the
 * question Adtributor, Squeeze and RiskLoc answer), found as follows.
 *
 * 1. Every leaf gets a baseline: its base value times the table's normal change (additive), or its
 *    old rate at its new volume times the normal change of rates (ratio). Its deviation is
 *    actual − baseline, with a noise that grows with the leaf's size (read from the data, robustly).
 * 2. A candidate segment "holds" a deviation when one factor on all its leaves (the ripple effect:
 *    each leaf moves in proportion to its size) fits their deviations. The fit's gain, in units of
 *    noise (a χ² with one degree of freedom), is largest for the most general segment whose leaves
 *    all moved alike: a parent whose children all moved beats each child; a pair that moved alone
 *    beats its parents, whose other leaves did not move.
 * 3. Greedily, the segment with the largest gain becomes a cause and its leaves are explained
 *    (the causes' factors are refitted together; they multiply where causes overlap), until no
 *    segment's gain stands out from noise at 1% over all the segments searched (Bonferroni), so
 *    the threshold grows with the search and needs no tuning. The gain is first divided by how
 *    much the segments that share no leaf with it exceed pure noise (genomic control), and one
 *    leaf counts for at most 4 noise units, so heavy-tailed noise does not make outliers causes.
 *    A cause never contains another.
 * 4. The normal change is the change of the rest of the table (the leaves in no cause), found by
 *    settling from two starts: no change at all, and the median leaf growth. The answer with fewer
 *    causes wins (then the one that explains more of the change): a table that moved alike
 *    everywhere has no cause, and a planted change that holds most of the table is still the cause,
 *    not the untouched rest.
 */
export interface RootCause {
  segment: Segment;
  /** The segment's exact contribution to the whole's change (rate and mix for a ratio). */
  contribution: number;
  /** contribution / the whole's change; null when the whole did not change. */
  share: number | null;
  /** The part of the table's departure from its baseline (in noise units) this cause accounts for, 0 to 1; the causes' powers add up to at most 1. */
  explanatoryPower: number;
  /** How far the segment's share of the metric moved from its expected share (Jensen–Shannon, as Adtributor). */
  surprise: number;
  /** 1 − the chance that noise alone shows a deviation this large in any of the segments searched. */
  confidence: number;
}

/** A cause must stand out from noise at this level over every segment searched. */
const FAMILY_ERROR = 0.01;
const MAX_CAUSES = 20;
/** The most noise units one leaf's deviation counts for. */
const LEAF_CAP = 4;
const SETTLE_ROUNDS = 4;

export function findRootCauses(
  kind: MetricKind,
  leaves: readonly Leaf[],
  dimensions: number,
  options: { maxDepth?: number } = {},
): RootCause[] {
  const maxDepth = Math.min(options.maxDepth ?? 3, dimensions);
  if (leaves.length === 0 || maxDepth < 1) return [];
  const cube = indexSegments(leaves, dimensions, maxDepth);
  const sides = leafSides(kind, leaves);
  const whole = leaves.reduce<Sums>((a, l) => addSums(a, l), ZERO);
  const change = contributionOf(kind, whole, whole).contribution;
  const explained = (s: Search) =>
    Math.abs(s.causes.reduce((a, c) => a + contributionOf(kind, sumsIn(cube, leaves, c.id), whole).contribution, 0));

  // Settle from no change at all and from the median leaf growth; fewer causes win, then more of the change explained.
  const fromNoChange = settle(cube, sides, 1);
  const fromMedian = settle(cube, sides, medianGrowth(sides));
  const best =
    fromMedian.causes.length < fromNoChange.causes.length ||
    (fromMedian.causes.length === fromNoChange.causes.length && explained(fromMedian) > explained(fromNoChange) * (1 + 1e-9))
      ? fromMedian
      : fromNoChange;

  const totals = { actual: 0, expected: 0 };
  for (let i = 0; i < leaves.length; i++) {
    totals.actual += sides.actual[i]!;
    totals.expected += best.growth * sides.base[i]!;
  }
  return best.causes
    .map((c): RootCause => {
      const sums = sumsIn(cube, leaves, c.id);
      const contribution = contributionOf(kind, sums, whole).contribution;
      let actual = 0;
      let expected = 0;
      forLeaves(cube, c.id, (i) => {
        actual += sides.actual[i]!;
        expected += best.growth * sides.base[i]!;
      });
      return {
        segment: segmentOf(cube, leaves, c.id),
        contribution,
        share: change === 0 ? null : contribution / change,
        explanatoryPower: c.power,
        surprise: jensenShannon(share(expected, totals.expected), share(actual, totals.actual)),
        confidence: 1 - Math.min(1, cube.count * 2 * upperTail(Math.sqrt(c.gain))),
      };
    })
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

// ---------------------------------------------------------------------------------------------
// The segments, indexed once: for each set of dimensions, which segment each leaf falls in.

interface SegmentIndex {
  sets: number[][];
  /** member[set][leaf] = the segment's id. */
  member: Int32Array[];
  /** Per segment: its set and one of its leaves (which gives its values). */
  setOf: Int32Array;
  leafOf: Int32Array;
  count: number;
  /** codes[d][leaf]: the leaf's value of dimension d as an integer. */
  codes: Int32Array[];
  /** subset[a][b]: set a's dimensions are all in set b. */
  subset: boolean[][];
}

function indexSegments(leaves: readonly Leaf[], dimensions: number, maxDepth: number): SegmentIndex {
  const codes = Array.from({ length: dimensions }, (_, d) => {
    const seen = new Map<string, number>();
    const out = new Int32Array(leaves.length);
    leaves.forEach((l, i) => {
      const v = l.values[d]!;
      let c = seen.get(v);
      if (c === undefined) seen.set(v, (c = seen.size));
      out[i] = c;
    });
    return out;
  });
  const sets: number[][] = [];
  const grow = (start: number, picked: number[]) => {
    if (picked.length > 0) sets.push(picked);
    if (picked.length === maxDepth) return;
    for (let d = start; d < dimensions; d++) grow(d + 1, [...picked, d]);
  };
  grow(0, []);
  // Shallow sets first, so that of two segments with the same leaves the more general is met first.
  sets.sort((a, b) => a.length - b.length);
  const setOf: number[] = [];
  const leafOf: number[] = [];
  const member = sets.map((dims, k) => {
    const ids = new Map<string, number>();
    const out = new Int32Array(leaves.length);
    for (let i = 0; i < leaves.length; i++) {
      const key = dims.map((d) => codes[d]![i]).join(',');
      let id = ids.get(key);
      if (id === undefined) {
        id = setOf.length;
        ids.set(key, id);
        setOf.push(k);
        leafOf.push(i);
      }
      out[i] = id;
    }
    return out;
  });
  const subset = sets.map((a) => sets.map((b) => a.every((d) => b.includes(d))));
  return { sets, member, setOf: Int32Array.from(setOf), leafOf: Int32Array.from(leafOf), count: setOf.length, codes, subset };
}

function forLeaves(cube: SegmentIndex, id: number, visit: (leaf: number) => void): void {
  const mem = cube.member[cube.setOf[id]!]!;
  for (let i = 0; i < mem.length; i++) if (mem[i] === id) visit(i);
}

function sumsIn(cube: SegmentIndex, leaves: readonly Leaf[], id: number): Sums {
  let s = ZERO;
  forLeaves(cube, id, (i) => (s = addSums(s, leaves[i]!)));
  return s;
}

function segmentOf(cube: SegmentIndex, leaves: readonly Leaf[], id: number): Segment {
  const dims = cube.sets[cube.setOf[id]!]!;
  const leaf = leaves[cube.leafOf[id]!]!;
  return { dims, values: dims.map((d) => leaf.values[d]!) };
}

/** Segment a contains segment b (a's pairs are all in b). */
function containsSegment(cube: SegmentIndex, a: number, b: number): boolean {
  const sa = cube.setOf[a]!;
  if (!cube.subset[sa]![cube.setOf[b]!]) return false;
  const la = cube.leafOf[a]!;
  const lb = cube.leafOf[b]!;
  return cube.sets[sa]!.every((d) => cube.codes[d]![la] === cube.codes[d]![lb]);
}

// ---------------------------------------------------------------------------------------------
// The search.

interface Search {
  growth: number;
  /** gain: the χ² of the segment's fit when it was chosen; power: the share of the table's χ² it removed. */
  causes: { id: number; gain: number; power: number }[];
  /** The table's whole departure from its baseline, in noise units (Σ deviation² / noise²). */
  chi2: number;
  noise: NoiseModel;
}

/** Finds the causes, then re-reads the normal change from the rest of the table until the causes stay the same. */
function settle(cube: SegmentIndex, sides: LeafSides, start: number): Search {
  const n = sides.base.length;
  let inCause = new Uint8Array(n);
  let found = search(cube, sides, start, inCause);
  for (let round = 1; round < SETTLE_ROUNDS; round++) {
    const next = new Uint8Array(n);
    for (const c of found.causes) forLeaves(cube, c.id, (i) => (next[i] = 1));
    if (round > 1 && next.every((v, i) => v === inCause[i])) break;
    const growth = fitGrowth(sides, next, found.noise, found.growth);
    if (growth === null) break;
    inCause = next;
    found = search(cube, sides, growth, inCause);
  }
  return found;
}

/** Huber's tuning constant: full weight within 1.345 noise units, less beyond (95% efficient under normal noise). */
const HUBER = 1.345;

/**
 * The table's normal change, fitted on the leaves in no cause (and on both sides) the way the noise
 * model weighs them: g = Σ w·actual / Σ w·base, each leaf weighted by its size over its noise
 * variance (size^(1 − 2·power)), and by Huber's weights so that a cause not found yet does not pull
 * it. With count noise (power ½) it is the plain ratio of sums; with relative noise (power 1) every
 * leaf counts alike, where a plain ratio of sums would let the few largest leaves set it and their
 * draw would then look like a small shift of every other leaf: a false cause in every large
 * segment. The size is read from both sides alike, so a noisy base side does not bias it (a
 * least-squares slope on the base would shrink toward zero). Null when no leaf is left to fit it on.
 */
function fitGrowth(sides: LeafSides, exclude: Uint8Array, noise: NoiseModel, start: number): number | null {
  let g = start;
  for (let round = 0; round < 6; round++) {
    let wa = 0;
    let wb = 0;
    for (let i = 0; i < sides.base.length; i++) {
      const a = sides.actual[i]!;
      const b = sides.base[i]!;
      if (exclude[i] || sides.oneSided[i] || b <= 0) continue;
      const size = (Math.abs(a) + g * b) / 2;
      const sd = noiseSd(noise, size);
      const z = Math.abs(a - g * b) / sd;
      const w = ((z <= HUBER ? 1 : HUBER / z) * size) / (sd * sd);
      wa += w * a;
      wb += w * b;
    }
    if (wb <= 0 || wa < 0) return null;
    const next = wa / wb;
    const done = Math.abs(next - g) <= 1e-9 * g;
    g = next;
    if (done) break;
  }
  return g;
}

function search(cube: SegmentIndex, sides: LeafSides, growth: number, inCause: Uint8Array): Search {
  const n = sides.base.length;
  const actual = sides.actual;
  const expected = new Float64Array(n);
  const residual = new Float64Array(n);
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    expected[i] = growth * sides.base[i]!;
    residual[i] = actual[i]! - expected[i]!;
    size[i] = (Math.abs(actual[i]!) + Math.abs(expected[i]!)) / 2;
  }
  const noise = noiseModel(residual, size, (i) => !inCause[i] && !sides.oneSided[i]);
  const model = new CauseModel(cube, actual, expected, noise, leafCaps(sides, size));
  const chi2 = model.chi2();
  const threshold = criticalZ(FAMILY_ERROR / cube.count) ** 2;
  const P = new Float64Array(cube.count);
  const Q = new Float64Array(cube.count);
  const causes: { id: number; gain: number; power: number }[] = [];
  while (causes.length < MAX_CAUSES) {
    // For each segment, the weighted least-squares fit of one more factor on its leaves' current predictions.
    P.fill(0);
    Q.fill(0);
    // Only leaves no cause explains yet count: what is left inside a cause (a move that is not the
    // same factor on every leaf, as a rate that cannot rise past 100%) is that cause's own shape,
    // not a further cause that overlaps it.
    for (const mem of cube.member)
      for (let i = 0; i < n; i++) {
        if (model.covered(i)) continue;
        const id = mem[i]!;
        P[id] = P[id]! + model.byResidual[i]!;
        Q[id] = Q[id]! + model.byShape[i]!;
      }
    let bestId = -1;
    let bestGain = 0;
    for (let id = 0; id < cube.count; id++) {
      if (Q[id]! <= 0) continue;
      const gain = (P[id]! * P[id]!) / Q[id]!;
      if (gain <= bestGain) continue;
      if (causes.some((c) => containsSegment(cube, c.id, id) || containsSegment(cube, id, c.id))) continue;
      bestId = id;
      bestGain = gain;
    }
    if (bestId < 0) break;
    bestGain /= nullInflation(cube, P, Q, bestId);
    if (bestGain < threshold) break;
    const before = model.chi2();
    model.add(bestId);
    causes.push({ id: bestId, gain: bestGain, power: chi2 > 0 ? Math.max(0, before - model.chi2()) / chi2 : 0 });
  }
  return { growth, causes, chi2, noise };
}

/**
 * The most noise units each leaf's deviation counts for. A leaf on both sides: LEAF_CAP. A leaf on
 * one side only (new or gone) departs from any baseline by its whole size, so its deviation says
 * only that it appeared or vanished, which a table's churn does by itself to a share p of its
 * leaves: such a leaf counts for the evidence of that event, √(−2 ln p) noise units (the deviation
 * whose χ² equals twice the log-likelihood ratio of "it churned because of a cause" over "by
 * chance"). A segment of a few random churned leaves then stays below the threshold, while a
 * segment whose leaves all vanished (a closed store, a retired version) still stands out.
 */
function leafCaps(sides: LeafSides, size: Float64Array): Float64Array {
  let present = 0;
  let churned = 0;
  for (let i = 0; i < size.length; i++)
    if (size[i]! > 0) {
      present++;
      churned += sides.oneSided[i]!;
    }
  const churnCap = churned === 0 ? LEAF_CAP : Math.min(LEAF_CAP, Math.sqrt(-2 * Math.log(churned / present)));
  return Float64Array.from(sides.oneSided, (one) => (one ? churnCap : LEAF_CAP));
}

/**
 * The leaves' predictions under a set of causes: a leaf's expected value times the factor of each
 * cause it is in (factors multiply where causes overlap), the factors fitted together. A leaf new on the current side (expected 0) is explained by any cause it is in.
 */
class CauseModel {
  readonly byResidual: Float64Array;
  readonly byShape: Float64Array;
  /** 1 / the noise variance of each leaf at its current prediction. */
  private readonly invVar: Float64Array;
  private readonly causes: { leaves: Int32Array; factor: number }[] = [];
  private readonly prediction: Float64Array;
  private readonly coveredBy: number[][];

  constructor(
    private readonly cube: SegmentIndex,
    private readonly actual: Float64Array,
    private readonly expected: Float64Array,
    private readonly noise: NoiseModel,
    private readonly cap: Float64Array,
  ) {
    const n = actual.length;
    this.invVar = new Float64Array(n);
    this.byResidual = new Float64Array(n);
    this.byShape = new Float64Array(n);
    this.prediction = Float64Array.from(expected);
    this.coveredBy = Array.from({ length: n }, () => []);
    for (let i = 0; i < n; i++) this.refresh(i);
  }

  covered(i: number): boolean {
    return this.coveredBy[i]!.length > 0;
  }

  /** Σ deviation² / noise², each leaf counting at most LEAF_CAP² (see `refresh`). */
  chi2(): number {
    let total = 0;
    for (let i = 0; i < this.actual.length; i++)
      total += Math.min(this.cap[i]! ** 2, (this.actual[i]! - this.prediction[i]!) ** 2 * this.invVar[i]!);
    return total;
  }

  add(id: number): void {
    const leaves: number[] = [];
    forLeaves(this.cube, id, (i) => leaves.push(i));
    const index = this.causes.length;
    this.causes.push({ leaves: Int32Array.from(leaves), factor: 1 });
    for (const i of leaves) this.coveredBy[i]!.push(index);
    for (let round = 0; round < 5; round++) for (let c = 0; c < this.causes.length; c++) this.refit(c);
    for (const cause of this.causes) for (const i of cause.leaves) this.refresh(i);
  }

  /**
   * The factor of one cause given the others': the ratio of its leaves' actual sum to their sum
   * predicted without it (the ripple effect). A ratio of sums stays unbiased when the base side is
   * as noisy as the current one, which a least-squares slope on the prediction would not.
   */
  private refit(c: number): void {
    const cause = this.causes[c]!;
    let actual = 0;
    let other = 0;
    for (const i of cause.leaves) {
      if (this.expected[i] === 0) continue;
      let o = this.expected[i]!;
      for (const k of this.coveredBy[i]!) if (k !== c) o *= this.causes[k]!.factor;
      actual += this.actual[i]!;
      other += o;
    }
    if (other !== 0) cause.factor = actual / other;
  }

  private refresh(i: number): void {
    const covered = this.coveredBy[i]!;
    let p = this.expected[i]!;
    if (p === 0 && covered.length > 0) p = this.actual[i]!;
    else for (const k of covered) p *= this.causes[k]!.factor;
    this.prediction[i] = p;
    // The size a further cause's change is spread by (the ripple effect), symmetric in the actual and
    // the prediction: a shape read from the noisy prediction alone would correlate with the deviation.
    // The leaf's noise grows with the same size: a leaf a cause made ten times larger is ten times
    // larger on the noise model's scale too, or its ordinary noise would look like a further cause.
    const shape = (Math.abs(this.actual[i]!) + Math.abs(p)) / 2;
    this.invVar[i] = shape > 0 ? 1 / noiseSd(this.noise, shape) ** 2 : 0;
    // A leaf's deviation counts at most LEAF_CAP noise units: one odd leaf is not a segment's
    // change (and heavy-tailed noise would otherwise make every outlier a cause).
    const sd = Math.sqrt(this.invVar[i]!);
    const z = Math.max(-this.cap[i]!, Math.min(this.cap[i]!, (this.actual[i]! - p) * sd));
    this.byResidual[i] = z * shape * sd;
    this.byShape[i] = shape * shape * this.invVar[i]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Small statistics.

const share = (part: number, total: number) => (total > 0 ? Math.min(1, Math.max(0, part / total)) : 0);

/** Adtributor's surprise: the Jensen–Shannon term of an expected share p and an actual share q. */
function jensenShannon(p: number, q: number): number {
  const m = (p + q) / 2;
  const term = (x: number) => (x > 0 ? x * Math.log(x / m) : 0);
  return 0.5 * (term(p) + term(q));
}

/**
 * How much the noise model understates the noise, read from the segments themselves (as the
 * "genomic control" of genome-wide tests): segments that share no leaf with the candidate should
 * mostly hold no cause, so their gains should follow a χ² with one degree of freedom, whose median
 * is 0.4549. A median above it means heavier noise than modelled, and the candidate's gain is
 * divided by the ratio (never multiplied: a table with too few segments to tell keeps the model).
 */
function nullInflation(cube: SegmentIndex, P: Float64Array, Q: Float64Array, candidate: number): number {
  const dims = cube.sets[cube.setOf[candidate]!]!;
  const leaf = cube.leafOf[candidate]!;
  const stride = Math.max(1, Math.floor(P.length / 20000));
  const gains: number[] = [];
  for (let id = 0; id < P.length; id += stride) {
    if (Q[id]! <= 0) continue;
    const other = cube.leafOf[id]!;
    const otherDims = cube.sets[cube.setOf[id]!]!;
    if (!dims.some((d) => otherDims.includes(d) && cube.codes[d]![other] !== cube.codes[d]![leaf])) continue;
    gains.push((P[id]! * P[id]!) / Q[id]!);
  }
  if (gains.length < 20) return 1;
  return Math.max(1, median(gains) / 0.4549);
}

/** P(Z > z) for a standard normal Z (erfc after Numerical Recipes, relative error < 1.2e-7). */
function upperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(-x * x + poly);
  return (x >= 0 ? erfc : 2 - erfc) / 2;
}

/** The z whose two-sided tail is `p`. */
function criticalZ(p: number): number {
  let lo = 0;
  let hi = 40;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (2 * upperTail(mid) > p) lo = mid;
    else hi = mid;
  }
  return hi;
}

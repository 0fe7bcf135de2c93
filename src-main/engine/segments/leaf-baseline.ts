import type { Leaf, MetricKind } from './cube';

/**
 * What the root-cause search compares on each leaf: its current value (`actual`) and its base
 * value restated for the current side (`base`), before the table's normal change is applied.
 *
 * Additive metric: actual = the current sum, base = the base sum.
 * Ratio of sums: actual = the current numerator, base = the current denominator times the leaf's
 * base ratio, i.e. the numerator the leaf would have had at its old rate with its new volume. A
 * leaf's base ratio is shrunk toward the table's by one event (`num0 + 1) / (den0 + 1/R₀)`, at
 * most the weight of a typical leaf), so a leaf seen 3 times with no failure is not "a rate of 0".
 */
export interface LeafSides {
  actual: Float64Array;
  base: Float64Array;
  /** 1: the leaf's rows are on the current side only (new) or the base side only (gone). */
  oneSided: Uint8Array;
}

export function leafSides(kind: MetricKind, leaves: readonly Leaf[]): LeafSides {
  const n = leaves.length;
  const actual = new Float64Array(n);
  const base = new Float64Array(n);
  const oneSided = Uint8Array.from(leaves, (l) => ((l.den0 === 0) !== (l.den1 === 0) ? 1 : 0));
  if (kind === 'sum') {
    leaves.forEach((l, i) => {
      actual[i] = l.num1;
      base[i] = l.num0;
    });
    return { actual, base, oneSided };
  }
  let num0 = 0;
  let den0 = 0;
  for (const l of leaves) {
    num0 += l.num0;
    den0 += l.den0;
  }
  const R0 = den0 === 0 ? 0 : num0 / den0;
  const typicalDen = median(leaves.filter((l) => l.den0 > 0).map((l) => l.den0));
  // Pseudo-denominator worth one event at the table's rate, capped at a typical leaf's weight.
  const prior = R0 > 0 ? Math.min(1 / R0, typicalDen) : 0;
  leaves.forEach((l, i) => {
    const rate = prior > 0 ? (l.num0 + prior * R0) / (l.den0 + prior) : l.den0 !== 0 ? l.num0 / l.den0 : R0;
    actual[i] = l.den1 === 0 ? 0 : l.num1;
    base[i] = l.den1 === 0 ? 0 : l.den1 * rate;
  });
  return { actual, base, oneSided };
}

/**
 * The table's normal change: the median of the leaves' growth (actual / base), each leaf weighted
 * by its base. Planted changes in less than half of the table do not move it.
 */
export function medianGrowth(sides: LeafSides): number {
  const pairs: [number, number][] = [];
  for (let i = 0; i < sides.base.length; i++) {
    if (sides.oneSided[i]) continue;
    const b = sides.base[i]!;
    const a = sides.actual[i]!;
    if (b > 0 && a >= 0) pairs.push([a / b, b]);
  }
  return pairs.length === 0 ? 1 : weightedMedian(pairs);
}

/**
 * The noise of a leaf's deviation, as a standard deviation that grows with the leaf's size:
 * sd = scale · size^power. The power is read from the data (0.5 for counts, 1 for a relative
 * noise, in between for a mix), the scale from the lower quartile of the absolute deviations, so
 * that a planted change in up to three quarters of the leaves does not inflate it (the search
 * corrects a scale that comes out too small, see nullInflation in root-cause.ts). A floor of 0.1% of a typical leaf
 * keeps exact hand-made tables finite.
 */
export interface NoiseModel {
  scale: number;
  power: number;
}

/** The standard deviation of a leaf's deviation at a size. */
export function noiseSd(noise: NoiseModel, size: number): number {
  return noise.scale * size ** noise.power;
}

const FALLBACK_POWER = 0.75;

export function noiseModel(residual: Float64Array, size: Float64Array, use: (i: number) => boolean): NoiseModel {
  const pts: { s: number; r: number }[] = [];
  for (let i = 0; i < size.length; i++) if (size[i]! > 0 && use(i)) pts.push({ s: size[i]!, r: Math.abs(residual[i]!) });
  if (pts.length === 0) return { scale: 1, power: FALLBACK_POWER };
  const power = sizePower(pts);
  const typicalSize = median(pts.map((p) => p.s));
  const floor = 1e-3 * typicalSize ** (1 - power);
  // The lower quartile of |deviation| / size^power, over the quartile of |N(0, 1)| (0.3186): a
  // planted change in up to three quarters of the leaves does not move it. Read in each size bin
  // and the median taken: the smallest leaves are whole numbers (a count, a price in cents) that
  // often come out exactly equal on both sides, which alone would shrink one table-wide quartile.
  const scaled = pts.map((p) => ({ s: p.s, r: p.r / p.s ** power }));
  const bins = binned(scaled).map((part) =>
    quantile(
      part.map((p) => p.r),
      0.25,
    ),
  );
  const quartile =
    bins.length >= 3
      ? median(bins)
      : quantile(
          scaled.map((p) => p.r),
          0.25,
        );
  return { scale: Math.max(quartile / 0.3186, floor), power };
}

/** Up to ten bins of leaves of similar size, smallest first (eight leaves at least in each). */
function binned<T extends { s: number }>(pts: T[]): T[][] {
  const count = Math.min(10, Math.floor(pts.length / 8));
  const sorted = [...pts].sort((a, b) => a.s - b.s);
  return Array.from({ length: count }, (_, b) =>
    sorted.slice(Math.floor((b * sorted.length) / count), Math.floor(((b + 1) * sorted.length) / count)),
  );
}

/** The slope of log |deviation| on log size over size bins (medians in each), kept within [0.5, 1]. */
function sizePower(pts: { s: number; r: number }[]): number {
  const bins = binned(pts);
  if (bins.length < 3) return FALLBACK_POWER;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const part of bins) {
    const s = median(part.map((p) => p.s));
    const r = quantile(
      part.map((p) => p.r),
      0.25,
    );
    if (s > 0 && r > 0) {
      xs.push(Math.log(s));
      ys.push(Math.log(r));
    }
  }
  // Too few bins, or sizes too alike to read a slope: any power gives about the same noise.
  if (xs.length < 3 || Math.max(...xs) - Math.min(...xs) < Math.log(4)) return FALLBACK_POWER;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  return Math.min(1, Math.max(0.5, sxy / sxx));
}

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo]! + (at - lo) * (s[lo + 1]! - s[lo]!) : s[lo]!;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function weightedMedian(pairs: [number, number][]): number {
  pairs.sort((a, b) => a[0] - b[0]);
  const total = pairs.reduce((a, p) => a + p[1], 0);
  let acc = 0;
  for (const [v, w] of pairs) {
    acc += w;
    if (acc >= total / 2) return v;
  }
  return pairs[pairs.length - 1]![0];
}

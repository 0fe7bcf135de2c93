import type { MetricKind, Sums } from './cube';

/**
 * A part's contribution to the change of the whole, split exactly.
 *
 * Additive metric: the part's own change, current − base.
 *
 * Ratio of sums (R = N / D): with the part's share of the denominator w and its own ratio r on each
 * side, and R̄ the mean of the whole's two ratios,
 *   rate = w̄ · (r₁ − r₀)            (the part's own ratio moved, at its average share)
 *   mix  = (w₁ − w₀) · (r̄ − R̄)      (its share moved; gaining share at an above-average ratio raises R)
 *   contribution = rate + mix.
 * Over any set of parts that covers the whole exactly once, the contributions add up to R₁ − R₀:
 * Σ(w̄Δr + Δw·r̄) = Σ(w₁r₁ − w₀r₀) = R₁ − R₀ and ΣΔw = 0. A part present on one side only (new, gone)
 * is all mix: its share appears or disappears at its own ratio.
 */
export interface Contribution {
  /** The part's metric on each side (its sum, or its own ratio; null without a denominator). */
  base: number | null;
  current: number | null;
  contribution: number;
  rate: number;
  mix: number;
  /** Present on one side only. */
  status: 'both' | 'new' | 'gone' | 'none';
}

export function wholeValue(kind: MetricKind, s: Sums, side: 0 | 1): number | null {
  const num = side === 0 ? s.num0 : s.num1;
  const den = side === 0 ? s.den0 : s.den1;
  if (kind === 'sum') return num;
  return den === 0 ? null : num / den;
}

export function contributionOf(kind: MetricKind, part: Sums, whole: Sums): Contribution {
  const present0 = part.den0 !== 0;
  const present1 = part.den1 !== 0;
  const status = present0 && present1 ? 'both' : present1 ? 'new' : present0 ? 'gone' : 'none';
  if (kind === 'sum') {
    const change = part.num1 - part.num0;
    return { base: part.num0, current: part.num1, contribution: change, rate: 0, mix: 0, status };
  }
  const r0 = present0 ? part.num0 / part.den0 : null;
  const r1 = present1 ? part.num1 / part.den1 : null;
  const w0 = whole.den0 === 0 ? 0 : part.den0 / whole.den0;
  const w1 = whole.den1 === 0 ? 0 : part.den1 / whole.den1;
  const R0 = wholeValue(kind, whole, 0) ?? 0;
  const R1 = wholeValue(kind, whole, 1) ?? 0;
  const Rbar = whole.den0 === 0 ? R1 : whole.den1 === 0 ? R0 : (R0 + R1) / 2;
  // The part's term of each side's ratio (num / the whole's den), less its share change at the
  // average ratio: this form closes for every part, even one with numbers but no denominator.
  const term0 = whole.den0 === 0 ? 0 : part.num0 / whole.den0;
  const term1 = whole.den1 === 0 ? 0 : part.num1 / whole.den1;
  const contribution = term1 - term0 - Rbar * (w1 - w0);
  if (status === 'both') {
    const rate = ((w0 + w1) / 2) * (r1! - r0!);
    return { base: r0, current: r1, contribution, rate, mix: contribution - rate, status };
  }
  return { base: r0, current: r1, contribution, rate: 0, mix: contribution, status };
}

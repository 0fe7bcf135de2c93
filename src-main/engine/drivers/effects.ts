import type { DecompositionMethod, DriverContribution } from '../../../src-shared/artifacts/drivers';
import { inBothFrames, num, type FrameSums } from './aggregate';
import { mixRateBridge, type Bridge, type BridgeCell } from './bridge';
import { lmdi, seedShares, shapley } from './decompose';
import { isRateLike } from './names';
import type { FramePass } from './plan';

/**
 * Decomposition: the metric's change split among the drivers (the effects), the residual that
 * closes the books, and the mix/rate bridge. Pure arithmetic on the frame sums.
 */

export interface ChangeSplit {
  drivers: DriverContribution[];
  explainedAmount: number;
  explainedPct: number;
  residualAmount: number;
  residualPct: number;
  /** The residual's parts; they add up to residualAmount. */
  parts: { name: string; amount: number }[];
  /** Why another method than the one asked for was used, or null. */
  warning: string | null;
}

export const pct = (part: number, whole: number): number => (whole === 0 ? 0 : (part * 100) / Math.abs(whole));

export function splitChange(
  method: DecompositionMethod,
  pass: Pick<FramePass, 'form' | 'terms' | 'chain' | 'by' | 'perSegment'>,
  sums: FrameSums,
): ChangeSplit {
  if (pass.form === 'sum') return sumSplit(pass, sums);
  return method === 'seed' ? seedSplit(pass, sums) : exactSplit(method, pass, sums);
}

/**
 * A sum (revenue = online + store): each term's change, summed over the rows the identity prices,
 * is its exact contribution, the same under every method (no interaction to share out).
 */
function sumSplit({ terms, by, perSegment }: Pick<FramePass, 'terms' | 'by' | 'perSegment'>, sums: FrameSums): ChangeSplit {
  const { base: B, next: N } = sums;
  const drivers: DriverContribution[] = terms.map((t, i) => {
    const amount = t.power * (num(N, `x${i}`) - num(B, `x${i}`));
    return {
      name: t.column,
      base: num(B, `x${i}`),
      new: num(N, `x${i}`),
      aggregation: 'sum',
      contrib_pct: pct(amount, num(sums.allBase, 'y_total')),
      contrib_amount: amount,
    };
  });
  return closeBooks(drivers, { by, perSegment }, sums, null);
}

/** The seed: the identity applied to aggregates (sums, or means for rate-like names). */
function seedSplit({ terms }: Pick<FramePass, 'terms'>, sums: FrameSums): ChangeSplit {
  const { base: B, next: N } = sums;
  const yBase = num(sums.allBase, 'y_total');
  const change = num(sums.allNew, 'y_total') - yBase;
  const aggBase = terms.map((_, i) => num(B, `seed${i}`));
  const aggNew = terms.map((_, i) => num(N, `seed${i}`));
  const model = (xs: number[]) => xs.reduce((acc, x, i) => acc * x ** terms[i]!.power, 1);
  const [mBase, mNew] = [model(aggBase), model(aggNew)];
  const explainedPct = pct(mNew - mBase, mBase);
  const shares = seedShares(
    aggBase,
    aggNew,
    terms.map((t) => t.power),
    explainedPct,
  );
  const drivers: DriverContribution[] = terms.map((t, i) => ({
    name: t.column,
    base: aggBase[i]!,
    new: aggNew[i]!,
    aggregation: isRateLike(t.column) ? 'mean' : 'sum',
    contrib_pct: shares[i]!,
    contrib_amount: (shares[i]! * Math.abs(mBase)) / 100,
  }));
  const explainedAmount = mNew - mBase;
  const residualAmount = change - explainedAmount;
  const residualPct = pct(change, yBase) - explainedPct;
  return {
    drivers,
    explainedAmount,
    explainedPct,
    residualAmount,
    residualPct,
    parts: [{ name: 'identity on aggregates', amount: residualAmount }],
    warning: null,
  };
}

/** LMDI or Shapley on the chain's factors, from the partial sums of the rows the identity prices. */
function exactSplit(
  method: DecompositionMethod,
  { chain, by, perSegment }: Pick<FramePass, 'chain' | 'by' | 'perSegment'>,
  sums: FrameSums,
): ChangeSplit {
  const { base: B, next: N } = sums;
  const yBase = num(sums.allBase, 'y_total');
  const sBase = chain.map((_, j) => num(B, `s${j}`));
  const sNew = chain.map((_, j) => num(N, `s${j}`));
  const factor = (s: number[], j: number) => (j === 0 ? s[0]! : s[j - 1] === 0 ? Number.NaN : s[j]! / s[j - 1]!);
  const xBase = chain.map((_, j) => factor(sBase, j));
  const xNew = chain.map((_, j) => factor(sNew, j));
  const ones = chain.map(() => 1);
  let warning: string | null = null;
  let contributions = method === 'lmdi' ? lmdi(xBase, xNew, ones) : null;
  if (method === 'lmdi' && contributions === null) {
    warning = 'LMDI needs every driver aggregate to be positive in both frames; Shapley was used instead.';
  }
  if (contributions === null) {
    contributions = [...xBase, ...xNew].some((v) => !Number.isFinite(v))
      ? chain.map((_, j) => (j === chain.length - 1 ? num(N, 'yhat') - num(B, 'yhat') : 0))
      : shapley(xBase, xNew, ones);
  }
  const drivers: DriverContribution[] = chain.map((t, j) => ({
    name: t.column,
    base: t.power === 1 ? xBase[j]! : 1 / xBase[j]!,
    new: t.power === 1 ? xNew[j]! : 1 / xNew[j]!,
    aggregation: j === 0 ? 'sum' : 'weighted',
    contrib_pct: pct(contributions[j]!, yBase),
    contrib_amount: contributions[j]!,
  }));
  return closeBooks(drivers, { by, perSegment }, sums, warning);
}

/** The explained change (the drivers' contributions) and the residual's named parts, which close the books on the actual change. */
function closeBooks(
  drivers: DriverContribution[],
  { by, perSegment }: Pick<FramePass, 'by' | 'perSegment'>,
  sums: FrameSums,
  warning: string | null,
): ChangeSplit {
  const { base: B, next: N } = sums;
  const yBase = num(sums.allBase, 'y_total');
  const change = num(sums.allNew, 'y_total') - yBase;
  const explainedAmount = drivers.reduce((a, d) => a + d.contrib_amount, 0);
  const explainedPct = pct(explainedAmount, yBase);
  const misfit = num(N, 'y_fit') - num(N, 'yhat') - (num(B, 'y_fit') - num(B, 'yhat'));
  const outside = num(N, 'y_outside') - num(B, 'y_outside');
  const parts = [
    { name: 'identity misfit', amount: misfit },
    { name: 'rows the identity cannot price (a driver missing or a divisor of 0)', amount: outside },
    ...(perSegment ? [{ name: `new or gone ${by} segments (in one frame only)`, amount: sums.newOrGone }] : []),
  ];
  // Rounding of the sums leaves at most a few ulps; fold them into the misfit so the books close.
  const residualAmount = change - explainedAmount;
  parts[0]!.amount += residualAmount - parts.reduce((a, p) => a + p.amount, 0);
  return { drivers, explainedAmount, explainedPct, residualAmount, residualPct: pct(residualAmount, yBase), parts, warning };
}

/**
 * The mix/rate bridge by the bridge dimension: from the frame sums of the segments in both frames
 * (volume + mix + rate = the explained change, segments in one frame only beside it), or, for the
 * seed, from `modelled` (see modelledBySegment). null without a dimension.
 */
export function segmentBridge(
  pass: Pick<FramePass, 'chain' | 'by' | 'perSegment'>,
  sums: FrameSums,
  modelled: BridgeCell[] | null,
): Bridge | null {
  if (pass.by === null) return null;
  const volumeDriver = pass.chain[0]!.column;
  if (!pass.perSegment) return mixRateBridge(modelled ?? [], pass.by, volumeDriver);
  const bridge = mixRateBridge(
    sums.rows
      .filter((r) => inBothFrames(sums, String(r.seg)))
      .map((r) => ({ segment: String(r.seg), side: r.fl_side as 'base' | 'new', volume: Number(r.s0), modelled: Number(r.yhat) })),
    pass.by,
    volumeDriver,
  );
  bridge.new_segments = [...sums.newSegments].filter((g) => !sums.baseSegments.has(g)).length;
  bridge.gone_segments = [...sums.baseSegments].filter((g) => !sums.newSegments.has(g)).length;
  bridge.new_or_gone_effect = sums.newOrGone;
  bridge.total += sums.newOrGone;
  return bridge;
}

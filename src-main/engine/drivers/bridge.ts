import type { Bridge, BridgeRow } from '../../../src-shared/artifacts/drivers';

/**
 * The mix/rate bridge (price-volume-mix) of a modelled change by one dimension: the modelled
 * metric is volume × rate within each segment; its change splits exactly into a volume effect
 * (total volume at the base average rate), a mix effect (volume moving between segments of
 * different rates), a rate effect (rates changing within segments), and segments that are new
 * or gone. Pure arithmetic on the per-segment sums that the scan returns.
 */
export interface BridgeCell {
  segment: string;
  side: 'base' | 'new';
  /** Volume: the first driver's sum. */
  volume: number;
  /** The modelled metric (Σ identity predictions). */
  modelled: number;
}

export type { Bridge, BridgeRow };

export function mixRateBridge(cells: BridgeCell[], dimension: string, volumeDriver: string): Bridge {
  const seg = new Map<string, { b?: BridgeCell; n?: BridgeCell }>();
  for (const c of cells) {
    const s = seg.get(c.segment) ?? {};
    if (c.side === 'base') s.b = c;
    else s.n = c;
    seg.set(c.segment, s);
  }
  const common = [...seg.entries()].filter(([, s]) => s.b && s.n && s.b.volume !== 0 && s.n.volume !== 0);
  const vb = common.reduce((a, [, s]) => a + s.b!.volume, 0);
  const vn = common.reduce((a, [, s]) => a + s.n!.volume, 0);
  const rbar = vb === 0 ? 0 : common.reduce((a, [, s]) => a + s.b!.modelled, 0) / vb;
  const rows: BridgeRow[] = [];
  for (const [segment, s] of [...seg.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const inCommon = common.some(([k]) => k === segment);
    const rb = s.b && s.b.volume !== 0 ? s.b.modelled / s.b.volume : null;
    const rn = s.n && s.n.volume !== 0 ? s.n.modelled / s.n.volume : null;
    let volume = 0;
    let mix = 0;
    let rate = 0;
    let newOrGone = 0;
    if (inCommon) {
      const wb = s.b!.volume / vb;
      const wn = s.n!.volume / vn;
      volume = (vn - vb) * wb * rb!;
      mix = vn * (wn - wb) * (rb! - rbar);
      rate = s.n!.volume * (rn! - rb!);
    } else {
      newOrGone = (s.n?.modelled ?? 0) - (s.b?.modelled ?? 0);
    }
    rows.push({
      segment,
      base_volume: s.b?.volume ?? 0,
      new_volume: s.n?.volume ?? 0,
      base_rate: rb,
      new_rate: rn,
      volume_effect: volume,
      mix_effect: mix,
      rate_effect: rate,
      new_or_gone: newOrGone,
      total: volume + mix + rate + newOrGone,
    });
  }
  const sum = (k: keyof BridgeRow) => rows.reduce((a, r) => a + (r[k] as number), 0);
  const rnbar = vn === 0 ? 0 : common.reduce((a, [, s]) => a + s.n!.modelled, 0) / vn;
  // Simpson: the overall rate moves one way while segments holding most base volume move the other.
  let warning: string | null = null;
  const overall = Math.sign(rnbar - rbar);
  if (overall !== 0 && common.length >= 2) {
    const against = common
      .filter(([, s]) => Math.sign(s.n!.modelled / s.n!.volume - s.b!.modelled / s.b!.volume) === -overall)
      .reduce((a, [, s]) => a + s.b!.volume, 0);
    if (vb > 0 && against / vb > 0.5) {
      warning = `Simpson's paradox: the overall rate per ${volumeDriver} went ${overall > 0 ? 'up' : 'down'}, yet it went ${overall > 0 ? 'down' : 'up'} in segments of ${dimension} holding ${((against / vb) * 100).toFixed(0)}% of the base ${volumeDriver}; the mix shifted.`;
    }
  }
  return {
    dimension,
    volume_driver: volumeDriver,
    base_rate: rbar,
    new_rate: rnbar,
    volume_effect: sum('volume_effect'),
    mix_effect: sum('mix_effect'),
    rate_effect: sum('rate_effect'),
    new_segments: rows.filter((r) => r.base_volume === 0 && r.new_volume !== 0).length,
    gone_segments: rows.filter((r) => r.new_volume === 0 && r.base_volume !== 0).length,
    new_or_gone_effect: sum('new_or_gone'),
    total: sum('total'),
    rows,
    warning,
  };
}

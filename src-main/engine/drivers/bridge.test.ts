import { describe, expect, it } from 'vitest';
import { mixRateBridge, type BridgeCell } from './bridge';

const cell = (segment: string, side: 'base' | 'new', volume: number, rate: number): BridgeCell => ({
  segment,
  side,
  volume,
  modelled: volume * rate,
});

describe('mix/rate bridge', () => {
  it('splits a hand-computed change into volume, mix and rate, exactly', () => {
    // A: 100 units at 10 -> 150 at 11; B: 100 at 20 -> 50 at 20. Modelled 3000 -> 2650.
    const b = mixRateBridge(
      [cell('A', 'base', 100, 10), cell('A', 'new', 150, 11), cell('B', 'base', 100, 20), cell('B', 'new', 50, 20)],
      'region',
      'units',
    );
    expect(b.base_rate).toBe(15);
    // Volume unchanged (200 -> 200): no volume effect. Mix: 200·[(0.75-0.5)(10-15) + (0.25-0.5)(20-15)] = -500. Rate: 150·1 = +150.
    expect(b.volume_effect).toBeCloseTo(0, 10);
    expect(b.mix_effect).toBeCloseTo(-500, 10);
    expect(b.rate_effect).toBeCloseTo(150, 10);
    expect(b.total).toBeCloseTo(2650 - 3000, 10);
    // The overall rate fell (15 -> 13.25) while A's rose and B's held: no majority against it.
    expect(b.warning).toBeNull();
  });

  it('new and gone segments carry their whole value', () => {
    const b = mixRateBridge(
      [cell('A', 'base', 10, 5), cell('A', 'new', 12, 5), cell('Old', 'base', 4, 3), cell('Fresh', 'new', 2, 7)],
      'sku',
      'units',
    );
    expect(b.new_segments).toBe(1);
    expect(b.gone_segments).toBe(1);
    expect(b.new_or_gone_effect).toBeCloseTo(14 - 12, 10);
    expect(b.total).toBeCloseTo(12 * 5 + 14 - (50 + 12), 10);
  });

  it("warns of Simpson's paradox when every segment's rate rises but the overall rate falls", () => {
    // Conversion up in both segments, but traffic moves to the low-converting one.
    const b = mixRateBridge(
      [
        cell('search', 'base', 900, 0.1),
        cell('search', 'new', 100, 0.11),
        cell('social', 'base', 100, 0.01),
        cell('social', 'new', 900, 0.02),
      ],
      'channel',
      'sessions',
    );
    expect(b.new_rate).toBeLessThan(b.base_rate);
    expect(b.warning).toBe(
      "Simpson's paradox: the overall rate per sessions went down, yet it went up in segments of channel holding 100% of the base sessions; the mix shifted.",
    );
    expect(b.volume_effect + b.mix_effect + b.rate_effect).toBeCloseTo(100 * 0.11 + 900 * 0.02 - (90 + 1), 10);
  });
});

import { describe, expect, it } from 'vitest';
import { ProgressRate, RunProgress, rowsReadText, secondsLeft, timeLeftText } from './time-left';

describe('time left from the rate of progress', () => {
  it('gives nothing until the samples span 3 s', () => {
    const rate = new ProgressRate();
    rate.add(0, 0.1);
    rate.add(1000, 0.15);
    rate.add(2900, 0.2);
    expect(rate.perSecond()).toBeNull();
    expect(secondsLeft(rate, 0.2)).toBeNull();
  });

  it('measures 0.05 per second over 3 s: 0.75 left takes 15 s', () => {
    const rate = new ProgressRate();
    // 0.1 at 0 s, 0.25 at 3 s: (0.25 - 0.1) / 3 = 0.05 per second; (1 - 0.25) / 0.05 = 15.
    for (const [at, f] of [
      [0, 0.1],
      [1000, 0.15],
      [2000, 0.2],
      [3000, 0.25],
    ] as const)
      rate.add(at, f);
    expect(rate.perSecond()).toBeCloseTo(0.05, 10);
    expect(secondsLeft(rate, 0.25)).toBeCloseTo(15, 10);
  });

  it('measures over the last 10 s only, so a slow start stops counting', () => {
    const rate = new ProgressRate();
    // Slow (0.01/s) for 10 s, then fast (0.04/s) for 10 s.
    for (let s = 0; s <= 10; s++) rate.add(s * 1000, 0.01 * s);
    for (let s = 11; s <= 20; s++) rate.add(s * 1000, 0.1 + 0.04 * (s - 10));
    // Window: 10 s to 20 s, 0.1 to 0.5: 0.04 per second; (1 - 0.5) / 0.04 = 12.5 s.
    expect(rate.perSecond()).toBeCloseTo(0.04, 10);
    expect(secondsLeft(rate, 0.5)).toBeCloseTo(12.5, 10);
  });

  it('starts over when the fraction goes back (a scan run again)', () => {
    const rate = new ProgressRate();
    rate.add(0, 0.2);
    rate.add(4000, 0.6);
    expect(rate.perSecond()).toBeCloseTo(0.1, 10);
    rate.add(5000, 0.1);
    expect(rate.perSecond()).toBeNull();
  });

  it('gives no rate when nothing moved', () => {
    const rate = new ProgressRate();
    rate.add(0, 0.3);
    rate.add(5000, 0.3);
    expect(rate.perSecond()).toBeNull();
  });

  it('says the time in seconds, minutes or hours', () => {
    expect(timeLeftText(0.2)).toBe('about 1 s left');
    expect(timeLeftText(12.4)).toBe('about 12 s left');
    expect(timeLeftText(59.4)).toBe('about 59 s left');
    expect(timeLeftText(59.6)).toBe('about 1 min left');
    expect(timeLeftText(150)).toBe('about 3 min left');
    expect(timeLeftText(7200)).toBe('about 2 h left');
  });

  it('says rows read, with their rate once there is one', () => {
    expect(rowsReadText(1, null)).toBe('1 row read');
    expect(rowsReadText(1234567, null)).toBe('1,234,567 rows read');
    expect(rowsReadText(1234567, 250000.4)).toBe('1,234,567 rows read · 250,000 rows/s');
  });

  it("tells a run's percent and time left, or its rows and their rate", () => {
    const run = new RunProgress();
    expect(run.report(0, 0.1)).toEqual({ percent: 10, detail: '' });
    expect(run.report(2000, 0.3)).toEqual({ percent: 30, detail: '' });
    // 0.1 to 0.4 in 3 s: 0.1 per second; 0.6 left: 6 s.
    expect(run.report(3000, 0.4)).toEqual({ percent: 40, detail: 'about 6 s left' });
    expect(run.report(3500, 1)).toEqual({ percent: 100, detail: '' });

    const pg = new RunProgress();
    expect(pg.report(0, 0.1, 0)).toEqual({ percent: null, detail: '0 rows read' });
    // 600,000 rows in 3 s: 200,000 rows/s.
    expect(pg.report(3000, 0.1, 600000)).toEqual({ percent: null, detail: '600,000 rows read · 200,000 rows/s' });
  });
});

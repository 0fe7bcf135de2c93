/**
 * How far a run has gone, told to a person: the time left from the rate of progress, and rows
 * read with their rate when the total is not known. The rate is measured over the last few
 * seconds (a sliding window), so a slow start or a pause does not swing the estimate, and
 * nothing is estimated until a few seconds of progress exist.
 */

export interface RateOptions {
  /** The rate is measured over this much of the latest progress (default 10 s). */
  windowMs?: number;
  /** No rate until the samples span this long (default 3 s). */
  minSpanMs?: number;
}

interface Sample {
  at: number;
  value: number;
}

/** The rate at which a count (a fraction done, rows read) grows, over a sliding window of samples. */
export class ProgressRate {
  private samples: Sample[] = [];
  private readonly windowMs: number;
  private readonly minSpanMs: number;

  constructor(options: RateOptions = {}) {
    this.windowMs = options.windowMs ?? 10_000;
    this.minSpanMs = options.minSpanMs ?? 3_000;
  }

  /** Records the value at a time (ms); a value lower than the last one starts over (a new scan). */
  add(at: number, value: number): void {
    const last = this.samples.at(-1);
    if (last && (value < last.value || at < last.at)) this.samples = [];
    this.samples.push({ at, value });
    // Keep the newest sample at or before the window's start, so the window is always covered.
    while (this.samples.length > 2 && this.samples[1]!.at <= at - this.windowMs) this.samples.shift();
  }

  /** Growth per second over the window; null until the samples span minSpanMs, or when nothing moved. */
  perSecond(): number | null {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at - first.at < this.minSpanMs) return null;
    const rate = (last.value - first.value) / ((last.at - first.at) / 1000);
    return rate > 0 ? rate : null;
  }

  reset(): void {
    this.samples = [];
  }
}

/** Seconds until a fraction reaches 1 at the measured rate; null when there is no rate yet. */
export function secondsLeft(rate: ProgressRate, fraction: number): number | null {
  const perSecond = rate.perSecond();
  if (perSecond === null) return null;
  return Math.max(0, (1 - Math.min(1, fraction)) / perSecond);
}

/** "about 12 s left", "about 4 min left", "about 2 h left". */
export function timeLeftText(seconds: number): string {
  if (seconds < 59.5) return `about ${Math.max(1, Math.round(seconds))} s left`;
  if (seconds < 3570) return `about ${Math.round(seconds / 60)} min left`;
  return `about ${Math.round(seconds / 3600)} h left`;
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "1,234,567 rows read", with the rate when there is one: "1,234,567 rows read · 250,000 rows/s". */
export function rowsReadText(rows: number, perSecond: number | null): string {
  const read = `${count.format(rows)} ${rows === 1 ? 'row' : 'rows'} read`;
  return perSecond === null ? read : `${read} · ${count.format(perSecond)} rows/s`;
}

/**
 * The progress of one run as a host shows it: feed it each report, read back the words. The
 * percent is real when the total is known; otherwise rows read and their rate are told instead.
 */
export class RunProgress {
  private readonly fractionRate: ProgressRate;
  private readonly rowsRate: ProgressRate;

  constructor(options: RateOptions = {}) {
    this.fractionRate = new ProgressRate(options);
    this.rowsRate = new ProgressRate(options);
  }

  /** Records a report; returns the line to show after the stage ("42% · about 12 s left", "1,200 rows read"). */
  report(at: number, fraction: number, rowsRead?: number): { percent: number | null; detail: string } {
    if (rowsRead !== undefined) {
      this.rowsRate.add(at, rowsRead);
      return { percent: null, detail: rowsReadText(rowsRead, this.rowsRate.perSecond()) };
    }
    this.rowsRate.reset();
    this.fractionRate.add(at, fraction);
    const percent = Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
    const left = fraction > 0 && fraction < 1 ? secondsLeft(this.fractionRate, fraction) : null;
    return { percent, detail: left === null ? '' : timeLeftText(left) };
  }
}

import { describe, expect, it } from 'vitest';
import { progressNotes, type ProgressNote } from './progress';

describe('MCP progress notifications from a run’s reports', () => {
  it('percent of 100 for a share done; never sent twice or backwards', () => {
    const sent: ProgressNote[] = [];
    let t = 0;
    const report = progressNotes(
      (n) => sent.push(n),
      () => (t += 1000),
    );
    report(0, 'Starting');
    report(0.05, 'Profiling columns');
    report(0.05, 'Profiling columns');
    report(0.5, 'Scanning rows');
    report(0.4, 'Scanning rows');
    report(1, 'Done');
    expect(sent.map((n) => [n.progress, n.total, n.message.split(' · ')[0]])).toEqual([
      [0, 100, 'Starting'],
      [5, 100, 'Profiling columns'],
      [50, 100, 'Scanning rows'],
      [100, 100, 'Done'],
    ]);
    // Half done after 3 s of a steady pace: about 3 s left, said in the message.
    expect(sent[2]!.message).toMatch(/^Scanning rows · about \d+ s left$/);
  });

  it('rows read, with no total, for a query whose size is not known; percents after them are not sent', () => {
    const sent: ProgressNote[] = [];
    let t = 0;
    const report = progressNotes(
      (n) => sent.push(n),
      () => (t += 1000),
    );
    report(0.05, 'Reading rows');
    report(-1, 'Reading rows', 250_000);
    report(-1, 'Reading rows', 500_000);
    report(-1, 'Reading rows', 500_000);
    report(0.9, 'Building the cube');
    report(-1, 'Reading rows', 750_000);
    expect(sent.map((n) => [n.progress, n.total])).toEqual([
      [5, 100],
      [250_000, undefined],
      [500_000, undefined],
      [750_000, undefined],
    ]);
    expect(sent[2]!.message).toMatch(/^Reading rows · 500,000 rows read/);
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput } from '../../../src-shared/analyze-options';
import { compareSnapshots, parseSnapshot } from '../compare/compare';
import { runAnalyze } from './run';

// Two segments whose shown names are both "a | b | c": ['a | b', 'c'] and ['a', 'b | c'].
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-segment-keys-'));
const csv = (name: string, rows: [string, string, string, number][]) => {
  const file = path.join(dir, name);
  writeFileSync(file, `date,x,y,amount\n${rows.map((r) => `${r[0]},"${r[1]}","${r[2]}",${r[3]}`).join('\n')}\n`);
  return file;
};
const analyze = (file: string, options: AnalyzeOptionsInput) =>
  runAnalyze({ source: { kind: 'file', path: file }, options: AnalyzeOptionsSchema.parse(options) });
const valuesOf = (g: { values?: unknown }) => JSON.stringify(g.values);
const AB_C = JSON.stringify(['a | b', 'c']);
const A_BC = JSON.stringify(['a', 'b | c']);

describe('segments whose values contain " | "', () => {
  it('stay two segments with their own counts and metrics, in the table and the period comparison', async () => {
    const file = csv('pipes.csv', [
      ['2026-01-10', 'a | b', 'c', 10],
      ['2026-01-11', 'a | b', 'c', 20],
      ['2026-02-10', 'a | b', 'c', 40],
      ['2026-02-11', 'a', 'b | c', 1],
      ['2026-02-12', 'a', 'b | c', 2],
      ['2026-02-13', 'a', 'b | c', 4],
    ]);
    const a = await analyze(file, {
      groupBy: ['x', 'y'],
      metrics: ['amount'],
      rankBy: 'amount',
      period: {
        mode: 'explicit',
        dateColumn: 'date',
        previous: { start: '2026-01-01', end: '2026-01-31' },
        current: { start: '2026-02-01', end: '2026-02-28' },
      },
    });
    expect(a.segments).toBe(2);
    expect(a.groups.map((g) => [g.group, valuesOf(g), g.count, g.amount])).toEqual([
      ['a | b | c', AB_C, 3, 70],
      ['a | b | c', A_BC, 3, 7],
    ]);
    // The comparison keeps them apart too: one grew from 30 to 40, the other is new with 7.
    const movers = a.period_compare!.movers.map((m) => [
      m.group,
      m.previous_records,
      m.current_records,
      m.previous_primary_metric_value,
      m.current_primary_metric_value,
    ]);
    expect(movers).toHaveLength(2);
    expect(movers).toEqual(
      expect.arrayContaining([
        ['a | b | c', 2, 1, 30, 40],
        ['a | b | c', 0, 3, 0, 7],
      ]),
    );
    expect(a.period_compare!.current_records).toBe(4);
    expect(a.period_compare!.previous_records).toBe(2);
  });

  it('compare matches each segment with itself, not with the other one of the same name', async () => {
    const base = await analyze(
      csv('base.csv', [
        ['2026-01-10', 'a | b', 'c', 10],
        ['2026-01-11', 'a | b', 'c', 20],
        ['2026-01-12', 'a | b', 'c', 30],
        ['2026-01-13', 'a', 'b | c', 5],
      ]),
      { groupBy: ['x', 'y'], metrics: ['amount'] },
    );
    const next = await analyze(
      csv('new.csv', [
        ['2026-02-10', 'a | b', 'c', 100],
        ['2026-02-11', 'a', 'b | c', 1],
        ['2026-02-12', 'a', 'b | c', 2],
        ['2026-02-13', 'a', 'b | c', 3],
        ['2026-02-14', 'z', 'z', 9],
      ]),
      { groupBy: ['x', 'y'], metrics: ['amount'] },
    );
    const c = compareSnapshots(parseSnapshot(base, 'base'), parseSnapshot(next, 'new'), { base: 'base', new: 'new' }, 10);
    const rows = c.movers.map((m) => [m.segment, m.base_records, m.new_records, m.base_primary_metric_value, m.new_primary_metric_value]);
    expect(rows).toHaveLength(3);
    expect(rows).toEqual(
      expect.arrayContaining([
        ['a | b | c', 3, 1, 60, 100],
        ['a | b | c', 1, 3, 5, 6],
        ['z | z', 0, 1, 0, 9],
      ]),
    );
    expect([c.new_only_segments, c.base_only_segments]).toEqual([1, 0]);
    // Snapshots without group values (the original CLI's) are still matched by name.
    const strip = (s: typeof base) => ({ ...s, groups: s.groups.map(({ values: _values, ...g }) => g) });
    const byName = compareSnapshots(
      parseSnapshot(strip(base), 'base'),
      parseSnapshot(strip(next), 'new'),
      { base: 'base', new: 'new' },
      10,
    );
    expect(byName.movers.map((m) => m.segment).sort()).toEqual(['a | b | c', 'z | z']);
  });
});

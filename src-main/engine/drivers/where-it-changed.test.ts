import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveWindows, type Windows } from '../../../src-shared/periods';
import { runWhyItChanged } from './where-it-changed';

const root = path.resolve(__dirname, '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-where-'));
const months: Windows = { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } };

/**
 * Twelve rows a month, regions A, B, C in turn. Revenue is 10·(i+1) in January and the same plus 5
 * on region A's rows in February (4 rows: +20); visits and weight are no factor or part of it.
 */
function noFormulaFile(): string {
  const lines = ['date,region,visits,weight,revenue'];
  for (const month of ['01', '02']) {
    for (let i = 0; i < 12; i++) {
      const region = 'ABC'[i % 3]!;
      const revenue = 10 * (i + 1) + (month === '02' && region === 'A' ? 5 : 0);
      lines.push(`2026-${month}-${String(i + 1).padStart(2, '0')},${region},${3 + ((i * 7) % 5)},${(i * 13) % 11},${revenue}`);
    }
  }
  const file = path.join(dir, 'no-formula.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('why it changed, without a formula', () => {
  it('no identity fits: the run is where it changed, with one sentence that says why', async () => {
    const a = await runWhyItChanged({
      input: noFormulaFile(),
      inputNew: null,
      metric: 'revenue',
      period: { dateColumn: 'date', windows: months },
      identity: null,
      method: 'lmdi',
    });
    if (a.kind !== 'segments') throw new Error('expected the segments fallback');
    // The best product misses by 61% (mean |visits·weight − revenue| / revenue over the 24 rows).
    expect(a.fallback_reason).toBe(
      'No formula of revenue fits its columns (the best, revenue = visits * weight, misses by 61%), so this shows where it changed instead.',
    );
    expect([a.base_value, a.current_value, a.change]).toEqual([780, 800, 20]);
    expect(a.dimensions[0]).toBe('region');
    expect(a.bridge[0]).toMatchObject({ segment: [{ dimension: 'region', value: 'A' }], contribution: 20, share: 1 });
    expect(a.closure_error).toBe(0);
  });

  it('the identity "none" asks for where it changed: the same change as the drivers split, by segment', async () => {
    const req = {
      input: path.join(root, 'data/demo_revenue_residual.csv'),
      inputNew: null,
      metric: 'revenue_usd',
      period: { dateColumn: 'date', windows: deriveWindows('month', 'last', '2026-04-15') },
      method: 'lmdi' as const,
    };
    const split = await runWhyItChanged({ ...req, identity: null });
    const where = await runWhyItChanged({ ...req, identity: 'None' });
    if (split.kind !== 'drivers' || where.kind !== 'segments') throw new Error('expected a drivers split, then segments');
    expect(where.fallback_reason).toBe(
      'The identity was set to none, so this shows where revenue_usd changed instead of splitting it by a formula.',
    );
    expect(where.change).toBeCloseTo(-880_172.44, 2);
    expect(where.change).toBeCloseTo(split.metric_change, 6);
    expect(where.cube).toBeUndefined();
  });

  it('when the segments cannot run either (no dimension), the identity error stands', async () => {
    const lines = ['date,a,b,y'];
    for (let i = 0; i < 40; i++)
      lines.push(`2026-0${i < 20 ? 1 : 2}-${String((i % 20) + 1).padStart(2, '0')},${i * 37.5},${1000 - i * 3.25},${(i * i) % 97}.5`);
    const file = path.join(dir, 'no-dimension.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    await expect(
      runWhyItChanged({
        input: file,
        inputNew: null,
        metric: 'y',
        period: { dateColumn: 'date', windows: months },
        identity: null,
        method: 'lmdi',
      }),
    ).rejects.toThrow(/no identity fits 'y' within 15% MAPE/);
  });
});

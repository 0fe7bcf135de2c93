import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Windows } from '../../../src-shared/periods';
import { describeIdentity, parseIdentity } from './identity';
import { runDrivers } from './run';

const root = path.resolve(__dirname, '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-sum-identity-'));
const months: Windows = { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } };

/**
 * Twelve orders a month. January: online 100+i, store 50+2i, returns 5+(i mod 4); February: online
 * 110+i, store 45+2i, returns 6+(i mod 4). So online 1,266 → 1,386 (+120), store 732 → 672 (-60),
 * returns 78 → 90 (+12); revenue = online + store, net = online + store - returns.
 */
function salesFile(): string {
  const lines = ['date,region,online,store,returns,net,revenue'];
  for (const [month, o, s, r] of [
    ['01', 100, 50, 5],
    ['02', 110, 45, 6],
  ] as const) {
    for (let i = 0; i < 12; i++) {
      const [online, store, returns] = [o + i, s + 2 * i, r + (i % 4)];
      lines.push(
        `2026-${month}-${String(i + 1).padStart(2, '0')},${i % 2 ? 'B' : 'A'},${online},${store},${returns},${online + store - returns},${online + store}`,
      );
    }
  }
  const file = path.join(dir, 'sales.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('additive identities', () => {
  it('parses sums and differences, names that hold an operator, and refuses a product mixed with a sum', () => {
    const cols = ['total', 'e-commerce', 'store', 'returns', 'a', 'b', 'c'];
    expect(parseIdentity('total = e-commerce + store', cols)).toEqual({
      metric: 'total',
      form: 'sum',
      terms: [
        { column: 'e-commerce', power: 1 },
        { column: 'store', power: 1 },
      ],
    });
    const net = parseIdentity('total = E-Commerce + store - returns', cols);
    expect(net.terms).toEqual([
      { column: 'e-commerce', power: 1 },
      { column: 'store', power: 1 },
      { column: 'returns', power: -1 },
    ]);
    expect(describeIdentity('total', net.terms, net.form)).toBe('total = e-commerce + store - returns');
    // Four terms are fine in a sum; a product keeps two or three.
    expect(parseIdentity('total = a + b + c + store', cols).terms).toHaveLength(4);
    expect(parseIdentity('total = a / b', cols)).toMatchObject({ form: 'product', terms: [{ column: 'a' }, { column: 'b', power: -1 }] });
    expect(() => parseIdentity('total = a * b + c', cols)).toThrow(/mixes a product and a sum/);
    expect(() => parseIdentity('total = a * b * c * store', cols)).toThrow(/two or three columns joined by \* or \//);
    expect(() => parseIdentity('total = a + online', cols)).toThrow(/names column 'online', which is not in the table/);
  });

  it('infers revenue = online + store and splits the change exactly: each term its own change', async () => {
    const a = await runDrivers({
      input: salesFile(),
      inputNew: null,
      metric: 'revenue',
      period: { dateColumn: 'date', windows: months },
      identity: null,
      method: 'lmdi',
    });
    expect(a.identity).toMatchObject({ expression: 'revenue = online + store', op: 'sum', fit_mape: 0, fit_rows: 24, stated: false });
    expect(a.candidates[0]).toMatchObject({ form: 'sum', fit_mape: 0 });
    expect([a.metric_base, a.metric_new, a.metric_change]).toEqual([1998, 2058, 60]);
    expect(a.drivers.map((d) => [d.name, d.base, d.new, d.contrib_amount])).toEqual([
      ['online', 1266, 1386, 120],
      ['store', 732, 672, -60],
    ]);
    expect(a.explained_amount).toBe(60);
    expect(a.residual.residual_amount).toBe(0);
    expect(a.residual.parts.map((p) => p.amount)).toEqual([0, 0]);
  });

  it('a stated sum with a difference: net = online + store - returns, the same split under every method', async () => {
    for (const method of ['lmdi', 'shapley', 'seed'] as const) {
      const a = await runDrivers({
        input: salesFile(),
        inputNew: null,
        metric: 'net',
        period: { dateColumn: 'date', windows: months },
        identity: 'net = online + store - returns',
        method,
        by: 'region',
      });
      expect(a.identity).toMatchObject({ op: 'sum', stated: true, fit_mape: 0 });
      // 1,920 → 1,968: online +120, store -60, returns up 12 so -12.
      expect(a.metric_change).toBe(48);
      expect(a.drivers.map((d) => [d.name, d.contrib_amount])).toEqual([
        ['online', 120],
        ['store', -60],
        ['returns', -12],
      ]);
      expect(a.residual.residual_amount).toBe(0);
      expect(a.bridge).toBeNull();
      expect(a.warnings).toContain(
        "No mix/rate bridge by region: net is a sum, not a volume times a rate; its terms' changes are its exact split.",
      );
    }
  });

  it('birdstrikes (FAA via vega-datasets): Cost Total $ = Cost Other + Cost Repair, 1999 to 2000', async () => {
    const a = await runDrivers({
      input: path.join(root, 'tests/fixtures/birdstrikes_1999_2000.csv'),
      inputNew: null,
      metric: 'Cost Total $',
      period: {
        dateColumn: 'Flight Date',
        windows: { previous: { start: '1999-01-01', end: '1999-12-31' }, current: { start: '2000-01-01', end: '2000-12-31' } },
      },
      identity: null,
      method: 'lmdi',
    });
    expect(a.identity).toMatchObject({ expression: 'Cost Total $ = Cost Other + Cost Repair', op: 'sum', fit_mape: 0, fit_rows: 68 });
    expect([a.metric_base, a.metric_new, a.metric_change]).toEqual([3_462_034, 7_259_985, 3_797_951]);
    expect(a.drivers.map((d) => [d.name, d.base, d.new, d.contrib_amount])).toEqual([
      ['Cost Other', 75_996, 466_096, 390_100],
      ['Cost Repair', 3_386_038, 6_793_889, 3_407_851],
    ]);
    expect(a.residual.residual_amount).toBe(0);
  });
});

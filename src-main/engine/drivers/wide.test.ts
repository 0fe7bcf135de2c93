import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Windows } from '../../../src-shared/periods';
import { runInvestigate } from '../investigate/run';
import { MAX_IDENTITY_COLUMNS } from './identity-search';
import { runDrivers } from './run';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-drivers-wide-'));
const april: Windows = { current: { start: '2026-04-01', end: '2026-04-30' }, previous: { start: '2026-03-01', end: '2026-03-31' } };

/**
 * 1,000 columns by 1,000 rows: date, region, orders, price_usd, revenue_usd = orders * price_usd,
 * then 995 others (numbers and four-valued text, from a seeded generator). APAC rows from April on
 * carry 500 more revenue than their orders and price say: the residual, in known rows.
 */
function wideTable() {
  let seed = 5;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const header = ['date', 'region', 'orders', 'price_usd', 'revenue_usd'];
  for (let c = 0; header.length < 1000; c++) header.push(c % 2 === 0 ? `n${c}` : `t${c}`);
  const lines = [header.join(',')];
  const rows: { date: string; region: string; revenue: number }[] = [];
  for (let i = 0; i < 1000; i++) {
    const date = new Date(Date.UTC(2026, 0, 1) + (i % 120) * 86_400_000).toISOString().slice(0, 10);
    const region = ['US', 'EU', 'APAC'][i % 3]!;
    const orders = 1 + ((i * 7) % 50);
    const price = 10 + ((i * 13) % 90);
    const revenue = orders * price + (region === 'APAC' && date >= '2026-04-01' ? 500 : 0);
    rows.push({ date, region, revenue });
    const cells = [date, region, String(orders), price.toFixed(2), revenue.toFixed(2)];
    for (let c = 5; c < 1000; c++)
      cells.push(c % 2 === 1 ? (rand() * 1000).toFixed(1) : ['alpha', 'beta', 'gamma', 'delta'][Math.floor(rand() * 4)]!);
    lines.push(cells.join(','));
  }
  const file = path.join(dir, 'wide.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const inWindow = (r: { date: string }, w: { start: string; end: string }) => r.date >= w.start && r.date <= w.end;
  return { file, rows, current: rows.filter((r) => inWindow(r, april.current)), previous: rows.filter((r) => inWindow(r, april.previous)) };
}

describe('analyze-drivers and analyze-investigate on a wide table', () => {
  const t = wideTable();
  const sum = (rows: { revenue: number }[]) => rows.reduce((a, r) => a + r.revenue, 0);

  it('1,000 columns: the identity among the closest columns, books that close, the residual in APAC', async () => {
    const a = await runDrivers({
      input: t.file,
      inputNew: null,
      metric: 'revenue_usd',
      period: { dateColumn: 'date', windows: april },
      identity: null,
      method: 'lmdi',
    });
    expect(a.identity.expression).toBe('revenue_usd = orders * price_usd');
    expect(a.warnings).toEqual([
      `The identity was searched among the ${MAX_IDENTITY_COLUMNS} of 500 numeric columns whose logarithms move most with revenue_usd's; if it uses another column, state the identity.`,
    ]);
    expect([a.base_rows, a.new_rows]).toEqual([t.previous.length, t.current.length]);
    expect(a.metric_change).toBeCloseTo(sum(t.current) - sum(t.previous), 6);
    // The books close: the drivers explain orders * price exactly, the misfit is the APAC surcharge.
    const surcharge = 500 * t.current.filter((r) => r.region === 'APAC').length;
    expect(a.drivers.reduce((acc, d) => acc + d.contrib_amount, 0) + a.residual.residual_amount).toBeCloseTo(a.metric_change, 6);
    expect(a.residual.residual_amount).toBeCloseTo(surcharge, 6);
    expect(a.residual.parts.map((p) => [p.name, Math.round(p.amount * 1e6) / 1e6])).toEqual([
      ['identity misfit', surcharge],
      ['rows the identity cannot price (a driver missing or a divisor of 0)', 0],
    ]);
    expect(a.residual.signals[0]).toMatchObject({ name: 'region = APAC', signal_type: 'categorical' });
  }, 120_000);

  it('1,000 columns: investigate picks orders and price (the two numeric drivers closest to the metric) and regresses on both windows', async () => {
    const a = await runInvestigate({
      input: t.file,
      metric: 'revenue_usd',
      dateColumn: 'date',
      windows: april,
      drivers: [],
      include: [],
      exclude: [],
      select: { preset: 'amount', auto: 'deterministic', dedup: true, topDrivers: 2, maxId: 3, maxCat: 2, maxNum: 2 },
      contributionView: 'both',
    });
    expect(a.drivers.map((d) => d.name).sort()).toEqual(['avg(price_usd)', 'sum(orders)']);
    expect(a.regression!.rows).toBe(t.current.length + t.previous.length);
    expect(a.current_metric).toBeCloseTo(sum(t.current), 6);
    expect(a.previous_metric).toBeCloseTo(sum(t.previous), 6);
  }, 120_000);
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DecompositionMethod } from '../../../src-shared/artifacts/drivers';
import { deriveWindows, type Windows } from '../../../src-shared/periods';
import { runDrivers } from './run';

const root = path.resolve(__dirname, '../../..');
const residualFile = path.join(root, 'data/demo_revenue_residual.csv');
const cleanFile = path.join(root, 'data/demo_revenue.csv');
const march = deriveWindows('month', 'last', '2026-04-15');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-drivers-'));

const drivers = (
  input: string,
  method: DecompositionMethod,
  windows: Windows = march,
  identity: string | null = null,
  metric = 'revenue_usd',
) => runDrivers({ input, inputNew: null, metric, period: { dateColumn: 'date', windows }, identity, method });

describe('analyze-drivers', () => {
  it('--method seed reproduces the README example (SPEC 14.1 A)', async () => {
    const a = await drivers(residualFile, 'seed');
    expect(a.identity.expression).toBe('revenue_usd = orders * avg_price_usd');
    expect(a.identity.fit_mape * 100).toBeCloseTo(1.18, 2);
    expect(a.identity.fit_rows).toBe(56);
    expect(a.metric_change_pct.toFixed(1)).toBe('-16.4');
    expect(a.drivers.map((d) => [d.name, d.contrib_pct.toFixed(1)])).toEqual([
      ['orders', '-15.9'],
      ['avg_price_usd', '-2.0'],
    ]);
    expect(a.explained_pct.toFixed(1)).toBe('-17.9');
    expect(a.explained_share_pct!.toFixed(0)).toBe('109');
    expect(a.residual.residual_pct.toFixed(1)).toBe('1.5');
    expect(a.residual.residual_amount).toBeCloseTo(77_765.73, 2);
    expect(a.residual.signals.map((s) => `${s.name}: ${s.detail}`)).toEqual([
      'campaign = spring_launch: mean residual +5,151.67 (16 rows)',
      'channel = Marketplace: mean residual +5,151.67 (16 rows)',
      'device_type = mobile: mean residual +5,151.67 (16 rows)',
    ]);
  });

  it('--method seed on the clean file (SPEC 14.1 B): orders -11.3%, price -3.2%, residual +5,970.47', async () => {
    const a = await drivers(cleanFile, 'seed');
    expect(a.metric_change_pct.toFixed(1)).toBe('-14.4');
    expect(a.identity.fit_mape).toBeCloseTo(0, 6);
    expect(a.drivers.map((d) => d.contrib_pct.toFixed(1))).toEqual(['-11.3', '-3.2']);
    expect(a.explained_pct.toFixed(1)).toBe('-14.5');
    expect(a.residual.residual_amount).toBeCloseTo(5_970.47, 2);
    expect(a.residual.signals).toEqual([]);
  });

  it('LMDI closes the books exactly and finds the residual in the 16 rows, reported once', async () => {
    const a = await drivers(residualFile, 'lmdi');
    const sum = a.drivers.reduce((acc, d) => acc + d.contrib_amount, 0);
    expect(sum + a.residual.residual_amount).toBeCloseTo(a.metric_change, 6);
    expect(a.residual.parts.reduce((acc, p) => acc + p.amount, 0)).toBeCloseTo(a.residual.residual_amount, 6);
    // The residual is the identity misfit of the eight perturbed March rows.
    expect(a.residual.parts[0]).toMatchObject({ name: 'identity misfit' });
    expect(a.residual.parts[0]!.amount).toBeCloseTo(82_426.66, 1);
    const finding = a.residual.signals.find((s) => s.signal_type === 'categorical')!;
    expect(finding.name).toBe('campaign = spring_launch, channel = Marketplace, device_type = mobile, region = APAC');
    expect(finding.detail).toBe('mean residual +5,151.67 (16 rows): the same 16 rows');
    expect(finding.same_rows_as).toEqual(['campaign', 'channel', 'device_type', 'region']);
    // The clean file has no residual at all with a row-level identity.
    const clean = await drivers(cleanFile, 'lmdi');
    expect(clean.residual.residual_amount).toBeCloseTo(0, 4);
    expect(clean.drivers.reduce((acc, d) => acc + d.contrib_amount, 0)).toBeCloseTo(clean.metric_change, 4);
  });

  it('--by region: the mix/rate bridge adds up to the modelled change', async () => {
    const a = await runDrivers({
      input: residualFile,
      inputNew: null,
      metric: 'revenue_usd',
      period: { dateColumn: 'date', windows: march },
      identity: null,
      method: 'lmdi',
      by: 'REGION',
    });
    const b = a.bridge!;
    expect(b.dimension).toBe('region');
    expect(b.volume_driver).toBe('orders');
    expect(b.rows.map((r) => r.segment)).toEqual(['APAC', 'EU', 'US']);
    expect(b.volume_effect + b.mix_effect + b.rate_effect + b.new_or_gone_effect).toBeCloseTo(a.explained_amount, 6);
    expect(b.total).toBeCloseTo(a.explained_amount, 6);
    // Orders fell from 54,300 to 45,586: the volume effect at the base average price.
    expect(b.volume_effect).toBeCloseTo((45_586 - 54_300) * b.base_rate, 6);
    expect(b.warning).toBeNull();
  });

  it('with --by, segments present in only one period are a named part of the residual', async () => {
    const f = path.join(dir, 'entities.csv');
    const rows = ['date,sku,units,price,revenue'];
    for (let i = 0; i < 12; i++) rows.push(`2026-01-${String(i + 1).padStart(2, '0')},A,${10 + i},5,${(10 + i) * 5}`);
    for (let i = 0; i < 12; i++) rows.push(`2026-02-${String(i + 1).padStart(2, '0')},A,${12 + i},6,${(12 + i) * 6}`);
    rows.push('2026-01-15,Old,100,2,200', '2026-02-15,New,40,10,400');
    writeFileSync(f, `${rows.join('\n')}\n`);
    const w: Windows = { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } };
    const a = await runDrivers({
      input: f,
      inputNew: null,
      metric: 'revenue',
      period: { dateColumn: 'date', windows: w },
      identity: 'revenue = units * price',
      method: 'lmdi',
      by: 'sku',
    });
    // A alone: 930 -> 1,260 (+330), explained by units and price; Old (-200) and New (+400) are the residual.
    expect(a.explained_amount).toBeCloseTo(330, 8);
    expect(a.residual.parts.map((p) => [p.name, Number(p.amount.toFixed(6)) + 0])).toEqual([
      ['identity misfit', 0],
      ['rows the identity cannot price (a driver missing or a divisor of 0)', 0],
      ['new or gone sku segments (in one frame only)', 200],
    ]);
    expect(a.explained_amount + a.residual.residual_amount).toBeCloseTo(a.metric_change, 8);
    expect(a.bridge!.volume_effect + a.bridge!.mix_effect + a.bridge!.rate_effect).toBeCloseTo(330, 8);
    expect([a.bridge!.new_segments, a.bridge!.gone_segments, a.bridge!.new_or_gone_effect]).toEqual([1, 1, 200]);
  });

  it('swapping the two periods negates every contribution', async () => {
    const swapped = { current: march.previous, previous: march.current };
    for (const method of ['lmdi', 'shapley'] as const) {
      const a = await drivers(residualFile, method);
      const b = await drivers(residualFile, method, swapped);
      expect(b.metric_change).toBeCloseTo(-a.metric_change, 6);
      a.drivers.forEach((d, i) => expect(b.drivers[i]!.contrib_amount).toBeCloseTo(-d.contrib_amount, 6));
      expect(b.residual.residual_amount).toBeCloseTo(-a.residual.residual_amount, 6);
    }
  });

  it('the hand-checkable case: 100 orders at 10.00 -> 120 at 9.00', async () => {
    const f = path.join(dir, 'hand.csv');
    writeFileSync(f, 'date,orders,price,revenue\n2026-01-15,100,10,1000\n2026-02-15,120,9,1080\n');
    const w: Windows = { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } };
    const l = await drivers(f, 'lmdi', w, 'revenue = orders * price', 'revenue');
    expect(l.drivers.map((d) => [d.name, Number(d.contrib_amount.toFixed(2))])).toEqual([
      ['orders', 189.52],
      ['price', -109.52],
    ]);
    expect(l.residual.residual_amount).toBeCloseTo(0, 9);
    const s = await drivers(f, 'shapley', w, 'revenue = orders * price', 'revenue');
    expect(s.drivers.map((d) => [d.name, Number(d.contrib_amount.toFixed(2))])).toEqual([
      ['orders', 190],
      ['price', -110],
    ]);
    expect(s.identity.stated).toBe(true);
  });

  it('closes exactly on random data with noise, missing drivers and three-term identities', async () => {
    let seed = 11;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const lines = ['date,region,sessions,conversion,aov,revenue'];
    for (let i = 0; i < 400; i++) {
      const month = i % 2 === 0 ? '01' : '02';
      const sessions = Math.round(100 + rand() * 900);
      const conv = 0.01 + rand() * 0.1;
      const aov = 20 + rand() * 80;
      const noise = rand() < 0.1 ? 1 + (rand() - 0.5) * 0.2 : 1;
      const missing = rand() < 0.03;
      lines.push(
        `2026-${month}-${String(1 + (i % 27)).padStart(2, '0')},${['N', 'S', 'E'][i % 3]},${missing ? '' : sessions},${conv.toFixed(5)},${aov.toFixed(2)},${(sessions * conv * aov * noise).toFixed(2)}`,
      );
    }
    const f = path.join(dir, 'random.csv');
    writeFileSync(f, `${lines.join('\n')}\n`);
    const w: Windows = { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } };
    for (const method of ['lmdi', 'shapley'] as const) {
      const a = await drivers(f, method, w, null, 'revenue');
      expect(a.identity.expression).toBe('revenue = sessions * conversion * aov');
      expect(a.drivers).toHaveLength(3);
      const sum = a.drivers.reduce((acc, d) => acc + d.contrib_amount, 0);
      expect(sum + a.residual.residual_amount).toBeCloseTo(a.metric_change, 6);
      expect(a.residual.parts.reduce((acc, p) => acc + p.amount, 0)).toBeCloseTo(a.residual.residual_amount, 6);
      // Rows with a missing driver are priced by nobody: they are a named part of the residual.
      expect(Math.abs(a.residual.parts[1]!.amount)).toBeGreaterThan(0);
    }
  });

  it('two-file mode, and errors that say what to do', async () => {
    const base = path.join(dir, 'base.csv');
    const next = path.join(dir, 'new.csv');
    writeFileSync(base, 'orders,price,revenue\n' + Array.from({ length: 25 }, (_, i) => `${10 + i},5,${(10 + i) * 5}`).join('\n') + '\n');
    writeFileSync(next, 'orders,price,revenue\n' + Array.from({ length: 25 }, (_, i) => `${12 + i},6,${(12 + i) * 6}`).join('\n') + '\n');
    const a = await runDrivers({ input: base, inputNew: next, metric: 'revenue', period: null, identity: null, method: 'lmdi' });
    expect(a.window).toBeNull();
    expect([a.metric_base, a.metric_new]).toEqual([(10 + 34) * 12.5 * 5, (12 + 36) * 12.5 * 6]);
    expect(a.drivers.reduce((acc, d) => acc + d.contrib_amount, 0)).toBeCloseTo(a.metric_change, 8);
    const other = path.join(dir, 'other.csv');
    writeFileSync(other, 'orders,revenue\n1,2\n');
    await expect(
      runDrivers({ input: base, inputNew: other, metric: 'revenue', period: null, identity: null, method: 'lmdi' }),
    ).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: expect.stringMatching(/different columns/) });
    await expect(drivers(residualFile, 'lmdi', deriveWindows('month', 'last', '2025-01-15'))).rejects.toMatchObject({
      code: 'NO_DATA_ROWS',
    });
    await expect(drivers(residualFile, 'lmdi', march, 'revenue_usd = orders * nope')).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
    const noise = path.join(dir, 'noise.csv');
    writeFileSync(
      noise,
      'date,a,b,c\n' +
        Array.from({ length: 40 }, (_, i) => `2026-0${1 + (i % 2)}-10,${(i * 7919) % 97},${(i * 104729) % 89},${(i * 1299709) % 83}`).join(
          '\n',
        ) +
        '\n',
    );
    const w: Windows = { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } };
    await expect(drivers(noise, 'lmdi', w, null, 'c')).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message: expect.stringMatching(/no identity fits 'c' within 15% MAPE; closest: /),
    });
  });

  it('reads dates in the order the whole column proves, when its first rows prove none; unreadable cells counted', async () => {
    // 2,500 rows of 2026-MM-DD (they prove nothing), then 1,500 of DD/MM/2026 (13/.. proves day first), and 5 cells 'soon'.
    const rows = Array.from({ length: 4000 }, (_, i) => {
      const [day, month] = [1 + (i % 28), 1 + (Math.floor(i / 28) % 6)];
      const date =
        i % 997 === 1
          ? 'soon'
          : i < 2500
            ? `2026-0${month}-${String(day).padStart(2, '0')}`
            : `${String(day).padStart(2, '0')}/0${month}/2026`;
      const [orders, price] = [1 + (i % 37), 10 + (i % 23)];
      return {
        date,
        month: date === 'soon' ? 0 : month,
        revenue: orders * price + (i % 7 === 0 ? 3 : 0),
        line: `${date},${orders},${price},${orders * price + (i % 7 === 0 ? 3 : 0)}`,
      };
    });
    const file = path.join(dir, 'day-first-later.csv');
    writeFileSync(file, `date,orders,price,revenue\n${rows.map((r) => r.line).join('\n')}\n`);
    const w: Windows = { previous: { start: '2026-02-01', end: '2026-02-28' }, current: { start: '2026-03-01', end: '2026-03-31' } };
    const a = await drivers(file, 'lmdi', w, null, 'revenue');
    const [feb, mar] = [rows.filter((r) => r.month === 2), rows.filter((r) => r.month === 3)];
    expect([a.base_rows, a.new_rows]).toEqual([feb.length, mar.length]);
    expect(a.metric_change).toBe(mar.reduce((s, r) => s + r.revenue, 0) - feb.reduce((s, r) => s + r.revenue, 0));
    expect(rows.filter((r) => r.date === 'soon')).toHaveLength(5);
    expect(a.warnings).toEqual(["date: 5 cells could not be read as dates and are in neither period (e.g. 'soon')"]);
    expect(a.drivers.reduce((acc, d) => acc + d.contrib_amount, 0) + a.residual.residual_amount).toBeCloseTo(a.metric_change, 6);
  });
});

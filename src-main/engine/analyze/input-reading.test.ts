import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { deriveWindows } from '../../../src-shared/periods';
import { runDrivers } from '../drivers/run';
import { runInvestigate } from '../investigate/run';
import { prepareAnalyze, runAnalyze } from './run';

/** How analyze reads what it is given: dates written in many forms, NaN and infinite numbers, very wide tables. */
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-reading-'));
const write = (name: string, lines: string[]) => {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};
const analyze = (file: string, options: AnalyzeOptionsInput): Promise<AnalyzeArtifact> =>
  runAnalyze({ source: { kind: 'file', path: file }, options: AnalyzeOptionsSchema.parse(options) });
const validate = (file: string, options: AnalyzeOptionsInput) =>
  prepareAnalyze({ source: { kind: 'file', path: file }, options: AnalyzeOptionsSchema.parse(options) }, true);
/** February 2026 against January 2026. */
const lastMonth = { mode: 'derived', dateColumn: 'order_date', grain: 'month', preset: 'last', anchorDate: '2026-03-15' } as const;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** One date (YYYY-MM-DD) written in the i-th of nine forms. */
function written(iso: string, i: number): string {
  const [y, m, d] = iso.split('-');
  const [month, day] = [Number(m), Number(d)];
  return [
    iso,
    `${m}/${d}/${y}`,
    `${d}.${m}.${y}`,
    `${y}/${month}/${day}`,
    `${MONTHS[month - 1]} ${day} ${y}`,
    `"${MONTHS[month - 1]!.slice(0, 3)} ${day}, ${y}"`,
    `${y}${m}${d}`,
    `${iso} 10:30:00`,
    `${m}/${d}/${y} 08:15`,
  ][i % 9]!;
}

/** 120 orders from 2025-12-15 to 2026-03-14; the ISO file and the same rows with dates in nine forms. */
const orders = Array.from({ length: 120 }, (_, i) => ({
  date: new Date(Date.UTC(2025, 11, 15) + ((i * 7) % 90) * 86_400_000).toISOString().slice(0, 10),
  region: ['US', 'EU', 'APAC'][i % 3]!,
  revenue: 10 * (i + 1),
}));
const isoFile = write('orders-iso.csv', ['order_date,region,revenue', ...orders.map((o) => `${o.date},${o.region},${o.revenue}`)]);
const mixedFile = write('orders-mixed.csv', [
  'order_date,region,revenue',
  ...orders.map((o, i) => `${written(o.date, i)},${o.region},${o.revenue}`),
]);

describe('dates written in many forms', () => {
  it('the mixed file puts the same rows in each window as the ISO file: 36 in February (22,020), 40 in January (23,430)', async () => {
    // Counted from the ISO dates: 36 start with 2026-02, 40 with 2026-01.
    expect(orders.filter((o) => o.date.startsWith('2026-02')).length).toBe(36);
    expect(orders.filter((o) => o.date.startsWith('2026-01')).length).toBe(40);
    for (const agg of ['sum', 'median'] as const) {
      // sum: one pass over the rows (raw cube); median: the separate period scan (the Postgres plan).
      const [iso, mixed] = [
        await analyze(isoFile, { groupBy: ['region'], metrics: ['revenue'], agg, period: lastMonth }),
        await analyze(mixedFile, { groupBy: ['region'], metrics: ['revenue'], agg, period: lastMonth }),
      ];
      for (const a of [iso, mixed]) {
        expect(a.period_compare).toMatchObject({
          current_records: 36,
          previous_records: 40,
          current_primary_metric_value: 22_020,
          previous_primary_metric_value: 23_430,
          unreadable_dates: { count: 0, examples: [] },
        });
        expect(a.period_compare!.movers.map((m) => [m.group, m.current_records, m.previous_records]).sort()).toEqual([
          ['APAC', 12, 14],
          ['EU', 12, 13],
          ['US', 12, 13],
        ]);
        expect(a.warnings).toEqual([]);
      }
      // 02/13/2026 proves month first, 13.02.2026 day first: each separator keeps its own order.
      expect(mixed.period_compare!.day_month_order).toBe('by-separator');
    }
    const checked = await validate(mixedFile, { groupBy: ['region'], metrics: ['revenue'], period: lastMonth });
    expect(checked.rows).toBe(120);
    expect(checked.dates).toMatchObject({ order: 'by-separator', unreadable: 0 });
  });

  it('analyze-drivers and analyze-investigate read the mixed dates as analyze does', async () => {
    // units * price = revenue on every row: 36 rows in February, 40 in January.
    const header = 'order_date,region,units,price,revenue';
    const row = (o: (typeof orders)[number], date: string) => `${date},${o.region},${o.revenue / 10},10,${o.revenue}`;
    const iso = write('drivers-iso.csv', [header, ...orders.map((o) => row(o, o.date))]);
    const mixed = write('drivers-mixed.csv', [header, ...orders.map((o, i) => row(o, written(o.date, i)))]);
    const windows = deriveWindows('month', 'last', '2026-03-15');
    for (const input of [iso, mixed]) {
      const d = await runDrivers({
        input,
        inputNew: null,
        metric: 'revenue',
        period: { dateColumn: 'order_date', windows },
        identity: 'revenue = units * price',
        method: 'lmdi',
      });
      expect([d.base_rows, d.new_rows, d.metric_base, d.metric_new]).toEqual([40, 36, 23_430, 22_020]);
      expect(d.warnings).toEqual([]);
      const select = { preset: null, auto: 'deterministic', dedup: false, topDrivers: 3, maxId: 3, maxCat: 2, maxNum: 2 } as const;
      const v = await runInvestigate({
        input,
        metric: 'revenue',
        dateColumn: 'order_date',
        windows,
        drivers: ['sum(units)'],
        include: [],
        exclude: [],
        select,
        contributionView: 'both',
      });
      expect([v.previous_metric, v.current_metric]).toEqual([23_430, 22_020]);
    }
    // An unreadable date is a warning there too.
    const bad = write('drivers-bad.csv', [header, ...orders.map((o) => row(o, o.date)), 'someday,US,1,10,10']);
    const d = await runDrivers({
      input: bad,
      inputNew: null,
      metric: 'revenue',
      period: { dateColumn: 'order_date', windows },
      identity: 'revenue = units * price',
      method: 'lmdi',
    });
    expect(d.warnings).toContain("order_date: 1 cell could not be read as a date and is in neither period (e.g. 'someday')");
  });

  it('the day/month order comes from the whole column: the first 2,000 rows prove nothing, the last 100 prove day first', async () => {
    // Rows 1-2,000: day 1..12 of March or February (either order could be meant); then 100 rows of 20/03/2026.
    const lines = Array.from({ length: 2000 }, (_, i) => `${String(1 + (i % 12)).padStart(2, '0')}/${i % 2 === 0 ? '03' : '02'}/2026,US,1`);
    const file = write('day-first.csv', ['order_date,region,revenue', ...lines, ...Array.from({ length: 100 }, () => '20/03/2026,EU,1')]);
    const period = { ...lastMonth, preset: 'current' } as const; // March against February
    for (const agg of ['sum', 'median'] as const) {
      const a = await analyze(file, { groupBy: ['region'], metrics: ['revenue'], agg, period });
      expect(a.period_compare).toMatchObject({
        day_month_order: 'day-first',
        current_records: 1100,
        previous_records: 1000,
        unreadable_dates: { count: 0 },
      });
    }
    expect((await validate(file, { groupBy: ['region'], metrics: ['revenue'], period })).dates).toMatchObject({
      order: 'day-first',
      unreadable: 0,
    });
    // Without the last rows nothing proves an order, and "/" reads month first: 03/02/2026 is 2 March.
    // March: first number 03, rows i = 2, 14, …, 1994 (167); February: 02, rows i = 1, 13, …, 1993 (167).
    const ambiguous = write('ambiguous.csv', ['order_date,region,revenue', ...lines]);
    const a = await analyze(ambiguous, { groupBy: ['region'], metrics: ['revenue'], period });
    expect(a.period_compare).toMatchObject({ day_month_order: 'by-separator', current_records: 167, previous_records: 167 });
  });

  it('dates that cannot be read are counted, shown and warned about; analyze-validate refuses them', async () => {
    const file = write('bad-dates.csv', [
      'order_date,region,revenue',
      '2026-02-03,US,1',
      '2026-13-45,US,2',
      'soon,EU,4',
      '  ,EU,8',
      ',US,16',
      '2026-01-09,EU,32',
      'soon,US,64',
      '31/31/2026,US,128',
    ]);
    const a = await analyze(file, { groupBy: ['region'], metrics: ['revenue'], period: lastMonth });
    // Blank cells are no dates but not unreadable ones; "soon" twice is shown once.
    expect(a.period_compare).toMatchObject({
      current_records: 1,
      previous_records: 1,
      unreadable_dates: { count: 4, examples: ['2026-13-45', 'soon', '31/31/2026'] },
    });
    expect(a.warnings).toEqual([
      "order_date: 4 cells could not be read as dates and are in neither period (e.g. '2026-13-45', 'soon', '31/31/2026')",
    ]);
    expect(a.records).toBe(8);
    await expect(validate(file, { groupBy: ['region'], metrics: ['revenue'], period: lastMonth })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
      message:
        "date column 'order_date' has 4 cells that cannot be read as dates (e.g. '2026-13-45', 'soon', '31/31/2026'); analyze would leave those rows out of both periods",
      hint: expect.stringContaining('Fix or blank those cells, or pick another date column.'),
      options: ['dateColumn'],
    });
    // Only the rows --where keeps count: EU has one unreadable date.
    const eu = await analyze(file, {
      groupBy: ['region'],
      metrics: ['revenue'],
      where: [{ column: 'region', value: 'EU' }],
      period: lastMonth,
    });
    expect(eu.period_compare!.unreadable_dates).toEqual({ count: 1, examples: ['soon'] });
    // Without a period comparison the date column is not read as dates.
    expect((await validate(file, { groupBy: ['region'], metrics: ['revenue'] })).rows).toBe(8);
  });
});

describe('NaN and infinite numbers', () => {
  it('six NaN/Infinity/1e309 cells in 100 keep revenue_usd a metric under auto-detection, and are counted', async () => {
    const odd = ['NaN', 'Infinity', '-Infinity', '1e309', 'nan', 'inf'];
    const lines = Array.from(
      { length: 100 },
      (_, i) =>
        `${['US', 'EU', 'APAC', 'LATAM'][i % 4]},${['Direct', 'Partner', 'Online'][i % 3]},${i % 17 === 5 ? odd[(i - 5) / 17] : 100 + i}`,
    );
    const file = write('non-finite.csv', ['region,channel,revenue_usd', ...lines]);
    const a = await analyze(file, {});
    expect(a.group_by).toEqual(['channel', 'region']);
    expect(a.metrics).toEqual(['revenue_usd']);
    expect(a.non_finite_cells).toEqual({ revenue_usd: 6 });
    expect(a.warnings).toEqual(['revenue_usd: 6 cells are NaN or infinite and were left out']);
    // The sum leaves out rows 5, 22, 39, 56, 73 and 90: 100 rows of 100 + i, less 6 rows.
    const total = Array.from({ length: 100 }, (_, i) => (i % 17 === 5 ? 0 : 100 + i)).reduce((x, y) => x + y, 0);
    expect(a.total_primary_metric_value).toBe(total);
    expect(total).toBe(14_950 - 6 * 100 - (5 + 22 + 39 + 56 + 73 + 90));
    // With the metric named the count is the same; a clean column has none.
    expect((await analyze(file, { groupBy: ['region'], metrics: ['revenue_usd'] })).non_finite_cells).toEqual({ revenue_usd: 6 });
    expect((await analyze(file, { groupBy: ['region'], metrics: ['revenue_usd'], agg: 'median' })).non_finite_cells).toEqual({
      revenue_usd: 6,
    });
    expect((await analyze(isoFile, { groupBy: ['region'], metrics: ['revenue'] })).non_finite_cells).toEqual({});
  });
});

describe('wide tables', () => {
  it('a 2,000-column table (its header longer than 64 KB): groups and sums, with the columns named and auto-detected', async () => {
    const width = 2000;
    const rows = 300;
    const name = (c: number) => `c${c}_revenue_of_a_rather_long_named_product`;
    const value = (r: number, c: number) => (r * 7 + c * 13) % 1000;
    const lines = [['grp', ...Array.from({ length: width - 1 }, (_, c) => name(c + 1))].join(',')];
    expect(lines[0]!.length).toBeGreaterThan(64 * 1024);
    for (let r = 0; r < rows; r++)
      lines.push([['north', 'south', 'east'][r % 3], ...Array.from({ length: width - 1 }, (_, c) => value(r, c + 1))].join(','));
    const file = write('wide.csv', lines);
    const sums = (c: number, g: number) =>
      Array.from({ length: rows }, (_, r) => r)
        .filter((r) => r % 3 === g)
        .reduce((acc, r) => acc + value(r, c), 0);
    const named = await analyze(file, { groupBy: ['grp'], metrics: [name(1), name(1999)] });
    expect(named.groups.map((g) => [g.group, g.count, g[name(1)], g[name(1999)]])).toEqual(
      ['east', 'north', 'south'].map((group) => {
        const g = ['north', 'south', 'east'].indexOf(group);
        return [group, 100, sums(1, g), sums(1999, g)];
      }),
    );
    const auto = await analyze(file, {});
    expect(auto.group_by).toEqual(['grp']);
    expect(auto.metrics).toEqual([name(1), name(2), name(3)]);
    expect(auto.groups.find((g) => g.group === 'south')).toMatchObject({
      count: 100,
      [name(1)]: sums(1, 1),
      [name(2)]: sums(2, 1),
      [name(3)]: sums(3, 1),
    });
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFrequency, periodCount } from '../../../src-shared/artifacts/frequency';
import { AppError } from '../../../src-shared/errors';
import { readDate } from '../../sources/dates';
import { decideOrder, orderEvidence } from './date-order';
import { runFit } from './fit';
import { readPrices } from './inputs';
import { readPricePanel } from './price-panel';
import { logReturns, panelOf } from './returns';
import { scanReturns } from './scan-returns';

/** Long-form prices under other column names, dates in the common formats, and monthly data (issue 16). */
const stocks = path.resolve(__dirname, '../../../tests/fixtures/vega/stocks.csv');
const STOCKS_COLUMNS = { ticker: 'symbol', date: 'date', price: 'price' };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'fl-price-reading-'));

/** stocks.csv's rows, read here without the engine: `Jan 1 2000` as a UTC date. */
const raw = readFileSync(stocks, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [symbol, date, price] = line.split(',');
    return { symbol: symbol!, day: new Date(`${date} UTC`), price: Number(price) };
  });
const iso = (d: Date) => d.toISOString().slice(0, 10);

function write(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

/** Three tickers with a price on the first of each month (a random walk, fixed seed). */
function monthlyCsv(months: number, dateOf: (d: Date) => string = iso): string {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  const rows = ['date,ticker,close'];
  const level = [100, 50, 20];
  for (let m = 0; m < months; m++) {
    const day = new Date(Date.UTC(2020, m, 1));
    ['AAA', 'BBB', 'CCC'].forEach((t, i) => {
      level[i] = level[i]! * Math.exp(0.05 * rnd());
      rows.push(`${dateOf(day)},${t},${level[i]!.toFixed(4)}`);
    });
  }
  return `${rows.join('\n')}\n`;
}

describe('frequency of a price history', () => {
  it('reads daily, weekly, monthly and quarterly dates from their median gap', () => {
    expect(detectFrequency(['2025-01-02', '2025-01-03', '2025-01-06', '2025-01-07'])).toBe('daily');
    expect(detectFrequency(['2025-01-03', '2025-01-10', '2025-01-17', '2025-01-24'])).toBe('weekly');
    expect(detectFrequency(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30'])).toBe('monthly');
    expect(detectFrequency(['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31'])).toBe('quarterly');
    expect(detectFrequency(['2024-03-31'])).toBe('daily');
    expect(periodCount(48, 'monthly')).toBe('48 months');
    expect(periodCount(1, 'weekly')).toBe('1 week');
    expect(periodCount(1250, undefined)).toBe('1,250 days');
  });
});

describe('dates in the common formats', () => {
  it('reads Jan 1 2000, 2000-01-01 and 01/02/2000 in the order asked', () => {
    expect(readDate('Jan 1 2000', 'month-first')).toBe('2000-01-01');
    expect(readDate('2000-01-01', 'day-first')).toBe('2000-01-01');
    expect(readDate('01/02/2000', 'day-first')).toBe('2000-02-01');
    expect(readDate('01/02/2000', 'month-first')).toBe('2000-01-02');
  });

  it('detects day first from 13/02/2000 and month first from 02/13/2000', () => {
    expect(decideOrder('auto', orderEvidence(['01/02/2000', '13/02/2000']), 'p.csv', 'date')).toEqual({
      order: 'day-first',
      note: "date: dates read day first (01/07/2026 is 1 July 2026), detected from cells such as '13/02/2000'",
    });
    expect(decideOrder('auto', orderEvidence(['01/02/2000', '02/13/2000']), 'p.csv', 'date').order).toBe('month-first');
    // No day/month cells, or only ones that read the same either way: nothing to decide or say.
    expect(decideOrder('auto', orderEvidence(['Jan 1 2000', '2000-01-03', '03/03/2000']), 'p.csv', 'date').note).toBeNull();
  });

  it('asks when 01/02/2000 is ambiguous, and reads it as told', () => {
    let error: unknown;
    try {
      decideOrder('auto', orderEvidence(['01/02/2000', '05/06/2000']), 'p.csv', 'date');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('BAD_ARGUMENT');
    expect((error as AppError).message).toBe(
      "p.csv: dates like '01/02/2000' in 'date' could be day first or month first, and no cell tells which (no day above 12)",
    );
    expect((error as AppError).options).toEqual(['dateOrder']);
    expect(decideOrder('day-first', orderEvidence(['01/02/2000']), 'p.csv', 'date').order).toBe('day-first');
  });
});

describe('long-form prices under other names (vega stocks.csv)', () => {
  it('detects monthly prices, keeps their weekend month-starts and reads both paths alike', async () => {
    const { panel, frequency, warnings } = await readPricePanel(stocks, {
      columns: STOCKS_COLUMNS,
      dateOrder: 'auto',
      includeWeekends: false,
    });
    const months = [...new Set(raw.map((r) => iso(r.day)))].sort();
    const weekendRows = raw.filter((r) => r.day.getUTCDay() === 0 || r.day.getUTCDay() === 6).length;
    expect(frequency).toBe('monthly');
    expect(panel.tickers).toEqual(['AAPL', 'AMZN', 'GOOG', 'IBM', 'MSFT']);
    // Every month but the first has a return (123 months, Jan 2000 to Mar 2010).
    expect(months).toHaveLength(123);
    expect(panel.dates).toEqual(months.slice(1));
    expect(panel.dates[0]).toBe('2000-02-01');
    expect(panel.dates.at(-1)).toBe('2010-03-01');
    // 2000-04-01 was a Saturday: its return is there.
    expect(panel.dates).toContain('2000-04-01');
    expect(weekendRows).toBeGreaterThan(100);
    expect(warnings).toEqual([
      `${weekendRows} price rows dated Saturday or Sunday kept: the prices are monthly, and weekend rows are dropped only from daily prices`,
    ]);
    const careful = panelOf(logReturns((await readPrices(stocks, STOCKS_COLUMNS)).rows, true));
    expect(await scanReturns(stocks, true, STOCKS_COLUMNS)).toEqual(careful);
    expect(panel).toEqual(careful);
    // MSFT's return of February 2000: ln(36.35 / 39.81).
    expect(panel.columns[4]![0]).toBeCloseTo(Math.log(36.35 / 39.81), 15);
  });

  it('fits with equal weights on the months every ticker has, and says which ticker is short', async () => {
    const a = await runFit({
      prices: stocks,
      k: 2,
      kAuto: false,
      portfolio: null,
      holdings: null,
      includeWeekends: false,
      missing: 'common',
      columns: STOCKS_COLUMNS,
    });
    const goog = raw.filter((r) => r.symbol === 'GOOG').map((r) => iso(r.day));
    expect(a.model.frequency).toBe('monthly');
    expect(a.model.dates).toHaveLength(goog.length - 1);
    expect(a.model.dates).toHaveLength(67);
    expect(a.model.dates[0]).toBe('2004-09-01');
    expect(a.model.dates.at(-1)).toBe('2010-03-01');
    expect(a.weights_source.kind).toBe('equal');
    expect(Object.values(a.weights)).toEqual([0.2, 0.2, 0.2, 0.2, 0.2]);
    expect(a.sample.dates_dropped).toBe(122 - 67);
    expect(a.warnings).toContain('GOOG has returns for 67 months of 122 (2004-09-01 to 2010-03-01)');
  });

  it('names the likely column when the default one is missing', async () => {
    const fit = runFit({ prices: stocks, k: 2, kAuto: false, portfolio: null, holdings: null, includeWeekends: false, missing: 'common' });
    await expect(fit).rejects.toMatchObject({
      code: 'UNKNOWN_COLUMN',
      message: `${stocks} has no 'ticker' column. Columns: symbol, date, price`,
      hint: 'Name the ticker column: --ticker-column symbol on the command line, or the ticker column picker of the form.',
      options: ['tickerColumn'],
    });
  });
});

describe('weekends, day-first dates and ambiguous dates', () => {
  it('keeps weekend month-starts of monthly prices; drops weekend rows of daily prices and says so', async () => {
    const monthly = write('monthly.csv', monthlyCsv(36));
    const m = await readPricePanel(monthly, {
      columns: { ticker: null, date: null, price: null },
      dateOrder: 'auto',
      includeWeekends: false,
    });
    expect(m.frequency).toBe('monthly');
    expect(m.panel.dates).toHaveLength(35);
    // 2020-02-01 and 2020-03-01 fell on a Saturday and a Sunday.
    expect(m.panel.dates.slice(0, 2)).toEqual(['2020-02-01', '2020-03-01']);
    const daily = write(
      'daily.csv',
      [
        'date,ticker,close',
        ...['2025-01-02', '2025-01-03', '2025-01-04', '2025-01-06', '2025-01-07'].flatMap((d, i) => [
          `${d},AAA,${100 + i}`,
          `${d},BBB,${50 - i}`,
        ]),
      ].join('\n'),
    );
    const d = await readPricePanel(daily, {
      columns: { ticker: null, date: null, price: null },
      dateOrder: 'auto',
      includeWeekends: false,
    });
    expect(d.frequency).toBe('daily');
    expect(d.panel.dates).toEqual(['2025-01-03', '2025-01-06', '2025-01-07']);
    expect(d.warnings).toEqual([
      '2 price rows dated Saturday or Sunday left out before returns (daily prices; include weekends to keep them)',
    ]);
  });

  it('reads dd/mm/yyyy prices once a cell proves the order, the same as ISO dates', async () => {
    const dayFirst = (d: Date) =>
      `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
    // The 1st of each month: no day above 12, so these cells alone are ambiguous.
    const ambiguous = write('ambiguous.csv', monthlyCsv(30, dayFirst));
    const fit = (prices: string, dateOrder: 'auto' | 'day-first') =>
      runFit({ prices, k: 2, kAuto: false, portfolio: null, holdings: null, includeWeekends: false, missing: 'common', dateOrder });
    await expect(fit(ambiguous, 'auto')).rejects.toMatchObject({ code: 'BAD_ARGUMENT', options: ['dateOrder'] });
    const told = await fit(ambiguous, 'day-first');
    const isoFit = await fit(write('iso.csv', monthlyCsv(30)), 'auto');
    expect(told.model.dates).toEqual(isoFit.model.dates);
    expect(told.model.explained_variance_ratio).toEqual(isoFit.model.explained_variance_ratio);
    // One price on the 13th proves day first; the column is then read without asking.
    const proven = write('proven.csv', `${monthlyCsv(30, dayFirst)}13/07/2022,AAA,101\n`);
    const detected = await fit(proven, 'auto');
    expect(detected.model.dates.at(-1)).toBe('2022-06-01');
    expect(detected.warnings?.[0]).toBe("date: dates read day first (01/07/2026 is 1 July 2026), detected from cells such as '13/07/2022'");
  });
});

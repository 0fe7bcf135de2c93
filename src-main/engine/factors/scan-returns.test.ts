import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPrices } from './inputs';
import { logReturns, panelOf } from './returns';
import { scanReturns } from './scan-returns';

const data = path.resolve(__dirname, '../../../data');

describe('DuckDB scan of a price history', () => {
  it('gives the same log returns as the careful reader, with and without weekends', async () => {
    for (const weekends of [false, true]) {
      const fast = (await scanReturns(path.join(data, 'prices.csv'), weekends))!;
      const slow = panelOf(logReturns((await readPrices(path.join(data, 'prices.csv'))).rows, weekends));
      expect(fast.tickers).toEqual(slow.tickers);
      expect(fast.dates).toEqual(slow.dates);
      expect(fast.dates.length).toBeGreaterThan(60);
      // The same arithmetic on the same doubles: equal to the last bit (NaN where a ticker has no return).
      expect(fast.columns).toEqual(slow.columns);
      expect(fast.columns.every((col) => col.length === fast.dates.length)).toBe(true);
    }
  });

  it('lays returns over the union of dates: a missing price leaves NaN, rows may come in any order', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-scan-'));
    // 2025-01-03 is a Friday, 01-04 a Saturday; B has no price on 01-06, so no returns on 01-06 and 01-07.
    const file = path.join(dir, 'gap.csv');
    writeFileSync(
      file,
      'date,ticker,close\n2025-01-07,B,12\n2025-01-02,A,100\n2025-01-03,A,101\n2025-01-04,A,150\n2025-01-06,A,102\n2025-01-07,A,103\n2025-01-02,B,10\n2025-01-03,B,11\n',
    );
    const fast = (await scanReturns(file, false))!;
    expect(fast.dates).toEqual(['2025-01-03', '2025-01-06', '2025-01-07']);
    expect([...fast.columns[0]!]).toEqual([Math.log(101 / 100), Math.log(102 / 101), Math.log(103 / 102)]);
    expect([...fast.columns[1]!]).toEqual([Math.log(11 / 10), Number.NaN, Math.log(12 / 11)]);
    expect(fast).toEqual(panelOf(logReturns((await readPrices(file)).rows, false)));
    const weekends = (await scanReturns(file, true))!;
    expect(weekends.dates).toEqual(['2025-01-03', '2025-01-04', '2025-01-06', '2025-01-07']);
    expect(weekends).toEqual(panelOf(logReturns((await readPrices(file)).rows, true)));
  });

  it('hands any file with a problem to the careful reader (null), which names the line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-scan-'));
    const cases = {
      // 2025/01/03 and Jan 3 2025 are dates (sources/dates.ts); the 32nd of January is none.
      'bad-date.csv': 'date,ticker,close\n2025-01-02,A,1\nJan 32 2025,A,2\n',
      'zero.csv': 'date,ticker,close\n2025-01-02,A,1\n2025-01-03,A,0\n',
      'dup.csv': 'date,ticker,close\n2025-01-02,A,1\n2025-01-02,A,2\n2025-01-03,A,2\n',
      'lonely.csv': 'date,ticker,close\n2025-01-02,A,1\n2025-01-03,A,2\n2025-01-02,B,1\n',
      'no-close.csv': 'date,ticker,price\n2025-01-02,A,1\n2025-01-03,A,2\n',
    };
    for (const [name, text] of Object.entries(cases)) {
      writeFileSync(path.join(dir, name), text);
      expect(await scanReturns(path.join(dir, name), true), name).toBeNull();
    }
  });
});

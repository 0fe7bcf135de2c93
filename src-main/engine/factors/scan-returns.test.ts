import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPrices } from './inputs';
import { logReturns } from './returns';
import { scanReturns } from './scan-returns';

const data = path.resolve(__dirname, '../../../data');

describe('DuckDB scan of a price history', () => {
  it('gives the same log returns as the careful reader, with and without weekends', async () => {
    for (const weekends of [false, true]) {
      const fast = (await scanReturns(path.join(data, 'prices.csv'), weekends))!;
      const slow = logReturns(await readPrices(path.join(data, 'prices.csv')), weekends);
      expect([...fast.keys()]).toEqual([...slow.keys()]);
      for (const [ticker, m] of slow) {
        expect([...fast.get(ticker)!.keys()]).toEqual([...m.keys()]);
        for (const [d, v] of m) expect(fast.get(ticker)!.get(d)).toBeCloseTo(v, 14);
      }
    }
  });

  it('hands any file with a problem to the careful reader (null), which names the line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-scan-'));
    const cases = {
      'bad-date.csv': 'date,ticker,close\n2025-01-02,A,1\n2025/01/03,A,2\n',
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

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FactorsArtifact } from '../src-shared/artifacts/factors';

/** `factors fit` on a public long-form price table with its own column names and dates (issue 16), through the built CLI. */
const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');
const stocks = path.join(root, 'tests', 'fixtures', 'vega', 'stocks.csv');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('factors fit on long-form prices (spawned CLI)', () => {
  it('fits vega stocks.csv once its columns are named, in months, with equal weights', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-cli-stocks-'));
    const unnamed = cli(['factors', 'fit', '--prices', stocks, '--k', '2', '--out', 'fit'], cwd);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toContain(`Error [UNKNOWN_COLUMN]: ${stocks} has no 'ticker' column. Columns: symbol, date, price`);
    expect(unnamed.stderr).toContain('--ticker-column symbol');

    const fit = cli(
      ['factors', 'fit', '--prices', stocks, '--ticker-column', 'symbol', '--price-column', 'price', '--k', '2', '--out', 'fit'],
      cwd,
    );
    expect(fit.stderr).toBe('');
    expect(fit.code).toBe(0);
    expect(fit.stdout).toContain(
      'Factor model: 5 tickers, 67 months (monthly, 2004-09-01..2010-03-01), weekends included, correlation basis',
    );
    expect(fit.stdout).toContain('Note: GOOG has returns for 67 months of 122 (2004-09-01 to 2010-03-01)');
    const a = JSON.parse(readFileSync(path.join(cwd, 'fit', 'factors.json'), 'utf8')) as FactorsArtifact;
    expect(a.model.frequency).toBe('monthly');
    expect(a.model.dates).toHaveLength(67);
    expect(a.weights_source).toEqual({ kind: 'equal', path: null });
    expect(cli(['report', '--artifacts', 'fit'], cwd).code).toBe(0);
    const md = readFileSync(path.join(cwd, 'fit', 'report.md'), 'utf8');
    expect(md).toContain('- Observations: 67 months (2004-09-01 to 2010-03-01)');
    expect(md).toContain('- Input warnings: ');
  });

  it('asks for the day/month order of 01/02/2000 dates, and reads them with --date-order', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-cli-dmy-'));
    // stocks.csv with its dates written dd/mm/yyyy: every one is the 1st, so no cell tells the order.
    const lines = readFileSync(stocks, 'utf8').trim().split('\n');
    const dmy = lines.slice(1).map((l) => {
      const [s, d, p] = l.split(',');
      const day = new Date(`${d} UTC`);
      return `${s},01/${String(day.getUTCMonth() + 1).padStart(2, '0')}/${day.getUTCFullYear()},${p}`;
    });
    writeFileSync(path.join(cwd, 'dmy.csv'), `${['symbol,date,price', ...dmy].join('\n')}\n`);
    const args = ['factors', 'fit', '--prices', 'dmy.csv', '--ticker-column', 'symbol', '--price-column', 'price', '--k', '2'];
    const asked = cli([...args, '--out', 'a'], cwd);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toContain("Error [BAD_ARGUMENT]: dmy.csv: dates like '01/02/2000' in 'date' could be day first or month first");
    expect(asked.stderr).toContain('--date-order day-first');
    const told = cli([...args, '--date-order', 'day-first', '--out', 'b'], cwd);
    expect(told.code).toBe(0);
    expect(told.stdout).toContain('67 months (monthly, 2004-09-01..2010-03-01)');
    expect(told.stdout).toContain('Note: date: dates read day first (01/07/2026 is 1 July 2026), as asked');
  });
});

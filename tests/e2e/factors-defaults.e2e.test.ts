import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './browser';
import { useWorkbench } from './fixture';

/**
 * Factor defaults that do not lead into errors (issue 16): equal weights unless a portfolio is
 * picked, factor-return pickers that offer only tables of dates and numbers, and a public
 * long-form price table (vega's stocks.csv: symbol,date,price, `Jan 1 2000`, monthly) that fits
 * once its columns are named, labelled in months.
 */
const stocks = path.join(root, 'tests', 'fixtures', 'vega', 'stocks.csv');
const app = useWorkbench({
  name: 'facdef',
  demo: ['prices.csv', 'portfolio.csv', 'factors.csv'],
  viewport: { width: 1440, height: 900 },
  timeout: 20_000,
});

describe('factor defaults, in the browser', () => {
  it('fits vega stocks.csv with equal weights and its own column names, in months', async () => {
    const { shell, factors, page } = app;
    await shell.openFile(stocks, 'stocks.csv');
    await factors.open();
    // The portfolio of the demo prices is not preselected: its tickers are not stocks.csv's.
    await expect(factors.weights.innerText()).resolves.toContain('Equal weights');
    await expect(factors.priceColumns()).resolves.toEqual({ ticker: 'symbol', date: 'date', price: 'price' });
    await factors.setK(2);
    await app.shot('factors-defaults-form-1440');
    await factors.run();
    // GOOG's prices start in August 2004: 67 monthly returns (September 2004 to March 2010) for all five.
    await expect(factors.sample().innerText()).resolves.toMatch(/67 months/);
    await expect(page.locator('[data-test=factors-result]').innerText()).resolves.toContain('2004-09-01 to 2010-03-01');
    const warnings = await factors.warnings().innerText();
    expect(warnings).toContain('GOOG has returns for 67 months of 122 (2004-09-01 to 2010-03-01)');
    expect(warnings).toMatch(/\d+ price rows dated Saturday or Sunday kept: the prices are monthly/);
    await app.shot('factors-defaults-stocks-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await app.shot('factors-defaults-stocks-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('offers only tables of a date and numbers as factor returns', async () => {
    const { shell, factors, page } = app;
    await shell.openDataset('stocks.csv');
    await factors.open();
    await factors.regression(false);
    // prices.csv (a ticker column), portfolio.csv (no date) and stocks.csv itself are not factor returns.
    await expect(factors.options('regression-factors')).resolves.toEqual(['factors.csv']);
    await page.setViewportSize({ width: 1024, height: 700 });
    await app.shot('factors-defaults-form-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('still fits the demo prices with the portfolio when it is picked', async () => {
    const { shell, factors } = app;
    await shell.openDataset('prices.csv');
    await factors.open();
    await expect(factors.priceColumns()).resolves.toEqual({ ticker: 'ticker', date: 'date', price: 'close' });
    await factors.pickWeights('portfolio.csv (portfolio)');
    await factors.setK(2);
    await factors.run();
    await expect(factors.sample().innerText()).resolves.toMatch(/63 days/);
    await expect(factors.explained.innerText()).resolves.toBe('78.5%');
  });
});

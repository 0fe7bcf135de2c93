import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './browser';
import { useWorkbench } from './fixture';

/** Factor models through the real UI: fit, names, outlier days on the chart, regression, exports. */
const app = useWorkbench({ name: 'fac', demo: ['prices.csv', 'portfolio.csv', 'factors.csv'], fullPageShots: true });

describe('factor models, in the browser', () => {
  it('fits a two-factor model of the demo prices with the portfolio weights (SPEC 14.2 numbers)', async () => {
    const { shell, factors } = app;
    await shell.openDataset('prices.csv');
    await factors.open();
    // Equal weights unless a portfolio is picked (issue 16); the SPEC numbers are the portfolio's.
    await expect(factors.weights.innerText()).resolves.toContain('Equal weights');
    await factors.pickWeights('portfolio.csv (portfolio)');
    await factors.setK(2);
    await factors.run();
    await expect(factors.kValue.innerText()).resolves.toBe('2');
    // 43.97% + 34.49% of the variance.
    await expect(factors.explained.innerText()).resolves.toBe('78.5%');
    await expect(factors.name(1).inputValue()).resolves.toBe('Primary Shared Move (high: AAA; low: CCC/BBB)');
    const heat = await factors.heatmap.innerText();
    expect(heat).toMatch(/AAA\s+0\.72\s+0\.04/);
    expect(heat).toMatch(/BBB\s+0\.58\s+-0\.57/);
    await expect(factors.evChart.count()).resolves.toBe(1);
    await expect(factors.outlierRows.count()).resolves.toBe(15);
    await app.shot('30-factors');
  });

  it('marks an outlier day on the contributions chart', async () => {
    const { shell, factors } = app;
    const first = factors.outlierRows.first();
    const date = await factors.outlierDate(first);
    await first.click();
    await expect(factors.contribChart.getAttribute('data-highlight')).resolves.toBe(date);
    await expect(first.getAttribute('class')).resolves.toContain('picked');
    await factors.contribChart.scrollIntoViewIfNeeded();
    await app.shot('31-outlier-marked');
    await shell.toggleThemeByKey();
    await app.page.waitForFunction(
      () =>
        document.documentElement.dataset.theme === 'dark' ||
        document.body.classList.contains('dark') ||
        getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)',
    );
    await app.shot('31-outlier-marked-dark');
    await shell.toggleThemeByKey();
  });

  it('renames factors, and imports names from a labels file; the names stay with the run', async () => {
    const { shell, factors } = app;
    await factors.name(2).fill('Rates rotation');
    await factors.saveNames();
    // Leave the run and come back: the name was stored.
    await shell.openDataset('prices.csv');
    await shell.openRun(0);
    await factors.result();
    await expect(factors.name(2).inputValue()).resolves.toBe('Rates rotation');
    await factors.importNames(path.join(root, 'data', 'factor_labels.csv'), 'Broad Market Beta');
    await expect(factors.name(2).inputValue()).resolves.toBe('Growth vs Value Rotation');
    const download = await factors.export('csv');
    expect(download.suggestedFilename()).toBe('attribution_prices.csv');
    const csv = readFileSync((await download.path())!, 'utf8').split('\n');
    expect(csv[0]).toBe('date,factor_1_contrib,factor_2_contrib,total_factor_contrib,portfolio_return,residual');
    expect(csv).toHaveLength(63 + 2);
    const html = await factors.export('html');
    expect(readFileSync((await html.path())!, 'utf8')).toContain('Broad Market Beta');
  });

  it('regresses the portfolio on MKT, SMB, HML with Newey-West errors', async () => {
    const { shell, factors } = app;
    await shell.openDataset('prices.csv');
    await shell.openTab('Factors');
    await factors.regression(true);
    await factors.pickWeights('portfolio.csv (portfolio)');
    await expect(factors.regressionFactors.innerText()).resolves.toContain('factors.csv');
    await factors.runRegression();
    await expect(factors.r2.innerText()).resolves.toBe('0.4397');
    await expect(factors.coefficient('SMB').innerText()).resolves.toMatch(/SMB\s+1\.762401\s+0\.534448\s+3\.30\s+0\.002/);
    await expect(factors.coefficient('MKT').innerText()).resolves.toMatch(/-0\.845757/);
    await expect(factors.fittedChart.count()).resolves.toBe(1);
    await expect(shell.history.innerText()).resolves.toMatch(
      /Regression on factors\.csv: prices\.csv[\s\S]*Factor model \(k = 2\): prices\.csv/,
    );
    await app.shot('32-regression');
  });

  it('offers a focus on chosen factors in the Explain pane of a factor model', async () => {
    const { shell, factors, explain } = app;
    await shell.openRun('Factor model (k = 2)');
    await factors.result();
    await explain.openByKey();
    const options = await explain.focusOnFactor(1);
    expect(options).toHaveLength(2);
    expect(options[0]).toMatch(/^factor_1 · /);
    await expect(explain.focusFactors.innerText()).resolves.toContain('factor_2');
    await app.shot('33-factors-explain-focus');
  });
});

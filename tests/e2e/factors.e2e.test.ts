/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, root, serve, type Served } from './browser';

/** Factor models through the real UI: fit, names, outlier days on the chart, regression, exports. */
const shots = path.join(root, 'test-results', 'e2e');
let server: Served;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-fac-'));
  const demo = path.join(dir, 'demo');
  mkdirSync(demo);
  for (const f of ['prices.csv', 'portfolio.csv', 'factors.csv']) writeFileSync(path.join(demo, f), readFileSync(path.join(root, 'data', f)));
  server = await serve(['--workspace', path.join(dir, 'fac.flworkspace'), '--demo-data', demo]);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true })).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(server.url);
  await page.locator('[data-test=dataset-list] .name', { hasText: 'prices.csv' }).click();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('factor models, in the browser', () => {
  it('fits a two-factor model of the demo prices with the portfolio weights (SPEC 14.2 numbers)', async () => {
    await page.getByText('Factors', { exact: true }).click();
    await page.locator('[data-test=factors-panel]').waitFor();
    await expect(page.locator('[data-test=factors-weights]').innerText()).resolves.toContain('portfolio.csv (portfolio)');
    await page.locator('[data-test=factors-k] input').fill('2');
    await page.locator('[data-test=factors-k] input').blur();
    await page.locator('[data-test=run-factors]').click();
    await page.locator('[data-test=factors-result]').waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-test=factors-k-value]').innerText()).resolves.toBe('2');
    // 43.97% + 34.49% of the variance.
    await expect(page.locator('[data-test=factors-explained]').innerText()).resolves.toBe('78.5%');
    await expect(page.locator('[data-test=factor-name-1] input').inputValue()).resolves.toBe('Primary Shared Move (high: AAA; low: CCC/BBB)');
    const heat = await page.locator('[data-test=loadings-heatmap]').innerText();
    expect(heat).toMatch(/AAA\s+0\.72\s+0\.04/);
    expect(heat).toMatch(/BBB\s+0\.58\s+-0\.57/);
    await expect(page.locator('[data-test=ev-chart] canvas').count()).resolves.toBe(1);
    await expect(page.locator('[data-test=outlier-table] tbody tr').count()).resolves.toBe(15);
    await shot('30-factors');
  });

  it('marks an outlier day on the contributions chart', async () => {
    const first = page.locator('[data-test=outlier-table] tbody tr').first();
    const date = (await first.locator('td').first().innerText()).trim();
    await first.click();
    await expect(page.locator('[data-test=contrib-chart]').getAttribute('data-highlight')).resolves.toBe(date);
    await expect(first.getAttribute('class')).resolves.toContain('picked');
    await page.locator('[data-test=contrib-chart]').scrollIntoViewIfNeeded();
    await shot('31-outlier-marked');
    await page.keyboard.press('Control+Shift+L');
    await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark' || document.body.classList.contains('dark') || getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)');
    await shot('31-outlier-marked-dark');
    await page.keyboard.press('Control+Shift+L');
  });

  it('renames factors, and imports names from a labels file; the names stay with the run', async () => {
    await page.locator('[data-test=factor-name-2] input').fill('Rates rotation');
    await page.locator('[data-test=save-factor-names]').click();
    await page.getByText('Factor names saved.').first().waitFor();
    // Leave the run and come back: the name was stored.
    await page.locator('[data-test=dataset-list] .name', { hasText: 'prices.csv' }).click();
    await page.locator('[data-test=run-history] li').first().click();
    await page.locator('[data-test=factors-result]').waitFor();
    await expect(page.locator('[data-test=factor-name-2] input').inputValue()).resolves.toBe('Rates rotation');
    await page.locator('[data-test=factor-labels-file]').setInputFiles(path.join(root, 'data', 'factor_labels.csv'));
    await page.waitForFunction(() => (document.querySelector('[data-test=factor-name-1] input') as HTMLInputElement | null)?.value === 'Broad Market Beta');
    await expect(page.locator('[data-test=factor-name-2] input').inputValue()).resolves.toBe('Growth vs Value Rotation');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-csv]').click()]);
    expect(download.suggestedFilename()).toBe('attribution_prices.csv');
    const csv = readFileSync((await download.path())!, 'utf8').split('\n');
    expect(csv[0]).toBe('date,factor_1_contrib,factor_2_contrib,total_factor_contrib,portfolio_return,residual');
    expect(csv).toHaveLength(63 + 2);
    const [html] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-html]').click()]);
    expect(readFileSync((await html.path())!, 'utf8')).toContain('Broad Market Beta');
  });

  it('regresses the portfolio on MKT, SMB, HML with Newey-West errors', async () => {
    await page.locator('[data-test=dataset-list] .name', { hasText: 'prices.csv' }).click();
    await page.getByText('Factors', { exact: true }).click();
    await page.locator('[data-test=mode-regression]').click();
    await expect(page.locator('[data-test=regression-factors]').innerText()).resolves.toContain('factors.csv');
    await page.locator('[data-test=regression-nw]').click();
    await page.locator('[data-test=run-factors]').click();
    await page.locator('[data-test=regression-result]').waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-test=regression-r2]').innerText()).resolves.toBe('0.4397');
    await expect(page.locator('[data-test=coef-SMB]').innerText()).resolves.toMatch(/SMB\s+1\.762401\s+0\.534448\s+3\.30\s+0\.002/);
    await expect(page.locator('[data-test=coef-MKT]').innerText()).resolves.toMatch(/-0\.845757/);
    await expect(page.locator('[data-test=fitted-chart] canvas').count()).resolves.toBe(1);
    await expect(page.locator('[data-test=run-history]').innerText()).resolves.toMatch(/Regression on factors\.csv: prices\.csv[\s\S]*Factor model \(k = 2\): prices\.csv/);
    await shot('32-regression');
  });

  it('offers a focus on chosen factors in the Explain pane of a factor model', async () => {
    await page.locator('[data-test=run-history] .item', { hasText: 'Factor model (k = 2)' }).click();
    await page.locator('[data-test=factors-result]').waitFor();
    await page.keyboard.press('Control+j');
    await page.locator('[data-test=explain-pane]').waitFor();
    await page.locator('[data-test=explain-focus-factors] .n-base-selection').click();
    const options = await page.locator('.n-base-select-option:visible').allInnerTexts();
    expect(options).toHaveLength(2);
    expect(options[0]).toMatch(/^factor_1 · /);
    await page.locator('.n-base-select-option:visible').nth(1).click();
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-test=explain-focus-factors]').innerText()).resolves.toContain('factor_2');
    await shot('33-factors-explain-focus');
  });
});

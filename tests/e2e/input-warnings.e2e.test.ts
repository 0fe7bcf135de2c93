/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOptions, launchChromium, root, serve, type Served } from './browser';

/**
 * Bad input that would change the answer without a word (issue 12), as the analyst sees it in the
 * run view: a table with a repeated header, NaN and infinite revenue cells and date cells that
 * are no date, analyzed with a period comparison.
 */
const shots = path.join(root, 'test-results', 'e2e');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-warn-'));
let server: Served;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

/**
 * January and February 2026, dates written day first (14/01/2026 proves it). Two header cells
 * repeat (`region`, and `<i>note</i>`, which must show as text, not as markup); four revenue cells
 * are NaN or infinite; two date cells are no date.
 */
function warnedCsv(): string {
  const lines = ['order_date,region,region,<i>note</i>,<i>note</i>,revenue_usd'];
  const regions = ['US', 'EU', 'APAC'];
  const odd = new Map([
    [3, 'NaN'],
    [8, 'Infinity'],
    [13, '-Infinity'],
    [21, 'NaN'],
  ]);
  for (let i = 0; i < 36; i++) {
    const day = (i % 18) + 10;
    const month = i < 18 ? '01' : '02';
    lines.push(`${day}/${month}/2026,${regions[i % 3]},${regions[(i + 1) % 3]},a,b,${odd.get(i) ?? (100 + i * 7.5).toFixed(2)}`);
  }
  lines.push('next week,US,EU,a,b,50.00', '2026-02-30,EU,US,a,b,60.00');
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const noDemo = path.join(dir, 'no-demo');
  mkdirSync(noDemo);
  writeFileSync(path.join(dir, 'warned_sales.csv'), warnedCsv());
  // The file comes in through the file chooser (an upload); --allow-dir would be needed only for a file added by path.
  server = await serve(['--workspace', path.join(dir, 'warn.flworkspace'), '--demo-data', noDemo]);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(server.url);
  // Start in the light theme whatever the system prefers (the choice is remembered).
  await page.evaluate(() => localStorage.setItem('factorlens.theme', 'light'));
  await page.reload();
  await page.getByText('Why did the metric change?').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('input warnings in the run view', () => {
  it('shows the repeated header, the NaN cells and the unreadable dates of an analyze run, with their counts', async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-test=open-file]').click()]);
    await chooser.setFiles(path.join(dir, 'warned_sales.csv'));
    await page.locator('[data-test=dataset-title]', { hasText: 'warned_sales.csv' }).waitFor();
    await page.getByText('Analyze', { exact: true }).click();
    await page.locator('[data-test=analyze-panel]').waitFor();
    await chooseOptions(page, 'group-by', ['region']);
    await chooseOptions(page, 'metrics', ['revenue_usd']);
    await page.locator('[data-test=period-switch]').click();
    await page.locator('[data-test=anchor-date] input').fill('2026-03-15');
    await page.keyboard.press('Tab');
    await page.locator('[data-test=run-analyze]').click();
    await page.locator('[data-test=run-view]').waitFor({ timeout: 30_000 });

    const warnings = page.locator('[data-test=input-warnings]');
    await expect(warnings.locator('.n-alert-body__title').innerText()).resolves.toBe('Input warnings');
    await expect(warnings.locator('li').allInnerTexts()).resolves.toEqual([
      "column 'region' appears twice in the header; the second is read as 'region_2'",
      "column '<i>note</i>' appears twice in the header; the second is read as '<i>note</i>_2'",
      'revenue_usd: 4 cells are NaN or infinite and were left out',
      "order_date: 2 cells could not be read as dates and are in neither period (e.g. 'next week', '2026-02-30')",
    ]);
    // A header cell that looks like markup is text: no <i> element was made of it.
    await expect(warnings.locator('li i').count()).resolves.toBe(0);
    // The warning comes first, above the numbers it qualifies.
    const alertBox = await warnings.boundingBox();
    const statsBox = await page.locator('.result-stats').boundingBox();
    expect(alertBox!.y + alertBox!.height).toBeLessThanOrEqual(statsBox!.y);

    // The period windows say how 01/07/2026 was read, right after the date column's line.
    const windows = page.locator('[data-test=period-panel] ul').first().locator('li');
    await expect(windows.allInnerTexts()).resolves.toEqual([
      'Date column: order_date; windows: last month (anchor 2026-03-15).',
      'Dates like 01/07/2026 read day first (1 July 2026).',
      'Current: 2026-02-01..2026-02-28 (18 records).',
      'Previous: 2026-01-01..2026-01-31 (18 records).',
    ]);
    await shot('40-input-warnings-light');
    await page.locator('[data-test=period-panel]').scrollIntoViewIfNeeded();
    await shot('41-input-warnings-period');
    await page.locator('[data-test=run-view]').evaluate((el) => el.closest('.n-scrollbar-container')!.scrollTo(0, 0));
  });

  it('keeps the warnings readable in the dark theme', async () => {
    await page.locator('[data-test=toggle-theme]').click();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await page.mouse.move(700, 600); // off the theme button, whose tooltip would cover the run's actions
    await page.waitForTimeout(600); // the theme's colour transition, for the screenshot
    const warnings = page.locator('[data-test=input-warnings]');
    await expect(warnings.locator('li').count()).resolves.toBe(4);
    // The lines are light on the dark page (naive-ui's dark alert), not the light theme's dark text.
    const colour = await warnings.locator('li').first().evaluate((el) => getComputedStyle(el).color);
    const [r, g, b] = colour.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeGreaterThan(3 * 150);
    await shot('42-input-warnings-dark');
  });
});

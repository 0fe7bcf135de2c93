/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseOptions, launchChromium, root, serve, type Served } from './browser';

const shots = path.join(root, 'test-results', 'e2e');
const demo = path.join(root, 'data', 'factorlens_demo_sales.csv');
let server: Served;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false });
}

/** The segment table row whose first cell is exactly `name`. */
function segmentRow(name: string) {
  return page.locator('[data-test=segment-table] tbody tr').filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${name}$`) }) });
}

/** Picks options in a naive-ui multi-select by typing each and pressing Enter. */
const choose = (testId: string, values: string[]) => chooseOptions(page, testId, values);

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-'));
  const emptyDemo = path.join(dir, 'no-demo');
  mkdirSync(emptyDemo);
  // A test adds a big file by path from the temp folder: the web host reads only allowed folders.
  server = await serve(['--workspace', path.join(dir, 'e2e.flworkspace'), '--demo-data', emptyDemo, '--allow-dir', os.tmpdir()]);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the workbench in a real browser', () => {
  it('opens on an empty workspace that says what to do', async () => {
    await page.goto(server.url);
    await page.getByText('Why did the metric change?').waitFor();
    await expect(page.getByText('No datasets yet').isVisible()).resolves.toBe(true);
    // The token leaves the address bar once the page has it.
    expect(page.url()).not.toContain('token=');
    await shot('01-empty-workspace');
  });

  it('loads a CSV through the file chooser and previews it with column types', async () => {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-test=open-file]').click()]);
    await chooser.setFiles(demo);
    await page.locator('[data-test=dataset-title]', { hasText: 'factorlens_demo_sales.csv' }).waitFor();
    await page.getByText('100 rows · 8 columns').first().waitFor();
    const types = await page.locator('[data-test=preview] .type-chip').evaluateAll((els) => els.map((e) => `${e.textContent?.trim()}`));
    expect(types).toEqual([
      'order_date · date',
      'region · text',
      'channel · text',
      'product_line · text',
      'plan_tier · number',
      'revenue_usd · number',
      'cost_usd · number',
      'orders · number',
    ]);
    await page.getByText('First 50 of 100 rows').waitFor();
    await shot('02-preview');
  });

  it('runs Analyze and shows the ranked segments and the chart', async () => {
    await page.getByText('Analyze', { exact: true }).click();
    await page.locator('[data-test=analyze-panel]').waitFor();
    await choose('group-by', ['region']);
    await choose('metrics', ['revenue_usd', 'cost_usd', 'orders']);
    await page.locator('[data-test=rank-by] .n-base-selection').click();
    await page.keyboard.type('revenue');
    await page.locator('.n-base-select-option--pending', { hasText: 'revenue_usd' }).waitFor();
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-test=rank-by]').innerText()).resolves.toContain('revenue_usd');
    await page.locator('[data-test=run-analyze]').click();
    await page.locator('[data-test=run-view]').waitFor({ timeout: 30_000 });
    const us = segmentRow('US');
    await expect(us.innerText()).resolves.toMatch(/US\s+29\s+29\.00%\s+4,020,509\.65\s+27\.96%/);
    // Ranked by revenue: US first.
    await expect(page.locator('[data-test=segment-table] tbody tr').first().innerText()).resolves.toMatch(/^US/);
    const chart = page.locator('[data-test=segment-chart] canvas');
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(box?.height).toBeGreaterThan(100);
    await shot('03-analyze-result');
  });

  it('keeps the run in history across a reload and opens it without recomputing', async () => {
    await page.reload();
    const item = page.locator('[data-test=run-history] li').first();
    await item.waitFor();
    await expect(item.innerText()).resolves.toMatch(/factorlens_demo_sales\.csv by region\s+100 records · 4 segments/);
    await page.getByText('Why did the metric change?').waitFor();
    await item.locator('button.item').click();
    await page.locator('[data-test=run-view]').waitFor();
    await expect(segmentRow('US').innerText()).resolves.toContain('4,020,509.65');
    await shot('04-history-reopened');
  });

  it('exports the run as standalone HTML', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-html]').click()]);
    expect(download.suggestedFilename()).toBe('analyze_factorlens_demo_sales.html');
    const file = await download.path();
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h1>Analysis Brief</h1>');
    expect(html).toContain('4,020,509.65');
  });

  it('takes a dropped file, and explains a dropped file that is not a table', async () => {
    const drop = async (name: string, content: string) => {
      const transfer = await page.evaluateHandle(
        ([n, c]) => {
          const dt = new DataTransfer();
          dt.items.add(new File([c!], n!, { type: 'text/csv' }));
          return dt;
        },
        [name, content],
      );
      await page.dispatchEvent('.shell', 'dragenter', { dataTransfer: transfer });
      await page.dispatchEvent('.shell', 'drop', { dataTransfer: transfer });
    };
    await drop('notes.csv', '<!doctype html><html><body>not data</body></html>');
    await page.getByText('is an HTML or XML document, not a CSV table').waitFor();
    await shot('05-drop-error');
    await drop('teams.csv', 'team,sales\nRed,10\nBlue,5\nRed,1\n');
    await page.locator('[data-test=dataset-title]', { hasText: 'teams.csv' }).waitFor();
    await page.getByText('3 rows · 2 columns').first().waitFor();
    // The app kept working: both datasets are listed, the bad file is not.
    const names = await page.locator('[data-test=dataset-list] .name').allInnerTexts();
    expect(names).toEqual(['factorlens_demo_sales.csv', 'teams.csv']);
  });

  it('queues a run while the engines are busy, shows its place and progress, and cancels it', async () => {
    const big = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-big-')), 'big_sales.csv');
    const regions = ['US', 'EU', 'APAC', 'LATAM'];
    const lines: string[] = ['region,amount'];
    for (let i = 0; i < 2_000_000; i++) lines.push(`${regions[i % 4]},${(i % 997) + 0.5}`);
    writeFileSync(big, `${lines.join('\n')}\n`);
    // Added by path through the API, as the desktop app's File > Open does.
    const added = await page.evaluate(async (file) => {
      const token = sessionStorage.getItem('factorlens.token');
      const res = await fetch('/api/call/datasets.addFile', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ path: file }) });
      return ((await res.json()) as { value: { id: string } }).value.id;
    }, big);
    await page.reload();
    await page.locator('[data-test=dataset-list] .name', { hasText: 'big_sales.csv' }).click();
    await page.getByText('Analyze', { exact: true }).click();
    const runsBefore = await page.locator('[data-test=run-history] li').count();
    // Keep the engine pool busy: profiles of a large random sample (about a second or two each,
    // and not saved as runs), more of them than there are engines. They are sent from here, not
    // from the page, whose browser opens at most six connections to a host.
    const url = new URL(server.url);
    const token = url.searchParams.get('token')!;
    const busy = Array.from({ length: 12 }, () =>
      fetch(new URL('/api/call/datasets.suggest', url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: added, sampleRows: 50_000, sampleMode: 'random' }),
      }),
    );
    await page.locator('[data-test=run-analyze]').click();
    await page.locator('[data-test=job-progress]').waitFor();
    await page.getByText(/Waiting for an engine: \d+ runs ahead/).waitFor();
    await shot('07-run-in-progress');
    await page.locator('[data-test=cancel-run]').click();
    await page.getByText('Run cancelled.').waitFor();
    await expect(page.locator('[data-test=job-progress]').count()).resolves.toBe(0);
    // The profiles that kept the engines busy all finish; the cancelled run left no run behind.
    const statuses = await Promise.all(busy.map(async (r) => (await r).status));
    expect(statuses).toEqual(Array(12).fill(200));
    await expect(page.locator('[data-test=run-history] li').count()).resolves.toBe(runsBefore);
  });

  it('switches to the dark theme', async () => {
    await page.locator('[data-test=toggle-theme]').click();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await page.locator('[data-test=run-history] button.item').first().click();
    await page.locator('[data-test=run-view]').waitFor();
    await shot('06-dark-theme');
  });
});

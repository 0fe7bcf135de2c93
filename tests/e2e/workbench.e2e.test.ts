/// <reference lib="dom" />
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './browser';
import { useWorkbench } from './fixture';

const demo = path.join(root, 'data', 'factorlens_demo_sales.csv');
// A test adds a big file by path from the temp folder: the web host reads only allowed folders.
const app = useWorkbench({
  name: 'wb',
  allowDirs: ({ dir }) => [dir],
  viewport: { width: 1360, height: 860 },
  timeout: 10_000,
  open: false,
});

describe('the workbench in a real browser', () => {
  it('opens on an empty workspace that says what to do', async () => {
    const { page, shell } = app;
    await app.open();
    await shell.tagline.waitFor();
    await expect(page.getByText('No datasets yet').isVisible()).resolves.toBe(true);
    // The token leaves the address bar once the page has it.
    expect(page.url()).not.toContain('token=');
    await app.shot('01-empty-workspace');
  });

  it('loads a CSV through the file chooser and previews it with column types', async () => {
    const { page, shell } = app;
    await shell.openFile(demo, 'factorlens_demo_sales.csv');
    await page.getByText('100 rows · 8 columns').first().waitFor();
    const types = await shell.previewTypes.evaluateAll((els) =>
      els.map((e) => `${e.querySelector('.col-name')?.textContent?.trim()} · ${e.getAttribute('data-type')}`),
    );
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
    // The whole table is in the grid: 100 rows, revenue with thousands separators.
    await page.locator('[data-test=grid-count]', { hasText: '100 rows' }).waitFor();
    await expect(app.grid.rowTexts(0)).resolves.toEqual([
      '1',
      '2026-01-01',
      'US',
      'Direct',
      'Services',
      '0',
      '42,670.12',
      '24,649.41',
      '22',
    ]);
    await app.shot('02-preview');
  });

  it('runs Analyze and shows the ranked segments and the chart', async () => {
    const { analyze, run } = app;
    await analyze.open();
    await analyze.fill({
      groupBy: ['region'],
      metrics: ['revenue_usd', 'cost_usd', 'orders'],
      rankBy: { typed: 'revenue', value: 'revenue_usd' },
    });
    await expect(analyze.rankBy.innerText()).resolves.toContain('revenue_usd');
    await analyze.run();
    await expect(run.segmentRow('US').innerText()).resolves.toMatch(/US\s+29\s+29\.00%\s+4,020,509\.65\s+27\.96%/);
    // Ranked by revenue: US first.
    await expect(run.segmentRows.first().innerText()).resolves.toMatch(/^US/);
    const box = await run.segmentChart.boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(box?.height).toBeGreaterThan(100);
    await app.shot('03-analyze-result');
  });

  it('keeps the run in history across a reload and opens it without recomputing', async () => {
    const { page, shell, run } = app;
    await page.reload();
    const item = shell.historyItems.first();
    await item.waitFor();
    await expect(item.innerText()).resolves.toMatch(
      /factorlens_demo_sales\.csv by region\n\s*Analyze · region[^\n]*\n\s*100 records · 4 segments/,
    );
    await shell.tagline.waitFor();
    await shell.openRun(0);
    await run.shown();
    await expect(run.segmentRow('US').innerText()).resolves.toContain('4,020,509.65');
    await app.shot('04-history-reopened');
  });

  it('exports the run as standalone HTML', async () => {
    const download = await app.run.export('html');
    expect(download.suggestedFilename()).toBe('analyze_factorlens_demo_sales.html');
    const file = await download.path();
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h1>Analysis Brief</h1>');
    expect(html).toContain('4,020,509.65');
  });

  it('takes a dropped file, and explains a dropped file that is not a table', async () => {
    const { page, shell } = app;
    await shell.dropFile('notes.csv', '<!doctype html><html><body>not data</body></html>');
    await page.getByText('is an HTML or XML document, not a CSV table').waitFor();
    await app.shot('05-drop-error');
    await shell.dropFile('teams.csv', 'team,sales\nRed,10\nBlue,5\nRed,1\n');
    await shell.datasetTitle.filter({ hasText: 'teams.csv' }).waitFor();
    await page.getByText('3 rows · 2 columns').first().waitFor();
    // The app kept working: both datasets are listed, the bad file is not.
    const names = await shell.datasetNames.allInnerTexts();
    expect(names).toEqual(['factorlens_demo_sales.csv', 'teams.csv']);
  });

  it('queues a run while the engines are busy, shows its place and progress, and cancels it', async () => {
    const { page, shell, analyze, run } = app;
    mkdirSync(path.join(app.dir, 'big'));
    const big = path.join(app.dir, 'big', 'big_sales.csv');
    const regions = ['US', 'EU', 'APAC', 'LATAM'];
    const lines: string[] = ['region,amount'];
    for (let i = 0; i < 2_000_000; i++) lines.push(`${regions[i % 4]},${(i % 997) + 0.5}`);
    writeFileSync(big, `${lines.join('\n')}\n`);
    // Added by path through the API, as the desktop app's File > Open does.
    const added = await shell.call<{ id: string }>('datasets.addFile', { path: big });
    await page.reload();
    await shell.openDataset('big_sales.csv');
    await shell.openTab('Analyze');
    const runsBefore = await shell.historyItems.count();
    // Keep the engine pool busy: profiles of a large random sample (about a second or two each,
    // and not saved as runs), more of them than there are engines. They are sent from here, not
    // from the page, whose browser opens at most six connections to a host.
    const url = new URL(app.server.url);
    const token = url.searchParams.get('token')!;
    const busy = Array.from({ length: 12 }, () =>
      fetch(new URL('/api/call/datasets.suggest', url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: added.id, sampleRows: 50_000, sampleMode: 'random' }),
      }),
    );
    await analyze.start();
    // A loaded 2-core machine takes a while to start twelve profiles of a 2M-row file: the waits
    // are longer than the page's default, the checks the same.
    await run.progress.waitFor({ timeout: 45_000 });
    await page.getByText(/Waiting for an engine: \d+ runs ahead/).waitFor({ timeout: 45_000 });
    await app.shot('07-run-in-progress');
    await run.cancel();
    await page.getByText('Run cancelled.').waitFor();
    await expect(run.progress.count()).resolves.toBe(0);
    // The profiles that kept the engines busy all finish; the cancelled run left no run behind.
    const statuses = await Promise.all(busy.map(async (r) => (await r).status));
    expect(statuses).toEqual(Array(12).fill(200));
    await expect(shell.historyItems.count()).resolves.toBe(runsBefore);
  }, 120_000);

  it('switches to the dark theme', async () => {
    const { shell, run } = app;
    await shell.toggleTheme();
    await expect(shell.theme()).resolves.toBe('dark');
    await shell.openRun(0);
    await run.shown();
    await app.shot('06-dark-theme');
  });
});

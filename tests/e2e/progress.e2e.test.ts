/// <reference lib="dom" />
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBigCsv } from '../fixtures/big-csv';
import { useWorkbench } from './fixture';

/**
 * Progress that moves (issue 16): analyzing a 3M-row file, the bar shows the scan's real percent
 * (past the 10% at which the scan starts) while the scan runs, before the run view appears.
 */
const app = useWorkbench({ name: 'progress', viewport: { width: 1440, height: 900 }, timeout: 60_000 });

describe('run progress in the workbench', () => {
  it('shows the scan percent rising before the result', async () => {
    const { page, shell, analyze } = app;
    const file = path.join(app.dir, 'big_sales.csv');
    await writeBigCsv(file, 3_000_000);
    await shell.openFile(file, 'big_sales.csv');
    await analyze.open();
    await analyze.fill({ groupBy: ['region', 'channel'], metrics: ['revenue'] });
    await analyze.start();

    const bar = page.locator('[data-test=job-progress-bar]');
    const percentNow = async () => Number((await bar.getAttribute('data-percent')) || -1);
    const seen: number[] = [];
    // Watch the bar until the run view replaces it; note each percent shown.
    const runView = page.locator('[data-test=run-view]');
    let shot = false;
    while (!(await runView.isVisible())) {
      if (await bar.isVisible().catch(() => false)) {
        const p = await percentNow().catch(() => -1);
        if (p >= 0 && p !== seen.at(-1)) seen.push(p);
        // The screenshot waits for a second scanning percent: taking it costs time the scan may not have left.
        if (!shot && seen.filter((x) => x > 10 && x < 95).length >= 2) {
          await app.shot('90-progress-scanning');
          shot = true;
        }
      }
      await page.waitForTimeout(50);
    }
    // Real scan progress: percents strictly between the scan's start (10%) and its end (95%), rising.
    const scanning = seen.filter((p) => p > 10 && p < 95);
    expect(scanning.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(shot).toBe(true);
    await runView.waitFor();
  }, 180_000);
});

/// <reference lib="dom" />
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useWorkbench } from './fixture';
import { root } from './browser';

/**
 * Defaults that do not lead into errors (issue 16), on vega's birdstrikes (10,000 strikes,
 * 1990-01-08 to 2002-07-25), a table nobody here wrote: the period windows anchor on its latest
 * date with their rows shown before the run, Analyze with nothing chosen gives a readable
 * grouping and a primary metric that is not mostly zeros, filters offer the column's values, and
 * a filter that matches nothing says so in the form instead of running.
 */
const app = useWorkbench({ name: 'defaults', theme: 'light', viewport: { width: 1440, height: 900 }, timeout: 15_000 });

describe('analyze defaults on birdstrikes', () => {
  it('anchors the windows on the latest flight date and shows their rows before the run', async () => {
    const { shell, analyze, page } = app;
    const file = path.join(app.dir, 'birdstrikes.csv');
    copyFileSync(path.join(root, 'tests/fixtures/vega/birdstrikes.csv'), file);
    await shell.openFile(file, 'birdstrikes.csv');
    await analyze.open();
    // The auto choice shows as the placeholders before anything runs.
    await expect(analyze.groupBy.innerText()).resolves.toContain('Auto: Wildlife Size, Time of day');
    await analyze.comparePeriods();
    await expect(analyze.dateRange.innerText()).resolves.toBe(
      'Flight Date runs from 1990-01-08 to 2002-07-25; anchored on its latest date.',
    );
    await expect(page.locator('[data-test=anchor-date] input').inputValue()).resolves.toBe('2002-07-25');
    // The default preset (last complete month before the anchor's): June 2002 against May 2002.
    await page.waitForFunction(() => !document.querySelector('[data-test=window-counts]')?.textContent?.includes('…'));
    await expect(analyze.windowCounts.innerText()).resolves.toMatch(
      /^Previous 2002-05-01\.\.2002-05-31: 163 rows\s+Current 2002-06-01\.\.2002-06-30: 109 rows$/,
    );
    await app.shot('analyze-defaults-windows-1440');
    // An anchor typed by hand is kept; a window with no rows says so before the run.
    await page.locator('[data-test=anchor-date] input').fill('2026-11-26');
    await page.keyboard.press('Tab');
    await expect
      .poll(() => analyze.windowCounts.locator('.warn').allInnerTexts())
      .toEqual(['Previous 2026-09-01..2026-09-30: no rows', 'Current 2026-10-01..2026-10-31: no rows']);
    await page.locator('[data-test=anchor-date] input').fill('2002-07-25');
    await analyze.comparePeriods(false);
  });

  it('runs with nothing chosen: 12 segments of Wildlife Size x Time of day, Speed as the primary metric', async () => {
    const { analyze, run, page } = app;
    await analyze.run();
    await expect(run.title.innerText()).resolves.toBe('birdstrikes.csv by Wildlife Size, Time of day');
    const facts = await page.locator('[data-test=run-view]').innerText();
    expect(facts).toContain('groups auto-detected');
    const headers = await run.segmentTable.locator('thead th').allInnerTexts();
    const metrics = ['Speed IAS in knots', 'Cost Total $', 'Cost Repair', 'Cost Other'];
    expect(headers.filter((h) => metrics.includes(h))).toEqual(['Speed IAS in knots', 'Cost Total $', 'Cost Repair']);
    await expect(run.stats.innerText()).resolves.toMatch(/Segments\s+12\b/);
    // The summary's share is of a metric with mostly non-zero values, not "0.0% of total Cost Other".
    expect(facts).toMatch(/Largest segment is .+ of records and \d+\.\d% of total Speed IAS in knots\./);
    expect(facts).not.toContain('0.0% of total');
    await app.shot('analyze-defaults-run-1440');
  });

  it('offers the values of a filter column, and refuses a filter that matches no row before the run', async () => {
    const { shell, analyze, page } = app;
    await shell.openDataset(/birdstrikes/);
    await analyze.open();
    // Typing narrows the offered values where the data lives (ignoring case), with their rows.
    const offered = await analyze.addFilter('Origin State', 'new', 'New York');
    expect(offered).toEqual(['“new” as typed', 'New York (391 rows)', 'New Jersey (351 rows)']);
    await expect.poll(() => analyze.filterRows.first().locator('[data-test=filter-count]').innerText()).toBe('391 rows');
    // A value typed with another case (kept as typed, not the offered 'Large') matches nothing until "Ignore case" is on.
    expect(await analyze.addFilter('Wildlife Size', 'LARGE', '“LARGE” as typed')).toEqual(['“LARGE” as typed', 'Large (744 rows)']);
    await expect.poll(() => analyze.filterRows.nth(1).locator('[data-test=filter-count]').innerText()).toBe('matches no row');
    await expect
      .poll(() => analyze.noMatch.innerText())
      .toBe(
        'The filter Wildlife Size = ‘LARGE’ matches no row of 10,000 (values are compared with their case; “Ignore case” may find it).',
      );
    await expect(analyze.runButton.isDisabled()).resolves.toBe(true);
    await app.shot('analyze-defaults-no-match-1440');
    await page.setViewportSize({ width: 1024, height: 700 });
    await analyze.noMatch.scrollIntoViewIfNeeded();
    await app.shot('analyze-defaults-no-match-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('[data-test=filter-ignore-case]').click();
    await expect.poll(() => analyze.filterRows.nth(1).locator('[data-test=filter-count]').innerText()).toBe('744 rows');
    await expect.poll(() => analyze.noMatch.count()).toBe(0);
    await analyze.run();
    const facts = await page.locator('[data-test=run-view]').innerText();
    expect(facts).toMatch(/Origin State=New York\s+Wildlife Size=LARGE\s+ignoring case/);
    // New York strikes of large animals, 'LARGE' matching 'Large'.
    await expect(app.run.stats.innerText()).resolves.toMatch(/Records\s+33\s+of 10,000 rows read/);
  });

  it('every picker of the form with more than ten entries is searchable', async () => {
    const { shell, analyze, page } = app;
    await shell.openDataset(/birdstrikes/);
    await analyze.open();
    await analyze.comparePeriods();
    await analyze.addFilter('Airport Name', 'BARKSDALE AIR FORCE BASE ARPT');
    const selects = page.locator('[data-test=analyze-panel] .n-select');
    const count = await selects.count();
    expect(count).toBe(9);
    for (let i = 0; i < count; i++) {
      const select = selects.nth(i);
      if (!(await select.isVisible())) continue;
      await expect.poll(() => page.locator('.n-base-select-menu:visible').count()).toBe(0);
      await select.locator('.n-base-selection').click();
      const menu = page.locator('.n-base-select-menu:visible').last();
      await menu.waitFor();
      const entries = await menu.locator('.n-base-select-option').count();
      // A searchable select takes typing: its selection holds an input.
      const searchable = (await select.locator('input.n-base-selection-input, .n-base-selection-input-tag input').count()) > 0;
      if (entries > 10) expect(searchable, `select ${i} has ${entries} entries`).toBe(true);
      await page.keyboard.press('Escape');
    }
  });
});

describe('at 1024x700', () => {
  it('the form with the period counts fits', async () => {
    const { shell, analyze, page } = app;
    await page.setViewportSize({ width: 1024, height: 700 });
    await shell.openDataset(/birdstrikes/);
    await analyze.open();
    await analyze.comparePeriods();
    await page.waitForFunction(() => /rows/.test(document.querySelector('[data-test=window-counts]')?.textContent ?? ''));
    await app.shot('analyze-defaults-windows-1024');
    // Nothing in the period row runs past the window's right edge.
    const overflow = await page.evaluate(() => {
      const box = document.querySelector('[data-test=period-options]')!.getBoundingClientRect();
      return box.right <= window.innerWidth;
    });
    expect(overflow).toBe(true);
  });
});

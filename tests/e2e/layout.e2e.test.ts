/// <reference lib="dom" />
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useWorkbench } from './fixture';

/**
 * The window's layout as a user sees it at 1440x900 and 1024x700: charts beside the Explain pane,
 * the collapsible sidebar, one-line titles and numbers, history lines that tell runs apart, and
 * deletions that can be undone.
 */
const app = useWorkbench({
  name: 'layout',
  demo: ['factorlens_demo_sales.csv', 'demo_revenue.csv'],
  viewport: { width: 1440, height: 900 },
  setupTimeout: 90_000,
});

/** How many lines each element's text takes (text rectangles grouped by their top, 4 px apart or more). */
function lineCounts(cells: Locator): Promise<number[]> {
  return cells.evaluateAll((els) =>
    els.map((el) => {
      const tops: number[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of Array.from(range.getClientRects())) if (rect.width > 0) tops.push(rect.top);
      }
      const lines = tops.sort((a, b) => a - b).filter((top, i, all) => i === 0 || top - all[i - 1]! >= 4);
      return lines.length;
    }),
  );
}

/** The words of each header that are split over two lines ("Tick" / "er"). */
function splitWords(headers: Locator): Promise<string[]> {
  return headers.evaluateAll((els) =>
    els.flatMap((el) => {
      const split: string[] = [];
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of (node.textContent ?? '').matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set(
            Array.from(range.getClientRects())
              .filter((r) => r.width > 0)
              .map((r) => Math.round(r.top)),
          );
          if (tops.size > 1) split.push(m[0]);
        }
      }
      return split;
    }),
  );
}

/** The stat cards' rows: how many cards each row holds. */
async function statRows(cards: Locator): Promise<number[]> {
  const tops = new Map<number, number>();
  for (const box of await cards.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().top)))) {
    tops.set(box, (tops.get(box) ?? 0) + 1);
  }
  return [...tops.values()];
}

async function analyzeRegion(anchor: string, groupBy: string[]): Promise<void> {
  const { shell, analyze } = app;
  await shell.openDatasetNamed('factorlens_demo_sales.csv');
  await analyze.open();
  await analyze.fill({ groupBy, metrics: ['revenue_usd'], rankBy: { typed: 'revenue', value: 'revenue_usd' }, anchor });
  await analyze.run();
}

describe('the layout of a run', () => {
  it('with the Explain pane open, the bar chart stays left of the pane and the stat cards wrap evenly', async () => {
    const { run, explain, page } = app;
    await analyzeRegion('2026-03-10', ['region']);
    await app.shot('80-layout-run-1440');
    await page.locator('[data-test=toggle-explain]').click();
    await explain.pane.waitFor();
    // chart.js redraws at its container's new size on the next frame.
    await page.waitForTimeout(300);
    const pane = (await explain.pane.boundingBox())!;
    // The segments chart and the period's movers chart both end before the pane.
    for (const canvas of [run.segmentChart, run.moverChart]) {
      const chart = (await canvas.boundingBox())!;
      expect(chart.width).toBeGreaterThan(150);
      expect(chart.x + chart.width).toBeLessThanOrEqual(pane.x);
    }
    const rows = await statRows(run.stats.locator(':scope > *'));
    expect(rows.every((n) => n === rows[0])).toBe(true);
    await app.shot('81-layout-explain-1440');
    await page.locator('[data-test=toggle-explain]').click();
    await explain.pane.waitFor({ state: 'detached' });
  });

  it("closes a button's tooltip when the button is clicked, though the mouse stays on it", async () => {
    const { page, explain } = app;
    const button = page.locator('[data-test=toggle-explain]');
    const tooltip = page.locator('.n-tooltip', { hasText: 'Ask questions about this run' });
    await button.hover();
    await tooltip.waitFor();
    await button.click();
    await explain.pane.waitFor();
    // The pane it opened is not covered by a tooltip left behind.
    await tooltip.waitFor({ state: 'hidden' });
    await button.click();
    await explain.pane.waitFor({ state: 'detached' });
    await page.mouse.move(700, 600);
  });

  it('gives two analyze runs of different windows or groupings different history lines, the whole in a tooltip', async () => {
    const { shell } = app;
    await analyzeRegion('2026-02-10', ['region']);
    await analyzeRegion('2026-02-10', ['channel']);
    const lines = await shell.history
      .locator('.item')
      .evaluateAll((items) =>
        items.map((i) => `${i.querySelector('.name')?.textContent} | ${i.querySelector('[data-test=run-detail]')?.textContent}`),
      );
    expect(lines).toHaveLength(3);
    expect(new Set(lines).size).toBe(3);
    const details = await shell.historyDetails.allInnerTexts();
    // Same grouping, windows a month apart: the lines differ by their windows.
    expect(details[1]).toMatch(/^Analyze · region · \w+( \d{4})? → \w+ \d{4} · by revenue_usd$/);
    expect(details[2]).toMatch(/^Analyze · region · \w+( \d{4})? → \w+ \d{4} · by revenue_usd$/);
    expect(details[1]).not.toBe(details[2]);
    expect(details[0]).toMatch(/^Analyze · channel · /);
    await expect(shell.run(0).getAttribute('title')).resolves.toBe(`factorlens_demo_sales.csv by channel\n${details[0]}`);
    // Two runs through the form: a loaded CI machine has taken over 30 s for them.
  }, 90_000);
});

describe('at 1024x700', () => {
  it('collapses the sidebar (button and Ctrl+B, remembered), keeps the title and numbers on one line and header words whole', async () => {
    const { shell, run, page } = app;
    await page.setViewportSize({ width: 1024, height: 700 });
    await shell.openRun(0);
    await run.shown();
    await app.shot('82-layout-1024-sidebar');
    expect(await shell.sidebarWidth()).toBeGreaterThan(200);
    await shell.toggleSidebar('key');
    expect(await shell.sidebarWidth()).toBe(0);
    await app.shot('83-layout-1024-collapsed');
    // Remembered across a reload.
    await shell.reload();
    expect(await shell.sidebarWidth()).toBe(0);
    await shell.toggleSidebar('button');
    expect(await shell.sidebarWidth()).toBeGreaterThan(200);
    await shell.openRun(0);
    await run.shown();
    await shell.toggleSidebar('button');
    expect(await shell.sidebarWidth()).toBe(0);

    await expect(lineCounts(run.title)).resolves.toEqual([1]);
    const numeric = run.segmentTable.locator('td.n-data-table-td--right-align, td.r');
    expect(await numeric.count()).toBeGreaterThan(10);
    expect(new Set(await lineCounts(numeric))).toEqual(new Set([1]));
    await expect(splitWords(page.locator('th'))).resolves.toEqual([]);

    // The Explain pane at this width: the chart still ends before it.
    await page.locator('[data-test=toggle-explain]').click();
    await app.explain.pane.waitFor();
    await page.waitForTimeout(300);
    const chart = (await run.segmentChart.boundingBox())!;
    expect(chart.x + chart.width).toBeLessThanOrEqual((await app.explain.pane.boundingBox())!.x);
    await expect(lineCounts(run.title)).resolves.toEqual([1]);
    await app.shot('84-layout-1024-explain');
    await page.locator('[data-test=toggle-explain]').click();
    await shell.toggleSidebar('button');
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});

describe('Drivers runs', () => {
  it('run again with their options, and compare with another Drivers run side by side', async () => {
    const { shell, drivers, runActions, page } = app;
    await shell.openDatasetNamed('demo_revenue.csv');
    await drivers.open();
    await drivers.setAnchor('2026-04-15');
    await drivers.run();
    await expect(shell.historyDetails.first().innerText()).resolves.toMatch(/^Drivers · revenue_usd · Feb → Mar 2026 · /);
    await runActions.rerun();
    // The new run opens when it is done: a second Drivers run in the history.
    await shell.historyItems.nth(4).waitFor({ timeout: 30_000 });
    await drivers.result();
    await expect(shell.historyDetails.nth(0).innerText()).resolves.toBe(await shell.historyDetails.nth(1).innerText());
    await runActions.compareWith('revenue_usd');
    await expect(page.locator('[data-test=beside] [data-test=drivers-result]').count()).resolves.toBe(2);
    await app.shot('85-layout-drivers-beside');
    await runActions.closeBeside();
  }, 90_000);
});

describe('deleting with undo', () => {
  it('brings a deleted run back with its result, and it stays after the undo time', async () => {
    const { shell, run } = app;
    const title = 'factorlens_demo_sales.csv by channel';
    await shell.deleteRun(title);
    await expect(shell.historyItems.count()).resolves.toBe(4);
    await shell.undoNotice.waitFor();
    // Let the notice slide in before the screenshot.
    await page().waitForTimeout(400);
    await app.shot('86-layout-undo-run');
    await shell.undo();
    await shell.historyItems.nth(4).waitFor();
    await expect(shell.run(2).locator('.name').innerText()).resolves.toContain(title);
    await page().waitForTimeout(6_500);
    await shell.reload();
    await expect(shell.historyItems.count()).resolves.toBe(5);
    await shell.openRun(title);
    await run.shown();
    expect(await run.segmentRows.count()).toBeGreaterThan(0);
  });

  it('removes a dataset when its notice expires; after a reload it is gone, the other runs kept', async () => {
    const { shell } = app;
    await shell.deleteDataset('demo_revenue.csv');
    await expect(shell.datasetNames.allInnerTexts()).resolves.toEqual(['factorlens_demo_sales.csv']);
    await shell.undoNotice.waitFor();
    await shell.undoNotice.waitFor({ state: 'detached', timeout: 10_000 });
    await page().waitForTimeout(500);
    await shell.reload();
    await expect(shell.datasetNames.allInnerTexts()).resolves.toEqual(['factorlens_demo_sales.csv']);
    // Its two Drivers runs stay in the history; Run again now needs the file added again.
    await expect(shell.historyItems.count()).resolves.toBe(5);
    await shell.openRun(0);
    await app.drivers.result();
    await expect(app.runActions.rerunButton.isDisabled()).resolves.toBe(true);
  });

  it('sends a removal still in its undo time when the page goes away', async () => {
    const { shell } = app;
    await shell.deleteRun(4);
    await shell.undoNotice.waitFor();
    await shell.reload();
    await expect(shell.historyItems.count()).resolves.toBe(4);
    await page().waitForTimeout(300);
    await shell.reload();
    await expect(shell.historyItems.count()).resolves.toBe(4);
  });
});

function page() {
  return app.page;
}

import { describe, expect, it } from 'vitest';
import { useWorkbench } from './fixture';

/**
 * A guided investigation through the real UI and `factorlens serve`: revenue of the demo sales,
 * January against February 2026 (-6,944,476.75), top dimension region; the numbers hand-summed from
 * the CSV (as in decomposition-tree.e2e.test.ts).
 */
const app = useWorkbench({
  name: 'investigation',
  demo: ['factorlens_demo_sales.csv', 'factorlens_demo_sales_150.csv'],
  viewport: { width: 1440, height: 900 },
});

describe('an investigation, in the browser', () => {
  it('routes the question as it is typed, runs it, and shows the summary, the movers and the drawn branch graph', async () => {
    const { shell, investigation: inv } = app;
    await shell.openDataset('factorlens_demo_sales.csv');
    await inv.open();
    await inv.setAnchor('2026-03-15');
    await inv.ask('Where is revenue most concentrated?');
    await expect(inv.routed.innerText()).resolves.toContain('Where it concentrated');
    await inv.ask('Why did revenue change?');
    await expect(inv.routed.innerText()).resolves.toContain('What drove the change');
    await app.shot('70-investigation-form');
    await inv.run('Why did revenue change?');

    await expect(inv.change.innerText()).resolves.toBe('-6,944,476.75');
    await expect(inv.summary.innerText()).resolves.toMatch(/region/);
    await expect(inv.summarySource.innerText()).resolves.toContain('Computed from the steps');
    // APAC moved most: -3,325,567.96 of the -6,944,476.75 (47.9%).
    await expect(inv.mover('APAC').locator('[data-test=mover-delta]').innerText()).resolves.toBe('-3,325,567.96');
    await expect(inv.mover('APAC').innerText()).resolves.toContain('47.9%');
    // One box per step, one arrow per drill, each labelled with the segment it drills into.
    const steps = await inv.steps.count();
    expect(steps).toBeGreaterThan(1);
    await expect(inv.nodes.count()).resolves.toBe(steps);
    await expect(inv.edges.count()).resolves.toBe(steps - 1);
    await expect(inv.node('d0:region').textContent()).resolves.toContain('by region');
    await expect(inv.edges.first().textContent()).resolves.toMatch(/region = \w+/);
    await expect(inv.stopped.innerText()).resolves.not.toBe('');
    await app.shot('71-investigation');
    await inv.graph.scrollIntoViewIfNeeded();
    await app.shot('72-investigation-graph');
  });

  it('opens the rows of a step’s scope from its box, and comes back', async () => {
    const { shell, investigation: inv } = app;
    // The second box drills into one region: its rows are that region's.
    await inv.openNode(inv.nodes.nth(1));
    await expect(app.page.locator('[data-test=preview-filter]').innerText()).resolves.toMatch(/Rows where region = \w+/);
    expect(await shell.previewRows.count()).toBeGreaterThan(0);
    await inv.back.click();
    await inv.graph.waitFor();
    // The box opened is marked.
    await expect(inv.graph.locator('[data-test=branch-node][aria-pressed=true]').count()).resolves.toBe(1);
  });

  it('asks the recommended next question within the segment it names, and is readable in the dark theme', async () => {
    const { shell, investigation: inv } = app;
    const next = (await inv.nextQuestion.innerText()).replace(/\s*→$/, '').trim();
    expect(next.length).toBeGreaterThan(10);
    await inv.nextQuestion.click();
    await inv.waitFor(next);
    // It opens from its top, the summary in view.
    await expect(inv.summary.isVisible()).resolves.toBe(true);
    await expect(inv.summary.boundingBox().then((b) => b!.y >= 0 && b!.y < 900)).resolves.toBe(true);
    // Same table and windows, within the finding it names: APAC & plan_tier = 1, hand-summed with awk
    // (January 2,098,375.46, February 240,431.88), split by the dimensions its path left.
    await expect(inv.change.innerText()).resolves.toBe('-1,857,943.58');
    await expect(inv.summary.innerText()).resolves.toContain('Within region = APAC, plan_tier = 1');
    await shell.toggleTheme();
    await shell.settleTheme();
    // The theme button's tooltip (it has the focus) would cover the page.
    await app.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await app.page.mouse.move(700, 600);
    await app.page.waitForTimeout(300);
    await app.shot('73-investigation-dark');
    await inv.graph.scrollIntoViewIfNeeded();
    await app.shot('74-investigation-graph-dark');
    await shell.toggleTheme();
  });

  it('compares two snapshots: this dataset (base) with another (new), the mode routed from "biggest shift"', async () => {
    const { shell, investigation: inv } = app;
    await shell.openDataset('factorlens_demo_sales.csv');
    await inv.open();
    await inv.twoDatasets('factorlens_demo_sales_150.csv');
    await inv.ask('What was the biggest shift in revenue?');
    await expect(inv.routed.innerText()).resolves.toContain('Compare the snapshots');
    await inv.run('What was the biggest shift in revenue?');
    // 29,976,205.30 - 14,381,166.51, hand-summed; US rose most: 13,561,697.76 - 4,020,509.65.
    await expect(inv.change.innerText()).resolves.toBe('+15,595,038.79');
    await expect(inv.mover('US').locator('[data-test=mover-delta]').innerText()).resolves.toBe('+9,541,188.11');
    // The next question runs on the same two snapshots, within US & Direct (+7,214,325.45, 46.26% of the change).
    const next = (await inv.nextQuestion.innerText()).replace(/\s*→$/, '').trim();
    expect(next).toContain('region = US, channel = Direct');
    await inv.nextQuestion.click();
    await inv.waitFor(next);
    await expect(inv.change.innerText()).resolves.toBe('+7,214,325.45');
  });
});

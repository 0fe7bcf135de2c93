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

  it('opens the decomposition tree at a step from its box, its parts’ rows and back; a step’s rows from its row', async () => {
    const { shell, investigation: inv, tree } = app;
    // The box of the step within APAC: the tree drilled into region = APAC, split by that step's plan_tier.
    await inv.openTree(inv.node('d1:plan_tier:region=APAC'));
    await expect(tree.path.innerText()).resolves.toBe('Total › region = APAC');
    await expect(tree.splitBy(0).innerText()).resolves.toContain('region');
    await expect(tree.node(0, 'APAC').getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(tree.change(0, 'APAC').innerText()).resolves.toBe('-3.33M');
    await expect(tree.splitBy(1).innerText()).resolves.toContain('plan_tier');
    // Hand-summed with awk: APAC & plan_tier 1, January 2,098,375.46 -> February 240,431.88 (-1,857,943.58,
    // 26.8% of -6,944,476.75); plan_tier 0, 1,534,957.09 -> 67,332.71 (-1,467,624.38, 21.1%).
    await expect(tree.change(1, '1').innerText()).resolves.toBe('-1.86M');
    await expect(tree.node(1, '1').innerText()).resolves.toContain('26.8%');
    await expect(tree.change(1, '0').innerText()).resolves.toBe('-1.47M');
    await expect(tree.node(1, '0').innerText()).resolves.toContain('21.1%');
    // The tree is brought into view, and the box opened is marked.
    await expect(tree.tree.boundingBox().then((b) => b!.y >= -1 && b!.y < 900)).resolves.toBe(true);
    await expect(inv.graph.locator('[data-test=branch-node][aria-pressed=true]').getAttribute('data-id')).resolves.toBe(
      'd1:plan_tier:region=APAC',
    );
    await app.shot('75-investigation-tree');

    // A part's rows: APAC & plan_tier 1 has 17 rows in the table (14 in January, 3 in February).
    await tree.rows(1, '1');
    await expect(app.page.locator('[data-test=preview-filter]').innerText()).resolves.toContain(
      'Rows where region = APAC and plan_tier = 1',
    );
    await expect(shell.previewRows.count()).resolves.toBe(17);
    await inv.back.click();
    await tree.path.waitFor();
    await expect(tree.path.innerText()).resolves.toBe('Total › region = APAC');
    await expect(tree.change(1, '1').innerText()).resolves.toBe('-1.86M');

    // Enter on the top box: the whole split by region, nothing drilled into.
    await inv.node('d0:region').focus();
    await app.page.keyboard.press('Enter');
    await tree.path.waitFor({ state: 'detached' });
    await expect(tree.levels.count()).resolves.toBe(1);
    await expect(tree.change(0, 'APAC').innerText()).resolves.toBe('-3.33M');

    // A step's own rows, from its row of the steps.
    await inv.stepRows('d1:plan_tier:region=APAC');
    const filter = await app.page.locator('[data-test=preview-filter]').innerText();
    expect(filter).toContain('Rows where region = APAC');
    expect(filter).not.toContain('plan_tier');
    // Every APAC row of the table (awk: 26).
    await expect(shell.previewRows.count()).resolves.toBe(26);
    await inv.back.click();
    await inv.graph.waitFor();
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
    // Its tree holds only those rows: the root is within them, its change the run's.
    const { tree } = app;
    await inv.openTree(inv.node('d0:'));
    await expect(tree.tree.locator('[data-test=tree-root-name]').innerText()).resolves.toBe('Within region = APAC, plan_tier = 1');
    await expect(tree.root.locator('[data-test=tree-change]').innerText()).resolves.toBe('-1.86M');
    await inv.summary.scrollIntoViewIfNeeded();
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

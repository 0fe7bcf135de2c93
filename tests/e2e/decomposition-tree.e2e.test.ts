import { describe, expect, it } from 'vitest';
import { useWorkbench } from './fixture';

/**
 * The decomposition tree of "Where it changed", through the real UI and `factorlens serve`:
 * revenue of the demo sales, January against February 2026 (-6,944,476.75), drilled by channel,
 * then product line, then region; the numbers hand-summed from the CSV.
 */
const app = useWorkbench({ name: 'tree', demo: ['factorlens_demo_sales.csv'] });

describe('the decomposition tree, in the browser', () => {
  it('drills two levels in the order picked, shows each part’s change and share, opens its rows and comes back', async () => {
    const { shell, drivers, tree } = app;
    await shell.openDataset('factorlens_demo_sales.csv');
    await drivers.open();
    await drivers.setAnchor('2026-03-15');
    await drivers.segments(['region', 'channel', 'product_line']);
    await drivers.runSegments();
    await expect(tree.root.locator('[data-test=tree-change]').innerText()).resolves.toBe('-6.94M');

    // The whole splits first by the dimension that explains most: region (APAC -3,325,567.96).
    await tree.openRoot();
    await expect(tree.splitBy(0).innerText()).resolves.toContain('region');
    await expect(tree.change(0, 'APAC').innerText()).resolves.toBe('-3.33M');

    // Picked instead: channel, then Partner split by product line (not region, which explains more there).
    await tree.chooseSplit(0, 'channel');
    await expect(tree.level(0).innerText()).resolves.toMatch(/Direct[\s\S]*-2\.56M[\s\S]*36\.8%[\s\S]*Partner[\s\S]*-2\.38M/);
    await tree.drill(0, 'Partner');
    await expect(tree.splitBy(1).innerText()).resolves.toContain('region');
    await tree.chooseSplit(1, 'product_line');
    // Partner & AddOn: -468,170.13 - 507,644.82 + 74,333.23 - 338,120.90 = -1,239,602.62, 17.9% of the change.
    await expect(tree.change(1, 'AddOn').innerText()).resolves.toBe('-1.24M');
    await expect(tree.node(1, 'AddOn').innerText()).resolves.toContain('17.9%');
    // Partner & Core: -276,634.58 - 55,671.80 - 296,741.96 + 488,424.40 = -140,623.94.
    await expect(tree.change(1, 'Core').innerText()).resolves.toBe('-141K');
    await tree.drill(1, 'AddOn');
    await expect(tree.change(2, 'EU').innerText()).resolves.toBe('-508K');
    await expect(tree.path.innerText()).resolves.toBe('Total › channel = Partner › product_line = AddOn');
    await app.shot('25-decomposition-tree');

    // The rows of Partner & AddOn & EU: two January orders (143,861.04 and 363,783.78), none in February.
    await tree.rows(2, 'EU');
    await expect(shell.previewRows.count()).resolves.toBe(2);
    await expect(app.page.locator('[data-test=preview-filter]').innerText()).resolves.toContain(
      'Rows where channel = Partner and product_line = AddOn and region = EU',
    );
    await app.shot('26-decomposition-tree-rows');
    await tree.back.click();
    // Back at the run, the tree is as it was left.
    await tree.path.waitFor();
    await expect(tree.path.innerText()).resolves.toBe('Total › channel = Partner › product_line = AddOn');
    await expect(tree.change(2, 'EU').innerText()).resolves.toBe('-508K');
  });

  it('is reachable by keyboard and readable in the dark theme', async () => {
    const { shell, tree } = app;
    // Closing the first level closes the tree below it; the root opens it again from the keyboard.
    await tree.level(0).locator('[data-test=tree-close]').click();
    await expect(tree.levels.count()).resolves.toBe(0);
    await tree.root.focus();
    await app.page.keyboard.press('Enter');
    await tree.level(0).locator('[data-test=tree-node]').first().waitFor();
    await expect(tree.splitBy(0).innerText()).resolves.toContain('region');
    // Right drills into the first part (APAC), Down moves to the next part.
    await tree.root.focus();
    await app.page.keyboard.press('ArrowRight');
    await expect(app.page.evaluate(() => document.activeElement?.getAttribute('data-value'))).resolves.toBe('APAC');
    await app.page.keyboard.press('ArrowDown');
    await expect(app.page.evaluate(() => document.activeElement?.getAttribute('data-value'))).resolves.toBe('EU');
    await app.page.keyboard.press('ArrowRight');
    await tree.level(1).locator('[data-test=tree-node]').first().waitFor();
    await expect(tree.path.innerText()).resolves.toBe('Total › region = EU');
    await shell.toggleTheme();
    await shell.settleTheme();
    await tree.tree.scrollIntoViewIfNeeded();
    await app.shot('27-decomposition-tree-dark');
    await shell.toggleTheme();
  });
});

import { describe, expect, it } from 'vitest';
import { useWorkbench } from './fixture';

/** Why it changed, through the real UI: drivers with the exact bridge, the residual's rows, investigate. */
const app = useWorkbench({ name: 'drv', demo: ['demo_revenue_residual.csv'] });

describe('why it changed, in the browser', () => {
  it('explains the change by the identity, with a waterfall, the mix/rate bridge and the residual rows', async () => {
    const { shell, drivers } = app;
    await shell.openDataset('demo_revenue_residual.csv');
    await drivers.open();
    await drivers.setAnchor('2026-04-15');
    await drivers.windowsShown('2026-02-01..2026-02-28 → 2026-03-01..2026-03-31');
    await drivers.splitBy('region');
    await drivers.run();
    await expect(drivers.identityFound.innerText()).resolves.toBe('revenue_usd = orders * avg_price_usd');
    // The story comes first, in the words of src-shared/artifacts/drivers-story.test.ts.
    await expect(drivers.story.innerText()).resolves.toMatch(
      /^revenue_usd fell 16\.4% \(-880K\) from February to March 2026\.\s+Fewer orders explain -852K; lower avg_price_usd -110K\./,
    );
    await expect(drivers.residual.innerText()).resolves.toBe('+82,426.66');
    const table = await drivers.table.innerText();
    expect(table).toMatch(/orders[\s\S]*-852,447\.64/);
    expect(table).toMatch(/Actual change[\s\S]*-880,172\.44/);
    await expect(drivers.waterfall.count()).resolves.toBe(1);
    await expect(drivers.bridge.innerText()).resolves.toContain('APAC');
    await expect(drivers.residualSegments.innerText()).resolves.toContain(
      'campaign = spring_launch, channel = Marketplace, device_type = mobile, region = APAC',
    );
    await app.shot('20-drivers');
    await drivers.showResidualRows();
    // The 16 rows that carry the residual, and only those.
    await expect(shell.previewRows.count()).resolves.toBe(16);
    await app.shot('21-residual-rows');
  });

  it('investigates by regression and shows its diagnostics (SPEC 14.1 C)', async () => {
    const { shell, drivers } = app;
    await shell.openTab('Why it changed');
    await drivers.setAnchor('2026-04-15');
    await drivers.investigate('sum(orders), sum(traffic), avg(avg_price_usd)');
    await expect(app.page.locator('[data-test=mode-investigate]').innerText()).resolves.toBe('Regression on drivers');
    await drivers.runInvestigate();
    const table = await drivers.investigateTable.innerText();
    expect(table).toMatch(/sum\(orders\)[\s\S]*-696,191\.18[\s\S]*-12\.96%[\s\S]*79\.8934/);
    await shell.historyItems.nth(1).waitFor();
    await expect(shell.history.innerText()).resolves.toMatch(/Regression on drivers of revenue_usd[\s\S]*Why revenue_usd changed/);
    await app.shot('22-investigate');
  });

  it('finds where it changed: the regions of the change, adding up to it (hand-summed with awk)', async () => {
    const { shell, drivers } = app;
    await shell.openDataset('demo_revenue_residual.csv');
    await drivers.open();
    await drivers.setAnchor('2026-04-15');
    await drivers.segments(['region']);
    await app.shot('24-segments-form');
    await drivers.runSegments();
    await expect(drivers.segmentsChange.innerText()).resolves.toBe('-880,172.44');
    const bridge = await drivers.segmentsBridge.innerText();
    expect(bridge).toMatch(/region = US[\s\S]*-550,216\.40[\s\S]*62\.5%/);
    expect(bridge).toMatch(/region = EU[\s\S]*-238,852\.00/);
    expect(bridge).toMatch(/region = APAC[\s\S]*-91,104\.04/);
    await shell.historyItems.nth(2).waitFor();
    await expect(shell.history.innerText()).resolves.toMatch(/Where revenue_usd changed/);
    await app.shot('24-segments');
  });

  it("opens the Explain pane beside the run (Ctrl+J); without a model it tells the run's story above the evidence", async () => {
    const { shell, drivers, explain } = app;
    await shell.openRun(2);
    await drivers.result();
    await expect(explain.pane.count()).resolves.toBe(0);
    await explain.openByKey();
    await explain.noModel.waitFor();
    // The story replaces the raw lines; the evidence list, open below it, keeps the exact residual (+82,426.66).
    await expect(explain.story.allInnerTexts()).resolves.toEqual([
      'revenue_usd fell 16.4% (-880K) from February to March 2026.',
      'Fewer orders explain -852K; lower avg_price_usd -110K.',
      '+82.4K is not explained by the formula and sits in the 16 rows of campaign = spring_launch, channel = Marketplace, device_type = mobile, region = APAC.',
      'Split by region, the volume of orders accounts for -862K, the mix across region values -983 and the rate within each -99.8K.',
    ]);
    await expect(explain.summary.innerText()).resolves.not.toContain('[E5]');
    await expect(explain.evidence.innerText()).resolves.toContain('explained=-962599.1 (-17.92%) residual=82426.66 (1.53%)');
    await app.shot('23-drivers-explain-pane');
    // A segments run tells its own story there.
    await shell.openRun(0);
    await drivers.segmentsStory.waitFor();
    await expect(explain.story.first().innerText()).resolves.toBe('revenue_usd fell 16.4% (-880K) from February to March 2026.');
    await expect(explain.evidence.innerText()).resolves.toContain('change=-880172.44');
    await explain.close();
  });
});

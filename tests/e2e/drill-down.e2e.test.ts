import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './browser';
import { useWorkbench } from './fixture';

/**
 * Drill-down and table exports, through the real UI: a bar, a table row (by click and by
 * keyboard) and a waterfall step open exactly the rows of their segment, with Back to the run;
 * a run's tables export as CSV with the artifact's raw numbers.
 */
const app = useWorkbench({
  name: 'drill',
  demo: ['factorlens_demo_sales.csv', 'demo_revenue_residual.csv'],
  viewport: { width: 1440, height: 900 },
  timeout: 10_000,
});

/** Rows of a demo CSV whose `column` is `value`, counted here (the files have no quoted commas). */
function rowsWhere(file: string, column: string, value: string): number {
  const [header, ...lines] = readFileSync(path.join(root, 'data', file), 'utf8')
    .trim()
    .split('\n');
  const at = header!.split(',').indexOf(column);
  return lines.filter((l) => l.split(',')[at] === value).length;
}

/** Rows of a demo CSV whose `column` is `value` and whose ISO date in `dateColumn` lies within start..end, counted here. */
function rowsWithin(file: string, dateColumn: string, start: string, end: string, column: string, value: string): number {
  const [header, ...lines] = readFileSync(path.join(root, 'data', file), 'utf8')
    .trim()
    .split('\n');
  const names = header!.split(',');
  const [at, day] = [names.indexOf(column), names.indexOf(dateColumn)];
  return lines.map((l) => l.split(',')).filter((c) => c[at] === value && c[day]! >= start && c[day]! <= end).length;
}

/** A CSV without quoted cells, as rows of cells. */
const cells = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .map((l) => l.split(','));

describe('drill-down from a run to its rows', () => {
  it('opens the rows of a bar, of a table row and of a row reached by keyboard, each with Back to the run', async () => {
    const { shell, analyze, run, drill } = app;
    await shell.openDataset('factorlens_demo_sales.csv');
    await analyze.open();
    await analyze.fill({
      groupBy: ['region'],
      metrics: ['revenue_usd', 'cost_usd', 'orders'],
      rankBy: { typed: 'revenue', value: 'revenue_usd' },
      anchor: '2026-03-15',
    });
    await analyze.run();
    await expect(run.segmentRows.first().innerText()).resolves.toMatch(/^US/);
    await expect(run.periodPanel.innerText()).resolves.toContain('Current: 2026-02-01..2026-02-28');
    await app.shot('59-drill-analyze-1440');

    // The first bar is US (ranked by revenue): its 29 records, and only those.
    expect(rowsWhere('factorlens_demo_sales.csv', 'region', 'US')).toBe(29);
    await drill.clickBar('segment-chart', 0, 4);
    await drill.rowsShown();
    await expect(drill.chipTexts()).resolves.toEqual(['region = US']);
    await expect(drill.rowCount()).resolves.toBe(29);
    await app.shot('61-drill-rows-of-bar');
    await drill.back();
    await run.segmentTable.waitFor();

    // A row of the segment table.
    await drill.row('segment-table', 'EU').click();
    await drill.rowsShown();
    await expect(drill.chipTexts()).resolves.toEqual(['region = EU']);
    await expect(drill.rowCount()).resolves.toBe(rowsWhere('factorlens_demo_sales.csv', 'region', 'EU'));
    await drill.back();

    // By keyboard: the row takes focus and Enter opens it.
    await drill.row('segment-table', 'LATAM').focus();
    await app.page.keyboard.press('Enter');
    await drill.rowsShown();
    await expect(drill.chipTexts()).resolves.toEqual(['region = LATAM']);
    await expect(drill.rowCount()).resolves.toBe(23);
    await drill.back();

    await run.periodPanel.scrollIntoViewIfNeeded();
    await app.shot('60-drill-movers-1440');
    // A mover of the period comparison: the segment's rows of the two windows (APAC has 22 in January, 4 in February).
    await drill.row('mover-table', 'APAC').click();
    await drill.rowsShown();
    await expect(drill.chipTexts()).resolves.toEqual(['order_date in 2026-01-01..2026-02-28', 'region = APAC']);
    await expect(drill.rowCount()).resolves.toBe(26);
    await drill.back();
    await expect(run.title.innerText()).resolves.toContain('by region');
  });

  it('exports the segment table as CSV with raw numbers', async () => {
    const { drill } = app;
    const file = await drill.exportTable('segments');
    expect(file.suggestedFilename()).toBe('factorlens_demo_sales-by-region-segments.csv');
    const rows = cells(readFileSync((await file.path())!, 'utf8'));
    expect(rows[0]).toEqual(['region', 'Records', 'Record Share', 'revenue_usd', 'revenue_usd Share', 'cost_usd', 'orders']);
    expect(rows).toHaveLength(5);
    // US as the table shows it (29 · 29.00% · 4,020,509.65 · 27.96%), unformatted.
    const us = rows.find((r) => r[0] === 'US')!;
    expect(us.slice(0, 4)).toEqual(['US', '29', '29', '4020509.65']);
    expect(Number(us[4])).toBeCloseTo(27.96, 2);
    // Records add up to the 100 rows of the file.
    expect(rows.slice(1).reduce((s, r) => s + Number(r[1]), 0)).toBe(100);

    // The movers: APAC's January and February revenue summed by hand (python over the CSV).
    const movers = cells(readFileSync((await (await drill.exportTable('movers')).path())!, 'utf8'));
    expect(movers[0]).toEqual([
      'Segment',
      'Previous records',
      'Current records',
      'Δ share (pp)',
      'Previous revenue_usd',
      'Current revenue_usd',
      'Δ revenue_usd',
    ]);
    const apac = movers.find((r) => r[0] === 'APAC')!.map(Number);
    expect(apac.slice(1, 3)).toEqual([22, 4]);
    expect(apac[4]).toBeCloseTo(3633332.55, 2);
    expect(apac[5]).toBeCloseTo(307764.59, 2);
    expect(apac[6]).toBeCloseTo(-3325567.96, 2);
  });

  it('opens the rows of a waterfall step and of a bridge row of a "Where it changed" run, and exports its segments', async () => {
    const { shell, drivers, drill } = app;
    await shell.openDataset('demo_revenue_residual.csv');
    await drivers.open();
    await drivers.setAnchor('2026-04-15');
    await drivers.segments(['region']);
    await drivers.runSegments();
    await expect(drivers.segmentsChange.innerText()).resolves.toBe('-880,172.44');
    await app.shot('62-drill-segments-1440');

    // The first step of the waterfall (column 1 after the base) is the bridge's first segment.
    const first = (await drivers.segmentsBridge.locator('tbody tr').first().locator('td').first().innerText()).trim();
    const region = first.replace(/^region = /, '');
    const columns = await drivers.segmentsBridge.locator('tbody tr').count();
    await drill.clickStep(1, columns + 2);
    await drill.rowsShown();
    await expect(drill.chipTexts()).resolves.toEqual([`region = ${region}`]);
    await expect(drill.rowCount()).resolves.toBe(rowsWhere('demo_revenue_residual.csv', 'region', region));
    await drill.back();

    await drill.row('segments-bridge', 'region = EU').click();
    await drill.rowsShown();
    await expect(drill.chipTexts()).resolves.toEqual(['region = EU']);
    await expect(drill.rowCount()).resolves.toBe(16);
    await drill.back();
    await drivers.segmentsBridge.waitFor();

    // The exported contributions are the run's (hand-summed with awk in drivers.e2e.test.ts) and add up to its change.
    const file = await drill.exportTable('segments');
    const rows = cells(readFileSync((await file.path())!, 'utf8'));
    expect(rows[0]).toEqual(['Segment', 'February 2026', 'March 2026', 'Contribution', 'Share', 'Status']);
    const contribution = (name: string) => Number(rows.find((r) => r[0] === name)![3]);
    expect(contribution('region = US')).toBeCloseTo(-550216.4, 2);
    expect(contribution('region = EU')).toBeCloseTo(-238852.0, 2);
    expect(contribution('region = APAC')).toBeCloseTo(-91104.04, 2);
    expect(rows.slice(1).reduce((s, r) => s + Number(r[3]), 0)).toBeCloseTo(-880172.44, 2);
  });

  it('holds its tables at 1024x700: numbers on one line, Export CSV in each header', async () => {
    const { page, shell, run } = app;
    await page.setViewportSize({ width: 1024, height: 700 });
    await shell.openRun(1);
    await run.segmentTable.waitFor();
    // No numeric cell wraps: each is one line high.
    const tall = await run.segmentTable
      .locator('td .num')
      .evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().height > 24).map((e) => e.textContent));
    expect(tall).toEqual([]);
    await app.shot('63-drill-analyze-1024');
    await shell.openRun(0);
    await app.page.locator('[data-test=segments-result]').waitFor();
    await app.shot('64-drill-segments-1024');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("opens a period mover's rows of its two windows only, the window a chip that can be removed", async () => {
    const { shell, analyze, run, drill } = app;
    await shell.openDataset('factorlens_demo_sales.csv');
    await analyze.open();
    // Anchored on 2026-02-10: January against December, so February's rows are in neither window.
    await analyze.fill({
      groupBy: ['region'],
      metrics: ['revenue_usd', 'cost_usd', 'orders'],
      rankBy: { typed: 'revenue', value: 'revenue_usd' },
      anchor: '2026-02-10',
    });
    await analyze.run();
    await expect(run.periodPanel.innerText()).resolves.toContain('Current: 2026-01-01..2026-01-31');
    const inWindows = rowsWithin('factorlens_demo_sales.csv', 'order_date', '2025-12-01', '2026-01-31', 'region', 'APAC');
    expect(inWindows).toBe(22);
    await drill.row('mover-table', 'APAC').click();
    await drill.rowsShown();
    await expect(drill.chipTexts()).resolves.toEqual(['order_date in 2025-12-01..2026-01-31', 'region = APAC']);
    await expect(drill.rowCount()).resolves.toBe(inWindows);
    await app.shot('65-drill-period-mover');
    // Without the window chip: every APAC row (February's 4 too).
    await drill.chips.first().locator('.n-tag__close').click();
    await expect.poll(() => drill.chipTexts()).toEqual(['region = APAC']);
    await expect.poll(() => drill.rowCount()).toBe(rowsWhere('factorlens_demo_sales.csv', 'region', 'APAC'));
    await drill.back();
  });
});

import type { Download, Locator, Page } from 'playwright-core';
import { download } from './download';

/**
 * Drill-down from a run to the rows behind a segment, and the CSV export of a run's tables.
 * The rows open in the dataset's data grid: its filter chips, its row count and the way back to
 * the run are the grid's (PreviewPanel, DataGrid); their selectors live here only.
 */
export class DrillDown {
  /** The filter chips of the opened rows ("region = US"), removable. */
  readonly chips: Locator;
  /** The row count of the opened rows ("29 rows"). */
  readonly count: Locator;
  /** "← Back to <run>". */
  readonly backButton: Locator;

  constructor(readonly page: Page) {
    this.chips = page.locator('[data-test=preview] [data-test=grid-filter-chip]');
    this.count = page.locator('[data-test=preview] [data-test=grid-count]');
    this.backButton = page.locator('[data-test=preview-back]');
  }

  /**
   * Clicks the bar of a horizontal bar chart (test-id as the chart's data-test) at `index` of
   * `bars`: a bar's whole row answers a click, so the middle of its band is hit.
   */
  async clickBar(testId: string, index: number, bars: number): Promise<void> {
    const canvas = this.page.locator(`[data-test=${testId}] canvas`);
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error(`chart ${testId} is not shown`);
    // The x-axis ticks take about 24 px at the bottom.
    const band = (box.height - 24) / bars;
    await canvas.click({ position: { x: box.width * 0.7, y: band * (index + 0.5) } });
  }

  /** Clicks a column of a waterfall (0 is the base total, then each step); each column answers over its whole height. */
  async clickStep(index: number, columns: number): Promise<void> {
    const canvas = this.page.locator('[data-test=waterfall] canvas').first();
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the waterfall is not shown');
    // The y-axis labels take about 56 px on the left.
    const left = 56;
    const band = (box.width - left) / columns;
    await canvas.click({ position: { x: left + band * (index + 0.5), y: box.height * 0.4 } });
  }

  /** A clickable row (a segment, a mover, a finding) of the table or list `table` (its data-test) whose first cell is `name`. */
  row(table: string, name: string): Locator {
    return this.page.locator(`[data-test=${table}] tr.drill, [data-test=${table}] li.drill`).filter({ hasText: name }).first();
  }

  /** Waits for the rows of a drill-down: its chips shown and its row count loaded. */
  async rowsShown(): Promise<void> {
    await this.chips.first().waitFor();
    await this.count.filter({ hasText: /\d+ rows?$/ }).waitFor();
  }

  /** The chips' texts. */
  chipTexts(): Promise<string[]> {
    return this.chips.allInnerTexts().then((t) => t.map((s) => s.trim()));
  }

  /** The rows counted by the grid. */
  async rowCount(): Promise<number> {
    const text = await this.count.innerText();
    return Number(text.replace(/[^\d]/g, ''));
  }

  /** Back to the run the rows were opened from. */
  async back(): Promise<void> {
    await this.backButton.click();
    await this.page.locator('[data-test=run-view]').waitFor();
  }

  /** Exports a table of the run shown ('segments', 'movers', 'drivers', …) with its Export CSV button. */
  exportTable(table: string): Promise<Download> {
    return download(this.page.locator(`[data-test=export-table-${table}]`).first());
  }
}

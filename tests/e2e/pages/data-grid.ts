/// <reference lib="dom" />
import type { Download, Locator, Page } from 'playwright-core';
import { download } from './download';

/** The data grid of a dataset's Preview tab (DataGrid.vue): a virtual-scrolled view of the whole table. */
export class DataGridView {
  readonly grid: Locator;
  readonly scroller: Locator;
  /** "9,999 rows": the view's row count after filters and search. */
  readonly count: Locator;
  readonly search: Locator;
  /** Loaded rows in the page (only those in sight and a few more are drawn). */
  readonly rows: Locator;
  readonly chips: Locator;
  readonly status: Locator;
  readonly exportButton: Locator;
  readonly copyCellButton: Locator;
  readonly copyRowButton: Locator;
  /** The caption of a drill-down ("Rows where …") and the way back to its run. */
  readonly drillCaption: Locator;
  readonly back: Locator;

  constructor(readonly page: Page) {
    this.grid = page.locator('[data-test=preview] [data-test=data-grid]');
    this.scroller = this.grid.locator('[data-test=grid-scroller]');
    this.count = this.grid.locator('[data-test=grid-count]');
    this.search = this.grid.locator('[data-test=grid-search] input');
    this.rows = this.scroller.locator('.row.loaded');
    this.chips = this.grid.locator('[data-test=grid-filter-chip]');
    this.status = this.grid.locator('[data-test=grid-status]');
    this.exportButton = this.grid.locator('[data-test=grid-export]');
    this.copyCellButton = this.grid.locator('[data-test=grid-copy-cell]');
    this.copyRowButton = this.grid.locator('[data-test=grid-copy-row]');
    this.drillCaption = page.locator('[data-test=preview-filter]');
    this.back = page.locator('[data-test=preview-back]');
  }

  /** Waits until the count reads `text` (e.g. "1,495 rows"). */
  async waitForCount(text: string): Promise<void> {
    await this.grid.locator('[data-test=grid-count]', { hasText: new RegExp(`^${text}$`) }).waitFor();
  }

  header(column: string): Locator {
    return this.scroller.locator(`[role=columnheader][data-column="${column}"]`);
  }

  /** Clicks a column's header once: ascending, then descending, then unsorted. */
  async sortBy(column: string): Promise<void> {
    await this.header(column).locator('[data-test=grid-sort]').click();
  }

  /** Adds a filter through the column's filter button. */
  async filter(column: string, op: string, value: string): Promise<void> {
    await this.header(column).locator('[data-test=grid-filter]').click();
    const editor = this.grid.locator('[data-test=grid-filter-editor]');
    await editor.locator('[data-test=grid-filter-op]').selectOption(op);
    await editor.locator('[data-test=grid-filter-value]').fill(value);
    await editor.locator('[data-test=grid-filter-apply]').click();
  }

  async removeChip(index: number): Promise<void> {
    await this.chips.nth(index).locator('.n-tag__close').click();
  }

  /** A loaded row by its place in the view (0 is the first). */
  row(index: number): Locator {
    return this.scroller.locator(`.row.loaded[data-row="${index}"]`);
  }

  /** A cell by row place and column position (0 is the first data column). */
  cell(row: number, column: number): Locator {
    return this.row(row).locator('[role=gridcell]').nth(column);
  }

  /** The cells of a row as shown, its row number first. */
  async rowTexts(row: number): Promise<string[]> {
    const number = await this.scroller.locator(`[data-rownum="${row}"]`).innerText();
    return [number.trim(), ...(await this.row(row).locator('[role=gridcell]').allInnerTexts())];
  }

  /** Drags the scrollbar to the end. */
  async scrollToEnd(): Promise<void> {
    await this.scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
  }

  async exportCsv(): Promise<Download> {
    return download(this.exportButton);
  }
}

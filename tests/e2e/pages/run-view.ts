import type { Download, Locator, Page } from 'playwright-core';
import { download } from './download';

/** A finished Analyze run: its title and actions, the segment table and chart, the period, insights and warnings. */
export class RunView {
  readonly view: Locator;
  readonly title: Locator;
  readonly segmentTable: Locator;
  readonly segmentRows: Locator;
  readonly segmentChart: Locator;
  readonly inputWarnings: Locator;
  readonly inputWarningsTitle: Locator;
  readonly inputWarningLines: Locator;
  readonly stats: Locator;
  readonly periodPanel: Locator;
  /** The period panel's first list: the date column, how dates were read, the two windows. */
  readonly periodWindows: Locator;
  readonly alerts: Locator;
  readonly moverChart: Locator;
  readonly insights: Locator;
  /** The progress of a run still going, with its Cancel button. */
  readonly progress: Locator;

  constructor(readonly page: Page) {
    this.view = page.locator('[data-test=run-view]');
    this.title = page.locator('[data-test=run-title]');
    this.segmentTable = page.locator('[data-test=segment-table]');
    this.segmentRows = this.segmentTable.locator('tbody tr');
    this.segmentChart = page.locator('[data-test=segment-chart] canvas');
    this.inputWarnings = page.locator('[data-test=input-warnings]');
    this.inputWarningsTitle = this.inputWarnings.locator('.n-alert-body__title');
    this.inputWarningLines = this.inputWarnings.locator('li');
    this.stats = page.locator('.result-stats');
    this.periodPanel = page.locator('[data-test=period-panel]');
    this.periodWindows = this.periodPanel.locator('ul').first().locator('li');
    this.alerts = page.locator('[data-test=alerts]');
    this.moverChart = page.locator('[data-test=mover-chart] canvas');
    this.insights = page.locator('[data-test=insights-panel]');
    this.progress = page.locator('[data-test=job-progress]');
  }

  /** Waits for a run to show. */
  async shown(): Promise<void> {
    await this.view.waitFor();
  }

  /** The segment table row whose first cell is exactly `name`. */
  segmentRow(name: string): Locator {
    return this.segmentRows.filter({ has: this.page.locator('td:first-child', { hasText: new RegExp(`^${name}$`) }) });
  }

  /** Exports the run (HTML brief, or CSV where the run offers it). */
  export(format: 'html' | 'csv'): Promise<Download> {
    return download(this.page.locator(`[data-test=export-${format}]`));
  }

  /** Cancels the run in progress. */
  async cancel(): Promise<void> {
    await this.page.locator('[data-test=cancel-run]').click();
  }

  /** Renames the run shown and waits for the new title. */
  async rename(title: string): Promise<void> {
    await this.page.locator('[data-test=rename-run]').click();
    await this.page.locator('[data-test=rename-input] input').fill(title);
    await this.page.keyboard.press('Enter');
    await this.title.filter({ hasText: title }).waitFor();
  }

  /** Runs the shown run again with its settings and waits for a run titled `title`. */
  async rerun(title: string): Promise<void> {
    await this.page.locator('[data-test=rerun]').click();
    await this.title.filter({ hasText: title }).waitFor({ timeout: 30_000 });
  }

  /** Scrolls the main area back to the top of the run. */
  async scrollToTop(): Promise<void> {
    await this.view.evaluate((el) => el.closest('.n-scrollbar-container')!.scrollTo(0, 0));
  }
}

import type { Locator, Page } from 'playwright-core';
import { pickOption } from './selects';

/** The Compare tool: two runs side by side and the movers between them. */
export class CompareView {
  readonly view: Locator;
  readonly moverRows: Locator;
  /** The cells marked as going up, and down, in the movers table. */
  readonly ups: Locator;
  readonly downs: Locator;

  constructor(readonly page: Page) {
    this.view = page.locator('[data-test=compare-view]');
    this.moverRows = page.locator('[data-test=movers-table] tbody tr');
    this.ups = this.moverRows.locator('.up');
    this.downs = this.moverRows.locator('.down');
  }

  /** Opens Compare from the run shown ("Compare with…"). */
  async openFromRun(): Promise<void> {
    await this.page.locator('[data-test=compare-with]').click();
    await this.view.waitFor();
  }

  /** Compares two runs, by their titles, and waits for the result. */
  async compare(base: string, next: string): Promise<void> {
    await pickOption(this.page, 'compare-base', base);
    await pickOption(this.page, 'compare-new', next);
    await this.page.locator('[data-test=compare-go]').click();
    await this.page.locator('[data-test=compare-result]').waitFor();
  }
}

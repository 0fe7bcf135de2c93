import type { Locator, Page } from 'playwright-core';

/** The actions in a run's header that start from the run: Run again, and Compare with another run of its kind. */
export class RunActions {
  readonly rerunButton: Locator;
  readonly compareWithButton: Locator;
  /** Two runs side by side (Compare with, for kinds the Compare view does not take), and the other run's column. */
  readonly beside: Locator;
  readonly besideRun: Locator;

  constructor(readonly page: Page) {
    this.rerunButton = page.locator('[data-test=rerun]');
    this.compareWithButton = page.locator('[data-test=compare-with]');
    this.beside = page.locator('[data-test=beside]');
    this.besideRun = page.locator('[data-test=beside-run]');
  }

  /** Runs the open run again with its options (the new run opens when it is done). */
  async rerun(): Promise<void> {
    await this.rerunButton.click();
  }

  /** Opens Compare with and picks the run whose label contains `label`. */
  async compareWith(label: string | RegExp): Promise<void> {
    await this.compareWithButton.click();
    await this.page.locator('.n-popselect-menu .n-base-select-option').filter({ hasText: label }).first().click();
    await this.beside.waitFor();
  }

  /** Closes the other run of a side-by-side view. */
  async closeBeside(): Promise<void> {
    await this.page.locator('[data-test=close-beside]').click();
    await this.beside.waitFor({ state: 'detached' });
  }
}

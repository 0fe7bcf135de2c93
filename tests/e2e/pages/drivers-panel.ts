import type { Locator, Page } from 'playwright-core';
import { clickOption } from './selects';
import { Shell } from './shell';

/** "Why it changed": drivers by an identity (with the mix/rate bridge and the residual), or investigate by regression. */
export class DriversPanel {
  readonly windows: Locator;
  readonly identityFound: Locator;
  readonly residual: Locator;
  readonly table: Locator;
  readonly waterfall: Locator;
  readonly bridge: Locator;
  readonly residualSegments: Locator;
  readonly investigateTable: Locator;
  readonly segmentsBridge: Locator;
  readonly segmentsChange: Locator;
  /** The plain sentences at the top of a drivers run and of a segments run. */
  readonly story: Locator;
  readonly segmentsStory: Locator;

  constructor(readonly page: Page) {
    this.windows = page.locator('[data-test=drivers-windows]');
    this.identityFound = page.locator('[data-test=drivers-identity-found]');
    this.residual = page.locator('[data-test=drivers-residual]');
    this.table = page.locator('[data-test=drivers-table]');
    this.waterfall = page.locator('[data-test=waterfall] canvas');
    this.bridge = page.locator('[data-test=bridge]');
    this.residualSegments = page.locator('[data-test=residual-segments]');
    this.investigateTable = page.locator('[data-test=investigate-table]');
    this.segmentsBridge = page.locator('[data-test=segments-bridge]');
    this.segmentsChange = page.locator('[data-test=segments-change]');
    this.story = page.locator('[data-test=drivers-story]');
    this.segmentsStory = page.locator('[data-test=segments-story]');
  }

  /** Opens the tab of the selected dataset and waits for the panel. */
  async open(): Promise<void> {
    await new Shell(this.page).openTab('Why it changed');
    await this.page.locator('[data-test=drivers-panel]').waitFor();
  }

  async setAnchor(date: string): Promise<void> {
    await this.page.locator('[data-test=drivers-anchor] input').fill(date);
  }

  /** Waits until the panel shows these windows (e.g. '2026-02-01..2026-02-28 → 2026-03-01..2026-03-31'). */
  async windowsShown(text: string): Promise<void> {
    await this.windows.filter({ hasText: text }).waitFor();
  }

  /** Chooses the dimension the bridge splits by. */
  async splitBy(column: string): Promise<void> {
    await clickOption(this.page, 'drivers-by', column);
  }

  /** Switches to "Regression on drivers" and lists the candidate drivers (e.g. 'sum(orders), sum(traffic)'). */
  async investigate(drivers: string): Promise<void> {
    await this.page.locator('[data-test=mode-investigate]').click();
    await this.page.locator('[data-test=investigate-drivers] input').fill(drivers);
  }

  /** Switches to "Where it changed" and picks the dimensions of its segments. */
  async segments(dimensions: string[]): Promise<void> {
    await this.page.locator('[data-test=mode-segments]').click();
    for (const d of dimensions) await clickOption(this.page, 'segments-dimensions', d);
    // A multiple select stays open after a pick; close it (a click beside it) so it covers nothing.
    await this.page.locator('[data-test=drivers-panel]').click({ position: { x: 4, y: 4 } });
    await this.page.locator('.n-base-select-menu').waitFor({ state: 'hidden' });
  }

  /** Runs in segments mode and waits for its result. */
  async runSegments(): Promise<void> {
    await this.page.locator('[data-test=run-drivers]').click();
    await this.page.locator('[data-test=segments-result]').waitFor({ timeout: 30_000 });
  }

  /** Runs and waits for the drivers result. */
  async run(): Promise<void> {
    await this.page.locator('[data-test=run-drivers]').click();
    await this.result();
  }

  /** Runs the regression on drivers and waits for its result. */
  async runInvestigate(): Promise<void> {
    await this.page.locator('[data-test=run-drivers]').click();
    await this.page.locator('[data-test=investigate-result]').waitFor({ timeout: 30_000 });
  }

  /** Waits for a drivers result (a run just made, or one opened from the history). */
  async result(): Promise<void> {
    await this.page.locator('[data-test=drivers-result]').waitFor({ timeout: 30_000 });
  }

  /** Shows the rows behind the first residual segment and waits for the filtered preview (Shell.previewRows). */
  async showResidualRows(): Promise<void> {
    await this.page.locator('[data-test=show-rows]').first().click();
    await this.page.locator('[data-test=preview-filter]').waitFor();
  }
}

import type { Locator, Page } from 'playwright-core';
import { chooseOptions, pickOption, typeOption } from './selects';
import { Shell } from './shell';

/** What an Analyze run is asked for; each part left out keeps the form's value. */
export interface AnalyzeForm {
  profile?: string;
  groupBy?: string[];
  metrics?: string[];
  /** Typed into Rank by, and the option holding `value` chosen. */
  rankBy?: { typed: string; value: string };
  /** Compare periods around this anchor date (YYYY-MM-DD). */
  anchor?: string;
  /** Advanced: how many insights, and the top-5 share alert (percent). */
  topInsights?: number;
  alertTop5?: number;
}

/** The Analyze tab of a dataset: the form and its Run button. */
export class AnalyzePanel {
  readonly panel: Locator;
  readonly groupBy: Locator;
  readonly rankBy: Locator;
  readonly profile: Locator;
  /** Under the period options: the date column's range and the rows of each window. */
  readonly dateRange: Locator;
  readonly windowCounts: Locator;
  readonly filterRows: Locator;
  /** The form's message that the filters keep no row (shown before any run). */
  readonly noMatch: Locator;
  readonly runButton: Locator;

  constructor(readonly page: Page) {
    this.panel = page.locator('[data-test=analyze-panel]');
    this.groupBy = page.locator('[data-test=group-by]');
    this.rankBy = page.locator('[data-test=rank-by]');
    this.profile = page.locator('[data-test=profile-select]');
    this.dateRange = page.locator('[data-test=date-range]');
    this.windowCounts = page.locator('[data-test=window-counts]');
    this.filterRows = page.locator('[data-test=filter-row]');
    this.noMatch = page.locator('[data-test=filter-no-match]');
    this.runButton = page.locator('[data-test=run-analyze]');
  }

  /** Turns the period comparison on (the date column's latest date becomes the anchor) or off. */
  async comparePeriods(on = true): Promise<void> {
    await this.page.locator('[data-test=period-switch]').click();
    await this.page.locator('[data-test=period-options]').waitFor({ state: on ? 'visible' : 'detached' });
  }

  /** Opens Advanced (once). */
  async openAdvanced(): Promise<void> {
    const filters = this.page.locator('[data-test=add-filter]');
    if (!(await filters.isVisible())) await this.page.locator('[data-test=advanced]').getByText('Advanced').click();
    await filters.waitFor();
  }

  /**
   * Adds a filter in Advanced: the column picked by typing its name, then the value typed into
   * the value picker and, when `offered` is given, the offered option holding it clicked (the
   * typed text itself is offered too); otherwise the first option taken with Enter. Returns the
   * options the value picker offered.
   */
  async addFilter(column: string, value: string, offered?: string | RegExp): Promise<string[]> {
    await this.openAdvanced();
    await this.page.locator('[data-test=add-filter]').click();
    const row = this.filterRows.last();
    await row.locator('[data-test=filter-column] .n-base-selection').click();
    await this.page.keyboard.type(column);
    await this.page.locator('.n-base-select-option--pending', { hasText: column }).waitFor();
    await this.page.keyboard.press('Enter');
    await row.locator('[data-test=filter-value] .n-base-selection').click();
    await this.page.keyboard.type(value);
    if (offered) {
      // The values searched where the data lives replace the first list: wait until every one holds the typed text.
      const options = row.page().locator('.n-base-select-menu:visible').last().locator('.n-base-select-option');
      // More than the typed text itself, and each holding it.
      const found = (texts: string[]) => texts.length > 1 && texts.every((t) => t.toLowerCase().includes(value.toLowerCase()));
      for (let tries = 0; !found(await options.allInnerTexts()); tries++) {
        if (tries > 50) throw new Error(`the values offered never narrowed to '${value}': ${(await options.allInnerTexts()).join(', ')}`);
        await this.page.waitForTimeout(100);
      }
      const shown = await options.allInnerTexts();
      await options.filter({ hasText: offered }).click();
      return shown;
    }
    await this.page.keyboard.press('Enter');
    await this.page.keyboard.press('Escape');
    return [];
  }

  /** Opens the tab of the selected dataset and waits for the form. */
  async open(): Promise<void> {
    await new Shell(this.page).openTab('Analyze');
    await this.panel.waitFor();
  }

  /** Fills the form in the order a person would. */
  async fill(form: AnalyzeForm): Promise<void> {
    if (form.profile) await pickOption(this.page, 'profile-select', form.profile);
    if (form.groupBy) await chooseOptions(this.page, 'group-by', form.groupBy);
    if (form.metrics) await chooseOptions(this.page, 'metrics', form.metrics);
    if (form.rankBy) await typeOption(this.page, 'rank-by', form.rankBy.typed, form.rankBy.value);
    if (form.anchor) {
      await this.page.locator('[data-test=period-switch]').click();
      await this.page.locator('[data-test=anchor-date] input').fill(form.anchor);
    }
    if (form.topInsights !== undefined || form.alertTop5 !== undefined) {
      await this.page.locator('[data-test=advanced]').getByText('Advanced').click();
      if (form.topInsights !== undefined) await this.page.locator('[data-test=top-insights] input').fill(String(form.topInsights));
      if (form.alertTop5 !== undefined) await this.page.locator('[data-test=alert-top5] input').fill(String(form.alertTop5));
    }
    // Leave the last field, so a number or date typed into it is committed.
    if (form.anchor || form.topInsights !== undefined || form.alertTop5 !== undefined) await this.page.keyboard.press('Tab');
  }

  /** Starts the run without waiting for it (to watch its progress, or cancel it). */
  async start(): Promise<void> {
    await this.page.locator('[data-test=run-analyze]').click();
  }

  /** Runs and waits for the run view. */
  async run(): Promise<void> {
    await this.start();
    await this.page.locator('[data-test=run-view]').waitFor({ timeout: 30_000 });
  }
}

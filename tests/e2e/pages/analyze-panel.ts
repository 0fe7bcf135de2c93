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

  constructor(readonly page: Page) {
    this.panel = page.locator('[data-test=analyze-panel]');
    this.groupBy = page.locator('[data-test=group-by]');
    this.rankBy = page.locator('[data-test=rank-by]');
    this.profile = page.locator('[data-test=profile-select]');
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

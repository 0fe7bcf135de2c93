import type { Locator, Page } from 'playwright-core';
import { Shell } from './shell';

/** "Profile this table": the column profile, the suggested groups and metrics, saved as a profile. */
export class SuggestPanel {
  readonly groups: Locator;
  readonly metrics: Locator;

  constructor(readonly page: Page) {
    this.groups = page.locator('[data-test=suggested-groups]');
    this.metrics = page.locator('[data-test=suggested-metrics]');
  }

  /** Profiles the selected dataset and waits for the suggestion. */
  async run(): Promise<void> {
    await new Shell(this.page).openTab('Profile this table');
    await this.page.locator('[data-test=run-suggest]').click();
    await this.page.locator('[data-test=suggestion]').waitFor();
  }

  /** The profile's row for one column. */
  column(name: string): Locator {
    return this.page.locator('[data-test=suggest-columns] tr', { hasText: name });
  }

  /** Saves the suggestion as a profile of this name; the Analyze form opens with it. */
  async saveAs(name: string): Promise<void> {
    await this.page.locator('[data-test=suggest-profile-name] input').fill(name);
    await this.page.locator('[data-test=save-suggested]').click();
    // Saving also runs Analyze with the new profile: its run opens when done.
    await this.page.locator('[data-test=run-title]').waitFor();
  }
}

import type { Download, Locator, Page } from 'playwright-core';
import { download } from './download';
import { pickOption } from './selects';
import { Shell } from './shell';

/** A profile as the editor shows it. */
export interface ProfileForm {
  name: string;
  groupBy: string;
  metrics: string;
  rankBy: string;
  top: number;
}

/** The Profiles tool: the saved profiles, the editor, Validate, TOML export and import. */
export class ProfilesView {
  readonly saved: Locator;
  readonly problems: Locator;

  constructor(readonly page: Page) {
    this.saved = page.locator('[data-test=saved-profiles]');
    this.problems = page.locator('[data-test=validate-problems]');
  }

  async open(): Promise<void> {
    await new Shell(this.page).openTool('profiles');
  }

  /** A saved profile's button in the list. */
  profile(name: string): Locator {
    return this.saved.locator('button', { hasText: name });
  }

  /** Starts a new profile and fills the editor. */
  async create(form: ProfileForm): Promise<void> {
    await this.page.locator('[data-test=new-profile]').click();
    await this.page.locator('[data-test=profile-name] input').fill(form.name);
    for (const [tags, value] of [
      ['profile-group-by', form.groupBy],
      ['profile-metrics', form.metrics],
    ] as const) {
      await this.page.locator(`[data-test=${tags}] button`).last().click();
      await this.page.keyboard.type(value);
      await this.page.keyboard.press('Enter');
    }
    await this.setRankBy(form.rankBy);
    await this.page.locator('[data-test=profile-top] input').fill(String(form.top));
    await this.page.keyboard.press('Tab');
  }

  async setRankBy(metric: string): Promise<void> {
    await this.page.locator('[data-test=profile-rank-by] input').fill(metric);
  }

  /** The message under the Name field when the typed name would be refused, and the Save button. */
  get nameProblem(): Locator {
    return this.page.locator('[data-test=profile-name-item] .n-form-item-feedback');
  }
  get saveButton(): Locator {
    return this.page.locator('[data-test=save-profile]');
  }

  /** Starts a new profile and types its name. */
  async typeNewName(name: string): Promise<void> {
    await this.page.locator('[data-test=new-profile]').click();
    await this.page.locator('[data-test=profile-name] input').fill(name);
  }

  /** Picks the dataset Validate checks against. */
  async validateAgainst(dataset: string): Promise<void> {
    await pickOption(this.page, 'validate-dataset', dataset);
  }

  /** Clicks Validate (the result shows as validate-ok or validate-problems). */
  async validate(): Promise<void> {
    await this.page.locator('[data-test=validate-profile]').click();
  }

  async validatedOk(): Promise<void> {
    await this.page.locator('[data-test=validate-ok]').waitFor();
  }

  /** Saves the profile in the editor and waits for it in the list. */
  async save(name: string): Promise<void> {
    await this.page.locator('[data-test=save-profile]').click();
    await this.profile(name).waitFor();
  }

  exportToml(): Promise<Download> {
    return download(this.page.locator('[data-test=export-toml]'));
  }

  /** Imports a TOML file of profiles. */
  async importToml(file: string): Promise<void> {
    await this.page.locator('[data-test=import-input]').setInputFiles(file);
  }
}

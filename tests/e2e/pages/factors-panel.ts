/// <reference lib="dom" />
import type { Download, Locator, Page } from 'playwright-core';
import { download } from './download';
import { openOptions, pickOption } from './selects';
import { Shell } from './shell';

/** The Factors tab: a factor model (loadings, explained variance, outlier days, names) or a regression on factors. */
export class FactorsPanel {
  readonly weights: Locator;
  readonly kValue: Locator;
  readonly explained: Locator;
  readonly heatmap: Locator;
  readonly evChart: Locator;
  readonly outlierRows: Locator;
  readonly contribChart: Locator;
  readonly regressionFactors: Locator;
  readonly r2: Locator;
  readonly fittedChart: Locator;

  constructor(readonly page: Page) {
    this.weights = page.locator('[data-test=factors-weights]');
    this.kValue = page.locator('[data-test=factors-k-value]');
    this.explained = page.locator('[data-test=factors-explained]');
    this.heatmap = page.locator('[data-test=loadings-heatmap]');
    this.evChart = page.locator('[data-test=ev-chart] canvas');
    this.outlierRows = page.locator('[data-test=outlier-table] tbody tr');
    this.contribChart = page.locator('[data-test=contrib-chart]');
    this.regressionFactors = page.locator('[data-test=regression-factors]');
    this.r2 = page.locator('[data-test=regression-r2]');
    this.fittedChart = page.locator('[data-test=fitted-chart] canvas');
  }

  /** Opens the tab of the selected dataset and waits for the panel. */
  async open(): Promise<void> {
    await new Shell(this.page).openTab('Factors');
    await this.page.locator('[data-test=factors-panel]').waitFor();
  }

  async setK(k: number): Promise<void> {
    const input = this.page.locator('[data-test=factors-k] input');
    await input.fill(String(k));
    await input.blur();
  }

  /** Switches to a regression on the factors file, with Newey-West errors if asked. */
  async regression(neweyWest: boolean): Promise<void> {
    await this.page.locator('[data-test=mode-regression]').click();
    if (neweyWest) await this.page.locator('[data-test=regression-nw]').click();
  }

  /** Picks the portfolio weights (`Equal weights`, or a dataset's label such as `portfolio.csv (portfolio)`). */
  async pickWeights(label: string): Promise<void> {
    await pickOption(this.page, 'factors-weights', label);
    await this.weights.filter({ hasText: label }).waitFor();
  }

  /** The columns the long-form prices are read from, as the three pickers show them. */
  async priceColumns(): Promise<{ ticker: string; date: string; price: string }> {
    const shown = (role: string) => this.page.locator(`[data-test=factors-${role}-column]`).innerText();
    return { ticker: (await shown('ticker')).trim(), date: (await shown('date')).trim(), price: (await shown('price')).trim() };
  }

  /** Picks one of the prices' columns. */
  async pickColumn(role: 'ticker' | 'date' | 'price', column: string): Promise<void> {
    await pickOption(this.page, `factors-${role}-column`, column);
  }

  /** The options of a picker (e.g. 'regression-factors'), then closes it. */
  async options(testId: string): Promise<string[]> {
    const list = await openOptions(this.page, testId);
    await this.page.keyboard.press('Escape');
    await this.page.locator('.n-base-select-menu').waitFor({ state: 'hidden' });
    return list;
  }

  /** How dates like 01/02/2000 are read: 'Detect', 'Day first' or 'Month first'. */
  async dateOrder(choice: 'Detect' | 'Day first' | 'Month first'): Promise<void> {
    await this.page.locator('[data-test=factors-date-order]').getByText(choice, { exact: true }).click();
  }

  /** The sample card of a factor model ("67 months"), and the input warnings above the result. */
  sample(): Locator {
    return this.page.locator('[data-test=factors-result] .n-statistic', { hasText: 'Sample' });
  }

  warnings(): Locator {
    return this.page.locator('[data-test=input-warnings]');
  }

  /** Runs and waits for the factor model. */
  async run(): Promise<void> {
    await this.page.locator('[data-test=run-factors]').click();
    await this.result();
  }

  /** Runs in regression mode and waits for its result. */
  async runRegression(): Promise<void> {
    await this.page.locator('[data-test=run-factors]').click();
    await this.page.locator('[data-test=regression-result]').waitFor({ timeout: 30_000 });
  }

  /** Waits for a factor model (a run just made, or one opened from the history). */
  async result(): Promise<void> {
    await this.page.locator('[data-test=factors-result]').waitFor({ timeout: 30_000 });
  }

  /** The date of an outlier day's row, as shown. */
  async outlierDate(row: Locator): Promise<string> {
    return (await row.locator('td').first().innerText()).trim();
  }

  /** The name field of factor `n` (from 1). */
  name(n: number): Locator {
    return this.page.locator(`[data-test=factor-name-${n}] input`);
  }

  /** A regression coefficient's row. */
  coefficient(factor: string): Locator {
    return this.page.locator(`[data-test=coef-${factor}]`);
  }

  async saveNames(): Promise<void> {
    await this.page.locator('[data-test=save-factor-names]').click();
    await this.page.getByText('Factor names saved.').first().waitFor();
  }

  /** Imports names from a labels file and waits until factor 1 is called `first`. */
  async importNames(file: string, first: string): Promise<void> {
    await this.page.locator('[data-test=factor-labels-file]').setInputFiles(file);
    await this.page.waitForFunction(
      (name) => (document.querySelector('[data-test=factor-name-1] input') as HTMLInputElement | null)?.value === name,
      first,
    );
  }

  export(format: 'html' | 'csv'): Promise<Download> {
    return download(this.page.locator(`[data-test=export-${format}]`));
  }
}

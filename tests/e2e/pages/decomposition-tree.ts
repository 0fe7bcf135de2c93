import type { Locator, Page } from 'playwright-core';
import { clickOption } from './selects';

/** The decomposition tree of a "Where it changed" run: the whole change, then one level per part drilled into. */
export class DecompositionTree {
  readonly tree: Locator;
  readonly root: Locator;
  readonly levels: Locator;
  readonly path: Locator;
  readonly error: Locator;
  /** The button of the filtered preview that goes back to the run. */
  readonly back: Locator;

  constructor(readonly page: Page) {
    this.tree = page.locator('[data-test=decomposition-tree]');
    this.root = this.tree.locator('[data-test=tree-root]');
    this.levels = this.tree.locator('[data-test=tree-level]');
    this.path = this.tree.locator('[data-test=tree-path]');
    this.error = this.tree.locator('[data-test=tree-error]');
    this.back = page.locator('[data-test=preview-back]');
  }

  /** A level (0: the whole split), once its parts are shown. */
  level(n: number): Locator {
    return this.levels.nth(n);
  }

  /** The part of a level with this value. */
  node(level: number, value: string): Locator {
    return this.level(level).locator(`[data-test=tree-node][data-value="${value}"]`);
  }

  /** The shown change of a part (e.g. "-1.24M"). */
  change(level: number, value: string): Locator {
    return this.node(level, value).locator('[data-test=tree-change]');
  }

  /** Splits the whole: the first level appears, split by the dimension that explains most. */
  async openRoot(): Promise<void> {
    await this.root.click();
    await this.level(0).locator('[data-test=tree-node]').first().waitFor();
  }

  /** The dimension a level is split by, as its select shows it. */
  splitBy(level: number): Locator {
    return this.tree.locator(`[data-test=tree-split-by-${level}] .n-base-selection-label`);
  }

  /** Picks the dimension a level splits by and waits for its parts. */
  async chooseSplit(level: number, dimension: string): Promise<void> {
    await clickOption(this.page, `tree-split-by-${level}`, `${dimension} ·`);
    await this.splitBy(level).filter({ hasText: dimension }).waitFor();
    await this.level(level).locator('[data-test=tree-node]').first().waitFor();
  }

  /** Drills into a part: the next level splits it. */
  async drill(level: number, value: string): Promise<void> {
    await this.node(level, value).click();
    await this.level(level + 1)
      .locator('[data-test=tree-node]')
      .first()
      .waitFor();
  }

  /** Opens the rows of a part in the preview and waits for the filtered preview. */
  async rows(level: number, value: string): Promise<void> {
    await this.node(level, value).locator('xpath=..').locator('[data-test=tree-rows]').click();
    await this.page.locator('[data-test=preview-filter]').waitFor();
  }
}

import type { Page } from 'playwright-core';
import { AnalyzePanel } from './analyze-panel';
import { CompareView } from './compare-view';
import { DataGridView } from './data-grid';
import { DatabasesView } from './databases-view';
import { DecompositionTree } from './decomposition-tree';
import { DrillDown } from './drill-down';
import { DriversPanel } from './drivers-panel';
import { ExplainPane } from './explain-pane';
import { FactorsPanel } from './factors-panel';
import { Investigation } from './investigation';
import { ProfilesView } from './profiles-view';
import { RunActions } from './run-actions';
import { RunView } from './run-view';
import { Shell } from './shell';
import { SuggestPanel } from './suggest-panel';

/**
 * The workbench as a test sees it: one page object per part of the window. They own the
 * selectors (the renderer's data-test names) and the steps a person takes; the tests keep the
 * checks. A renderer change that keeps what the user sees should need edits here only.
 */
export class Workbench {
  #page: Page | undefined;

  /** The page, once the fixture has opened it. */
  get page(): Page {
    if (!this.#page) throw new Error("The page is not open yet: use it inside a test, after the fixture's beforeAll.");
    return this.#page;
  }

  set page(page: Page) {
    this.#page = page;
  }

  // Page objects are light (locators resolve when used): one is made per use.
  get shell(): Shell {
    return new Shell(this.page);
  }
  get analyze(): AnalyzePanel {
    return new AnalyzePanel(this.page);
  }
  get run(): RunView {
    return new RunView(this.page);
  }
  get runActions(): RunActions {
    return new RunActions(this.page);
  }
  get compare(): CompareView {
    return new CompareView(this.page);
  }
  get suggest(): SuggestPanel {
    return new SuggestPanel(this.page);
  }
  get profiles(): ProfilesView {
    return new ProfilesView(this.page);
  }
  get drivers(): DriversPanel {
    return new DriversPanel(this.page);
  }
  get factors(): FactorsPanel {
    return new FactorsPanel(this.page);
  }
  get explain(): ExplainPane {
    return new ExplainPane(this.page);
  }
  get databases(): DatabasesView {
    return new DatabasesView(this.page);
  }
  get tree(): DecompositionTree {
    return new DecompositionTree(this.page);
  }
  get investigation(): Investigation {
    return new Investigation(this.page);
  }
  get drill(): DrillDown {
    return new DrillDown(this.page);
  }
  get grid(): DataGridView {
    return new DataGridView(this.page);
  }
}

export {
  AnalyzePanel,
  CompareView,
  DataGridView,
  DatabasesView,
  DecompositionTree,
  DrillDown,
  DriversPanel,
  ExplainPane,
  FactorsPanel,
  Investigation,
  ProfilesView,
  RunActions,
  RunView,
  Shell,
  SuggestPanel,
};
export { chooseOptions } from './selects';

import type { Locator, Page } from 'playwright-core';
import { clickOption } from './selects';
import { Shell } from './shell';

/** Investigate: the question form of a dataset, and the investigation run it opens. */
export class Investigation {
  readonly panel: Locator;
  readonly question: Locator;
  /** "Routed to: What drove the change · …", as the question is typed. */
  readonly routed: Locator;
  readonly progress: Locator;
  readonly result: Locator;
  readonly summary: Locator;
  readonly summarySource: Locator;
  readonly change: Locator;
  readonly movers: Locator;
  readonly graph: Locator;
  readonly nodes: Locator;
  readonly edges: Locator;
  readonly steps: Locator;
  readonly stopped: Locator;
  readonly nextQuestion: Locator;
  readonly trace: Locator;
  /** The button of the filtered preview that goes back to the run. */
  readonly back: Locator;

  constructor(readonly page: Page) {
    this.panel = page.locator('[data-test=investigation-panel]');
    this.question = this.panel.locator('[data-test=investigation-question] input');
    this.routed = this.panel.locator('[data-test=investigation-routed]');
    this.progress = page.locator('[data-test=investigation-progress]');
    this.result = page.locator('[data-test=investigation-result]');
    this.summary = this.result.locator('[data-test=investigation-summary]');
    this.summarySource = this.result.locator('[data-test=investigation-summary-source]');
    this.change = this.result.locator('[data-test=investigation-change]');
    this.movers = this.result.locator('[data-test=investigation-movers]');
    this.graph = this.result.locator('[data-test=branch-graph]');
    this.nodes = this.graph.locator('[data-test=branch-node]');
    this.edges = this.graph.locator('[data-test=branch-edge]');
    this.steps = this.result.locator('[data-test=investigation-steps] tbody tr');
    this.stopped = this.result.locator('[data-test=investigation-stopped]');
    this.nextQuestion = this.result.locator('[data-test=investigation-next-question]');
    this.trace = this.result.locator('[data-test=investigation-trace]');
    this.back = page.locator('[data-test=preview-back]');
  }

  /** Opens the tab of the selected dataset and waits for the form. */
  async open(): Promise<void> {
    await new Shell(this.page).openTab('Investigate');
    await this.panel.waitFor();
  }

  async setAnchor(date: string): Promise<void> {
    await this.panel.locator('[data-test=drivers-anchor] input').fill(date);
  }

  /** Compares this dataset (base) with another (the new snapshot) instead of two periods. */
  async twoDatasets(newDataset: string): Promise<void> {
    await this.panel.locator('[data-test=investigation-two-datasets]').click();
    await clickOption(this.page, 'investigation-new-dataset', newDataset);
  }

  /** Types the question (the routed mode follows it). */
  async ask(question: string): Promise<void> {
    await this.question.fill(question);
  }

  /** Runs by pressing Enter in the question box; waits for the run (its question in the summary). */
  async run(question: string): Promise<void> {
    await this.question.press('Enter');
    await this.waitFor(question);
  }

  /** Waits for the run of this question to open. */
  async waitFor(question: string): Promise<void> {
    await this.summary.filter({ hasText: question }).waitFor({ timeout: 60_000 });
  }

  /** The mover row of a segment in the top-level finding. */
  mover(segment: string): Locator {
    return this.movers.locator(`tbody tr[data-segment="${segment}"]`);
  }

  /** A box of the branch graph, by its step id (e.g. "d0:region:…"); the first one whose id starts so. */
  node(idPrefix: string): Locator {
    return this.graph.locator(`[data-test=branch-node][data-id^="${idPrefix}"]`).first();
  }

  /** Clicks a box of the graph (two analyze artifacts: no tree) and waits for the filtered preview of its scope. */
  async openNode(box: Locator): Promise<void> {
    await box.click();
    await this.page.locator('[data-test=preview-filter]').waitFor();
  }

  /** Clicks a box of the graph and waits for the decomposition tree opened at its step (its last level's parts). */
  async openTree(box: Locator): Promise<void> {
    await box.click();
    await this.result
      .locator('[data-test=decomposition-tree] [data-test=tree-level]')
      .last()
      .locator('[data-test=tree-node]')
      .first()
      .waitFor();
  }

  /** Opens the rows of a step from its row of the steps table, and waits for the filtered preview. */
  async stepRows(id: string): Promise<void> {
    await this.result.locator(`[data-test=investigation-steps] tbody tr[data-id="${id}"] [data-test=investigation-step-rows]`).click();
    await this.page.locator('[data-test=preview-filter]').waitFor();
  }
}

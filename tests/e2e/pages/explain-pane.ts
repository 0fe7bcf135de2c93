import type { Locator, Page } from 'playwright-core';

/** One answer in the conversation: its text, the number check, the numbers found (or not) in the evidence, an error. */
export class Answer {
  readonly check: Locator;
  readonly verified: Locator;
  readonly unverified: Locator;
  readonly error: Locator;

  constructor(readonly root: Locator) {
    this.check = root.locator('[data-test=explain-check]');
    this.verified = root.locator('[data-test=verified]');
    this.unverified = root.locator('[data-test=unverified]');
    this.error = root.locator('.n-alert');
  }

  /** Waits until the answer is finished: checked, or failed with an error. */
  async settled(timeout?: number): Promise<void> {
    await this.root.locator('[data-test=explain-check], .n-alert').first().waitFor({ timeout });
  }
}

/** Bedrock's settings as the form asks for them. */
export interface BedrockSettings {
  model: string;
  region: string;
  endpoint: string;
}

/** The Explain pane beside a run: backend, evidence summary, questions and checked answers; and its settings dialog. */
export class ExplainPane {
  readonly pane: Locator;
  readonly backend: Locator;
  readonly noModel: Locator;
  readonly summary: Locator;
  /** The story's sentences shown without a model (segments and drivers runs), and the evidence list under them. */
  readonly story: Locator;
  readonly evidence: Locator;
  readonly input: Locator;
  readonly streaming: Locator;
  readonly answers: Locator;
  readonly questions: Locator;
  readonly focus: Locator;
  readonly focusFactors: Locator;
  readonly testResult: Locator;
  readonly models: Locator;

  constructor(readonly page: Page) {
    this.pane = page.locator('[data-test=explain-pane]');
    this.backend = page.locator('[data-test=explain-backend]');
    this.noModel = page.locator('[data-test=explain-no-model]');
    this.summary = page.locator('[data-test=explain-summary]');
    this.story = page.locator('[data-test=explain-story]');
    this.evidence = page.locator('[data-test=explain-evidence]');
    this.input = page.locator('[data-test=explain-input] textarea');
    this.streaming = page.locator('[data-test=explain-streaming]');
    this.answers = page.locator('[data-test=explain-answer]');
    this.questions = page.locator('[data-test=explain-question]');
    this.focus = page.locator('[data-test=explain-focus]');
    this.focusFactors = page.locator('[data-test=explain-focus-factors]');
    this.testResult = page.locator('[data-test=explain-test-result]');
    this.models = page.locator('[data-test=explain-models] tbody tr');
  }

  /** An answer by its place (from 0), or 'last'. */
  answer(which: number | 'last'): Answer {
    return new Answer(which === 'last' ? this.answers.last() : this.answers.nth(which));
  }

  /** Opens the pane with its shortcut (Ctrl+J) and waits for it. */
  async openByKey(): Promise<void> {
    await this.page.keyboard.press('Control+j');
    await this.pane.waitFor();
  }

  /** Closes the pane with the header's button and waits until it is gone. */
  async close(): Promise<void> {
    await this.page.locator('[data-test=toggle-explain]').click();
    await this.pane.waitFor({ state: 'detached' });
  }

  /** Asks a question with Enter (or the Send button) without waiting for the answer. */
  async ask(question: string, how: 'enter' | 'send' = 'enter'): Promise<void> {
    await this.input.fill(question);
    if (how === 'enter') await this.page.keyboard.press('Enter');
    else await this.page.locator('[data-test=explain-send]').click();
  }

  /** Waits until the streaming answer holds `text`. */
  async streamed(text: string): Promise<void> {
    await this.streaming.filter({ hasText: text }).waitFor();
  }

  stopButton(): Locator {
    return this.page.locator('[data-test=explain-stop]');
  }

  async stop(): Promise<void> {
    await this.stopButton().click();
  }

  /** Picks factor number `index` (from 0) in the focus select of a factor model's pane; resolves with the options it offered. */
  async focusOnFactor(index: number): Promise<string[]> {
    await this.focusFactors.locator('.n-base-selection').click();
    const options = this.page.locator('.n-base-select-option:visible');
    const texts = await options.allInnerTexts();
    await options.nth(index).click();
    await this.page.keyboard.press('Escape');
    return texts;
  }

  /** Opens the settings dialog and picks a backend by its label ('AWS Bedrock', 'Local model (offline)'). */
  async openSettings(backend: string): Promise<void> {
    await this.page.locator('[data-test=explain-settings]').click();
    await this.page.locator('[data-test=explain-settings-modal]').waitFor();
    await this.page.locator('[data-test=explain-backend-choice]').getByText(backend).click();
  }

  async fillBedrock(s: BedrockSettings): Promise<void> {
    await this.page.locator('[data-test=bedrock-model] input').fill(s.model);
    await this.page.locator('[data-test=bedrock-region] input').fill(s.region);
    await this.page.locator('[data-test=bedrock-endpoint] input').fill(s.endpoint);
  }

  /** Adds a GGUF file by path in the model manager. */
  async addModel(file: string): Promise<void> {
    await this.page.locator('[data-test=explain-model-path] input').fill(file);
    await this.page.locator('[data-test=explain-add-model]').click();
  }

  /** Sets the local model's threads and answer length. */
  async localLimits(threads: number, maxTokens: number): Promise<void> {
    await this.page.locator('[data-test=explain-threads] input').fill(String(threads));
    const tokens = this.page.locator('[data-test=explain-max-tokens] input');
    await tokens.fill(String(maxTokens));
    await tokens.blur();
  }

  /** Clicks Test in the settings (the result shows in testResult). */
  async test(): Promise<void> {
    await this.page.locator('[data-test=explain-test]').click();
  }

  /** What a failed Save and test says it kept. */
  get kept(): Locator {
    return this.page.locator('[data-test=explain-kept]');
  }

  /** Saves the settings and tests them (a failed test puts the settings in use back). */
  async saveAndTest(): Promise<void> {
    await this.page.locator('[data-test=explain-test]').click();
  }

  /** Closes the settings dialog without saving. */
  async closeSettings(): Promise<void> {
    await this.page.locator('[data-test=explain-settings-modal] .n-base-close').click();
    await this.settingsClosed();
  }

  /** Saves the settings. */
  async save(): Promise<void> {
    await this.page.locator('[data-test=explain-save]').click();
  }

  /** Waits until the settings dialog is closed. */
  async settingsClosed(): Promise<void> {
    await this.page.locator('[data-test=explain-settings-modal]').waitFor({ state: 'hidden' });
  }
}

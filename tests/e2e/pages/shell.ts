/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';
import { pickOption } from './selects';

/** The dataset tabs of the main area, as labelled. */
export type DatasetTab = 'Analyze' | 'Why it changed' | 'Investigate' | 'Factors' | 'Profile this table';

/** The window around every view: the sidebar (tools, datasets, run history), the dataset header and its tabs, the theme. */
export class Shell {
  readonly tagline: Locator;
  readonly datasetNames: Locator;
  readonly datasetTitle: Locator;
  /** The line under the dataset's title: rows, columns, source. */
  readonly datasetSubtitle: Locator;
  /** The dataset preview's column headers (their data-type is the column's type) and loaded rows (see DataGridView). */
  readonly previewTypes: Locator;
  readonly previewRows: Locator;
  readonly history: Locator;
  readonly historyItems: Locator;

  constructor(readonly page: Page) {
    this.tagline = page.getByText('Why did the metric change?');
    this.datasetNames = page.locator('[data-test=dataset-list] .name');
    this.datasetTitle = page.locator('[data-test=dataset-title]');
    this.datasetSubtitle = page.locator('.dataset .sub');
    this.previewTypes = page.locator('[data-test=preview] [role=columnheader]');
    this.previewRows = page.locator('[data-test=preview] [data-test=grid-scroller] .row.loaded');
    this.history = page.locator('[data-test=run-history]');
    this.historyItems = this.history.locator('li');
  }

  /** The sidebar (datasets, history) and the header's button that hides or shows it. */
  get sidebar(): Locator {
    return this.page.locator('[data-test=sidebar]');
  }

  /** Hides or shows the sidebar: with the header's button, or with its shortcut (Ctrl+B). */
  async toggleSidebar(by: 'button' | 'key' = 'button'): Promise<void> {
    if (by === 'key') await this.page.keyboard.press('Control+B');
    else await this.page.locator('[data-test=toggle-sidebar]').click();
  }

  /** The sidebar's width as drawn (0 when collapsed), once its transition has finished. */
  async sidebarWidth(): Promise<number> {
    await this.page.waitForTimeout(400);
    return (await this.sidebar.boundingBox())?.width ?? 0;
  }

  /** The second line of each history item: method, grouping, windows. */
  get historyDetails(): Locator {
    return this.history.locator('[data-test=run-detail]');
  }

  /** Deletes a run of the history (its ✕, then the confirmation). */
  async deleteRun(which: number | string | RegExp): Promise<void> {
    const item =
      typeof which === 'number'
        ? this.historyItems.nth(which)
        : this.historyItems.filter({ has: this.page.locator('.name', { hasText: which }) });
    await item.hover();
    await item.locator('.remove').click();
    await this.page.locator('.n-popconfirm').getByRole('button', { name: 'Confirm' }).click();
  }

  /** Removes a dataset from the workspace (its ✕, then the confirmation). */
  async deleteDataset(name: string): Promise<void> {
    const item = this.page.locator('[data-test=dataset-list] li').filter({ has: this.page.locator('.name', { hasText: name }) });
    await item.hover();
    await item.locator('.remove').click();
    await this.page.locator('.n-popconfirm').getByRole('button', { name: 'Confirm' }).click();
  }

  /** The notice after a deletion, with its Undo button. */
  get undoNotice(): Locator {
    return this.page.locator('.n-notification').filter({ has: this.page.locator('[data-test=undo]') });
  }

  /** Undoes the last deletion from its notice. */
  async undo(): Promise<void> {
    await this.undoNotice.last().locator('[data-test=undo]').click();
  }

  /** Reloads the page and waits for the workspace to show again. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.tagline.waitFor();
  }

  /** Selects a dataset in the sidebar by (part of) its name. */
  async openDataset(name: string | RegExp): Promise<void> {
    await this.datasetNames.filter({ hasText: name }).click();
  }

  /** Selects a dataset whose name is exactly `name`. */
  async openDatasetNamed(name: string): Promise<void> {
    await this.openDataset(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  }

  /** Opens a file through Open file's chooser and waits for its dataset to show. */
  async openFile(file: string, name: string): Promise<void> {
    const [chooser] = await Promise.all([this.page.waitForEvent('filechooser'), this.page.locator('[data-test=open-file]').click()]);
    await chooser.setFiles(file);
    await this.datasetTitle.filter({ hasText: name }).waitFor();
  }

  /** Drops a file with this name and content on the window, as a drag from the desktop does. */
  async dropFile(name: string, content: string): Promise<void> {
    const transfer = await this.page.evaluateHandle(
      ([n, c]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([c!], n!, { type: 'text/csv' }));
        return dt;
      },
      [name, content],
    );
    await this.page.dispatchEvent('.shell', 'dragenter', { dataTransfer: transfer });
    await this.page.dispatchEvent('.shell', 'drop', { dataTransfer: transfer });
  }

  /** The short notices at the top of the window (e.g. "Already open: …"). */
  get notices(): Locator {
    return this.page.locator('.n-message');
  }

  /** Opens one of the selected dataset's tabs. */
  async openTab(tab: DatasetTab): Promise<void> {
    await this.page.getByText(tab, { exact: true }).click();
  }

  /** Opens one of the sidebar's tools. */
  async openTool(tool: 'profiles' | 'compare' | 'databases'): Promise<void> {
    await this.page.locator(`[data-test=nav-${tool}]`).click();
  }

  /** A run in the history: by its place (0 is the newest) or by (part of) its title. */
  run(which: number | string | RegExp): Locator {
    const items = this.history.locator('.item');
    return typeof which === 'number' ? items.nth(which) : items.filter({ has: this.page.locator('.name', { hasText: which }) });
  }

  /** Opens a run from the history. */
  async openRun(which: number | string | RegExp): Promise<void> {
    await this.run(which).click();
  }

  /** Filters the history by kind (e.g. 'Compare') or by dataset name. */
  async filterHistory(by: 'kind' | 'dataset', text: string): Promise<void> {
    await pickOption(this.page, `history-${by}`, text);
  }

  /** Clears the history's kind filter. */
  async clearKindFilter(): Promise<void> {
    await this.page.locator('[data-test=history-kind] .n-base-clear').click({ force: true });
  }

  /** Waits until the history shows at most `count` runs. */
  async historyShrinksTo(count: number): Promise<void> {
    await this.historyItems.nth(count).waitFor({ state: 'detached' });
  }

  /** The theme's toggle button in the header. */
  async toggleTheme(): Promise<void> {
    await this.page.locator('[data-test=toggle-theme]').click();
  }

  /** The theme's keyboard shortcut. */
  async toggleThemeByKey(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+L');
  }

  /** 'light' or 'dark', as the page shows it. */
  theme(): Promise<string | undefined> {
    return this.page.evaluate(() => document.documentElement.dataset.theme);
  }

  /** Lets the theme's colour transition finish, for a screenshot. */
  async settleTheme(): Promise<void> {
    await this.page.waitForTimeout(600);
  }

  /** Calls the web host's API as the page does, with the page's token. */
  call<T>(method: string, body: unknown): Promise<T> {
    return this.page.evaluate(
      async ([m, b]) => {
        const token = sessionStorage.getItem('factorlens.token');
        const res = await fetch(`/api/call/${m}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(b),
        });
        return ((await res.json()) as { value: T }).value;
      },
      [method, body] as const,
    );
  }
}

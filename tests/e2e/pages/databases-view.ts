/// <reference lib="dom" />
import type { Locator, Page } from 'playwright-core';
import { clickOption } from './selects';
import { Shell } from './shell';

/** A Postgres connection as the form asks for it. */
export interface ConnectionForm {
  name: string;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  ssl?: string;
  caFile?: string;
}

/** The Databases tool: connections (test, save), the schema, the SQL editor with its preview, query datasets. */
export class DatabasesView {
  readonly testError: Locator;
  readonly testOk: Locator;
  readonly sql: Locator;
  readonly preview: Locator;
  readonly previewHead: Locator;

  constructor(readonly page: Page) {
    this.testError = page.locator('[data-test=test-error]');
    this.testOk = page.locator('[data-test=test-ok]');
    this.sql = page.locator('[data-test=sql-editor] textarea');
    this.preview = page.locator('[data-test=query-preview]');
    this.previewHead = this.preview.locator('thead');
  }

  async open(): Promise<void> {
    await new Shell(this.page).openTool('databases');
    await this.page.locator('[data-test=databases-view]').waitFor();
  }

  /** Types into one field of the connection form (name, host, port, database, user, password, caFile). */
  async setField(field: string, value: string): Promise<void> {
    await this.page.locator(`[data-test=conn-${field}] input`).fill(value);
  }

  /** Fills the whole connection form. */
  async fill(form: ConnectionForm): Promise<void> {
    await this.setField('name', form.name);
    await this.setField('host', form.host);
    await this.setField('port', String(form.port));
    await this.setField('database', form.database);
    await this.setField('user', form.user);
    await this.setField('password', form.password);
    if (form.ssl) await clickOption(this.page, 'conn-ssl', form.ssl);
    if (form.caFile) await this.setField('caFile', form.caFile);
  }

  /** Clicks Test connection (the outcome shows in testOk or testError). */
  async test(): Promise<void> {
    await this.page.locator('[data-test=test-connection]').click();
  }

  /** Saves the connection and waits for it in the list. */
  async save(name: string): Promise<void> {
    await this.page.locator('[data-test=save-connection]').click();
    await this.page.locator(`[data-test="connection-${name}"]`).waitFor();
  }

  /** Opens a table of the schema (schema.table): its SELECT goes into the editor. */
  async openTable(name: string): Promise<void> {
    await this.page.locator(`[data-test="table-${name}"]`).click();
  }

  /** Runs SQL from the editor (Ctrl+Enter). */
  async query(sql: string): Promise<void> {
    await this.sql.fill(sql);
    await this.sql.press('Control+Enter');
  }

  /** Waits until every previewed row has `value` in column `index` (from 0). */
  async previewColumnIs(index: number, value: string): Promise<void> {
    await this.page.waitForFunction(
      ([i, v]) =>
        Array.from(document.querySelectorAll('[data-test=query-preview] tbody tr')).every(
          (tr) => tr.children[i as number]?.textContent === v,
        ),
      [index, value] as const,
    );
  }

  /** Names the dataset the query would become. */
  async nameQueryDataset(name: string): Promise<void> {
    await this.page.locator('[data-test=query-dataset-name] input').fill(name);
  }

  /** Keeps the query as a dataset (named with nameQueryDataset); the dataset opens. */
  async addQueryDataset(): Promise<void> {
    await this.page.locator('[data-test=add-query-dataset]').click();
  }
}

/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../pg/server';
import { launchChromium, root, serve, type Served } from './browser';

/** Postgres in the real UI: a TLS connection, its schema, a query, a query dataset analysed on the server. */
const shots = path.join(root, 'test-results', 'e2e');
let db: TestServer;
let server: Served;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  db = await startTestServer();
  const admin = new pg.Client({ connectionString: db.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE shop');
  await admin.end();
  const shop = new pg.Client({ connectionString: db.url('postgres', 'shop') });
  await shop.connect();
  await shop.query('CREATE TABLE sales (order_date date, region text, channel text, product_line text, plan_tier int, revenue_usd numeric(14,2), cost_usd numeric(14,2), orders int)');
  const rows = parse(readFileSync(path.join(root, 'data', 'factorlens_demo_sales.csv'), 'utf8'), { from_line: 2 }) as string[][];
  await shop.query(`INSERT INTO sales VALUES ${rows.map((_, i) => `(${Array.from({ length: 8 }, (__, j) => `$${i * 8 + j + 1}`).join(', ')})`).join(', ')}`, rows.flat());
  await shop.query("CREATE ROLE reader LOGIN PASSWORD 'reader-pw'");
  await shop.query('GRANT SELECT ON sales TO reader');
  await shop.end();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-db-'));
  mkdirSync(path.join(dir, 'empty'));
  // The CA files are named by path: the web host reads only allowed folders.
  server = await serve(['--workspace', path.join(dir, 'db.flworkspace'), '--demo-data', path.join(dir, 'empty'), '--allow-dir', path.dirname(db.ca)]);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  db?.stop();
});

async function fill(testId: string, value: string): Promise<void> {
  await page.locator(`[data-test=${testId}] input`).fill(value);
}

describe('databases, in the browser', () => {
  it('tests a TLS connection: a wrong password and a wrong CA are explained, the right ones connect', async () => {
    await page.locator('[data-test=nav-databases]').click();
    await page.locator('[data-test=databases-view]').waitFor();
    await fill('conn-name', 'Shop');
    await fill('conn-host', 'localhost');
    await fill('conn-port', String(db.port));
    await fill('conn-database', 'shop');
    await fill('conn-user', 'reader');
    await fill('conn-password', 'not-it');
    await page.locator('[data-test=conn-ssl]').click();
    await page.locator('.n-base-select-option:visible', { hasText: 'verify-full' }).click();
    await fill('conn-caFile', db.wrongCa);
    await page.locator('[data-test=test-connection]').click();
    await expect(page.locator('[data-test=test-error]').innerText()).resolves.toContain('did not pass verification');
    await fill('conn-caFile', db.ca);
    await page.locator('[data-test=test-connection]').click();
    await expect(page.locator('[data-test=test-error]').innerText()).resolves.toContain("the server refused user 'reader'");
    await fill('conn-password', 'reader-pw');
    await page.locator('[data-test=test-connection]').click();
    await expect(page.locator('[data-test=test-ok]').innerText()).resolves.toMatch(/^Connected to PostgreSQL 1\d\.\d+.* as reader on shop, encrypted \(TLS\)\.$/);
    await shot('40-connection-tested');
  });

  it('saves it, shows the schema, previews a query and keeps it as a dataset', async () => {
    await page.locator('[data-test=save-connection]').click();
    await page.locator('[data-test="connection-Shop"]').waitFor();
    await page.locator('[data-test="table-public.sales"]').click();
    await expect(page.locator('[data-test=sql-editor] textarea').inputValue()).resolves.toBe('SELECT *\nFROM sales');
    await page.locator('[data-test=query-preview]').waitFor();
    await expect(page.locator('[data-test=query-preview] thead').innerText()).resolves.toMatch(/order_date\s*date[\s\S]*revenue_usd\s*decimal/);
    await page.locator('[data-test=sql-editor] textarea').fill("SELECT * FROM sales WHERE region = 'US'; -- the US only");
    await page.locator('[data-test=sql-editor] textarea').press('Control+Enter');
    await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-test=query-preview] tbody tr')).every((tr) => tr.children[1]?.textContent === 'US'));
    await fill('query-dataset-name', 'US sales (Postgres)');
    await shot('41-query-preview');
    await page.locator('[data-test=add-query-dataset]').click();
    await expect(page.locator('[data-test=dataset-title]').innerText()).resolves.toBe('US sales (Postgres)');
    // 29 US records in the demo sales (SPEC 14.1).
    await expect(page.locator('.dataset .sub').innerText()).resolves.toMatch(/^29 rows · 8 columns · postgres:\/\/reader@localhost:\d+\/shop: SELECT \* FROM sales WHERE region = 'US'/);
  });

  it('analyzes the query dataset on the server', async () => {
    await page.getByText('Analyze', { exact: true }).click();
    await page.locator('[data-test=analyze-panel]').waitFor();
    for (const [id, v] of [['group-by', 'channel'], ['metrics', 'revenue_usd']] as const) {
      await page.locator(`[data-test=${id}] .n-base-selection`).click();
      await page.keyboard.type(v);
      await page.locator('.n-base-select-option--pending', { hasText: v }).waitFor();
      await page.keyboard.press('Enter');
      await page.keyboard.press('Escape');
    }
    await page.locator('[data-test=run-analyze]').click();
    await page.locator('[data-test=run-view]').waitFor({ timeout: 30_000 });
    const table = await page.locator('[data-test=segment-table]').innerText();
    // The US rows by channel add up to the US total of SPEC 14.1: 29 records, 4,020,509.65.
    const counts = [...table.matchAll(/^(Direct|Partner|Marketplace)\s+(\d+)/gm)].map((m) => Number(m[2]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(29);
    await shot('42-query-analyzed');
  });
});

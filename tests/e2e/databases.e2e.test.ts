import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { TestServer } from '../pg/server';
import { root } from './browser';
import { useWorkbench } from './fixture';

/** Postgres in the real UI: a TLS connection, its schema, a query, a query dataset analysed on the server. */

/** A `shop` database with the demo sales, readable by the role `reader`. */
async function seedShop(db: TestServer): Promise<void> {
  const admin = new pg.Client({ connectionString: db.url() });
  await admin.connect();
  await admin.query('CREATE DATABASE shop');
  await admin.end();
  const shop = new pg.Client({ connectionString: db.url('postgres', 'shop') });
  await shop.connect();
  await shop.query(
    'CREATE TABLE sales (order_date date, region text, channel text, product_line text, plan_tier int, revenue_usd numeric(14,2), cost_usd numeric(14,2), orders int)',
  );
  const rows = parse(readFileSync(path.join(root, 'data', 'factorlens_demo_sales.csv'), 'utf8'), { from_line: 2 }) as string[][];
  await shop.query(
    `INSERT INTO sales VALUES ${rows.map((_, i) => `(${Array.from({ length: 8 }, (__, j) => `$${i * 8 + j + 1}`).join(', ')})`).join(', ')}`,
    rows.flat(),
  );
  await shop.query("CREATE ROLE reader LOGIN PASSWORD 'reader-pw'");
  await shop.query('GRANT SELECT ON sales TO reader');
  await shop.end();
}

const app = useWorkbench({
  name: 'db',
  postgres: seedShop,
  // The CA files are named by path: the web host reads only allowed folders.
  allowDirs: ({ db }) => [path.dirname(db!.ca)],
  fullPageShots: true,
});

describe('databases, in the browser', () => {
  it('tests a TLS connection: a wrong password and a wrong CA are explained, the right ones connect', async () => {
    const { databases } = app;
    const db = app.db!;
    await databases.open();
    await databases.fill({
      name: 'Shop',
      host: 'localhost',
      port: db.port,
      database: 'shop',
      user: 'reader',
      password: 'not-it',
      ssl: 'verify-full',
      caFile: db.wrongCa,
    });
    await databases.test();
    await expect(databases.testError.innerText()).resolves.toContain('did not pass verification');
    await databases.setField('caFile', db.ca);
    await databases.test();
    await expect(databases.testError.innerText()).resolves.toContain("the server refused user 'reader'");
    await databases.setField('password', 'reader-pw');
    await databases.test();
    await expect(databases.testOk.innerText()).resolves.toMatch(
      /^Connected to PostgreSQL 1\d\.\d+.* as reader on shop, encrypted \(TLS\)\.$/,
    );
    await app.shot('40-connection-tested');
  });

  it('saves it, shows the schema, previews a query and keeps it as a dataset', async () => {
    const { shell, databases } = app;
    await databases.save('Shop');
    await databases.openTable('public.sales');
    await expect(databases.sql.inputValue()).resolves.toBe('SELECT *\nFROM sales');
    await databases.preview.waitFor();
    await expect(databases.previewHead.innerText()).resolves.toMatch(/order_date\s*date[\s\S]*revenue_usd\s*decimal/);
    await databases.query("SELECT * FROM sales WHERE region = 'US'; -- the US only");
    await databases.previewColumnIs(1, 'US');
    await databases.nameQueryDataset('US sales (Postgres)');
    await app.shot('41-query-preview');
    await databases.addQueryDataset();
    await expect(shell.datasetTitle.innerText()).resolves.toBe('US sales (Postgres)');
    // 29 US records in the demo sales (SPEC 14.1).
    await expect(shell.datasetSubtitle.innerText()).resolves.toMatch(
      /^29 rows · 8 columns · postgres:\/\/reader@localhost:\d+\/shop: SELECT \* FROM sales WHERE region = 'US'/,
    );
  });

  it('analyzes the query dataset on the server', async () => {
    const { analyze, run } = app;
    await analyze.open();
    await analyze.fill({ groupBy: ['channel'], metrics: ['revenue_usd'] });
    await analyze.run();
    const table = await run.segmentTable.innerText();
    // The US rows by channel add up to the US total of SPEC 14.1: 29 records, 4,020,509.65.
    const counts = [...table.matchAll(/^(Direct|Partner|Marketplace)\s+(\d+)/gm)].map((m) => Number(m[2]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(29);
    await app.shot('42-query-analyzed');
  });
});

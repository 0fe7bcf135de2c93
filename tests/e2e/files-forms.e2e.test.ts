import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from '../llm/fake-bedrock';
import { root } from './browser';
import { useWorkbench } from './fixture';

/** Files and forms: Parquet and JSON open like CSV, a file added twice, profile names, Explain settings, Compare. */
let fake: FakeBedrock;
beforeAll(async () => {
  fake = await startFakeBedrock();
  return () => fake.close();
});

const app = useWorkbench({
  name: 'files-forms',
  demo: ['factorlens_demo_sales.csv', 'factorlens_demo_sales_150.csv'],
  allowDirs: ({ dir }) => [dir],
  env: { AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST', AWS_SECRET_ACCESS_KEY: 'secret-for-tests', AWS_REGION: 'us-west-2', AWS_PROFILE: '' },
  viewport: { width: 1440, height: 900 },
  setupTimeout: 90_000,
});

const sizes = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const;
async function shots(name: string): Promise<void> {
  for (const s of sizes) {
    await app.page.setViewportSize(s);
    await app.page.waitForTimeout(300);
    await app.shot(`${name}-${s.width}`);
  }
  await app.page.setViewportSize(sizes[0]);
}

describe('files and forms in a real browser', () => {
  it('opens movies.json and a Parquet file like a CSV: rows, typed columns, preview', async () => {
    const { shell } = app;
    const movies = path.join(app.dir, 'movies.json');
    writeFileSync(movies, readFileSync(path.join(root, 'tests/fixtures/vega/movies.json')));
    await shell.openFile(movies, 'movies.json');
    await expect(shell.datasetSubtitle.innerText()).resolves.toMatch(/3,201 rows/);
    await shell.previewRows.first().waitFor();
    const types = await shell.previewTypes.evaluateAll((els) => els.map((e) => `${e.textContent?.trim()}:${e.getAttribute('data-type')}`));
    expect(types.find((t) => t.startsWith('US Gross'))).toMatch(/:number$/);
    expect(types.find((t) => t.startsWith('Major Genre'))).toMatch(/:text$/);
    await shots('f1-movies-json');

    const parquet = path.join(app.dir, 'orders.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT 'EU' AS region, 10.5 AS revenue UNION ALL SELECT 'US', 20.25 UNION ALL SELECT 'EU', 4.25) TO '${parquet}' (FORMAT parquet)`,
    );
    conn.closeSync();
    await shell.openFile(parquet, 'orders.parquet');
    await expect(shell.datasetSubtitle.innerText()).resolves.toMatch(/3 rows/);
    await shell.previewRows.nth(2).waitFor();
    await expect(shell.previewRows.first().innerText()).resolves.toMatch(/EU[\s\S]*10\.5/);
  });

  it('adding the same CSV twice opens the existing dataset and says so', async () => {
    const { shell } = app;
    const csv = path.join(app.dir, 'twice.csv');
    writeFileSync(csv, 'region,revenue\nEU,10\nUS,20\n');
    await shell.openFile(csv, 'twice.csv');
    const before = await shell.datasetNames.count();
    await shell.openDatasetNamed('movies.json');
    await shell.openFile(csv, 'twice.csv');
    await shell.notices.filter({ hasText: "Already open: opened the existing dataset 'twice.csv'" }).waitFor();
    expect(await shell.datasetNames.count()).toBe(before);
    await shots('f2-already-open');
  });

  it('checks a profile name as it is typed, before anything is sent', async () => {
    const { profiles } = app;
    await profiles.open();
    await profiles.typeNewName('birds exec');
    await expect(profiles.nameProblem.innerText()).resolves.toBe('Use letters, digits, - and _ only (not spaces); e.g. birds_exec.');
    await expect(profiles.saveButton.isDisabled()).resolves.toBe(true);
    await shots('f3-profile-name');
    await profiles.typeNewName('birds_exec');
    await profiles.nameProblem.waitFor({ state: 'detached' });
    await expect(profiles.saveButton.isDisabled()).resolves.toBe(false);
  });

  it(
    'compare of two demo analyze runs: risers green when ranked by revenue; other groupings refused before running',
    { timeout: 120_000 },
    async () => {
      const { shell, analyze, compare } = app;
      for (const [file, groups] of [
        ['factorlens_demo_sales.csv', ['region']],
        ['factorlens_demo_sales_150.csv', ['region']],
        ['factorlens_demo_sales_150.csv', ['region', 'channel']],
      ] as const) {
        await shell.openDatasetNamed(file);
        await analyze.open();
        await analyze.fill({ groupBy: [...groups], metrics: ['revenue_usd'] });
        await analyze.run();
      }
      await shell.openTool('compare');
      await compare.pick('factorlens_demo_sales.csv by region ·', 'factorlens_demo_sales_150.csv by region, channel');
      await expect(compare.mismatch.innerText()).resolves.toContain('the two runs are grouped differently');
      await expect(compare.goButton.isDisabled()).resolves.toBe(true);
      await shots('f4-compare-refused');

      await compare.compare('factorlens_demo_sales.csv by region ·', 'factorlens_demo_sales_150.csv by region ·');
      // Revenue rose in every region: ranked by it, every bar is green and none red.
      await expect(compare.segments()).resolves.toEqual(['US', 'EU', 'APAC', 'LATAM']);
      await app.page.waitForTimeout(600);
      const byMetric = await compare.barColours();
      expect(byMetric.green).toBeGreaterThan(500);
      expect(byMetric.red).toBe(0);
      await expect(compare.topMover.getAttribute('class')).resolves.toContain('up');
      await shots('f5-compare-by-metric');
      await compare.rankBy('share');
      await expect(compare.segments()).resolves.toEqual(['US', 'LATAM', 'APAC', 'EU']);
      await app.page.waitForTimeout(600);
      expect((await compare.barColours()).red).toBeGreaterThan(500);
    },
  );

  it('a failed Bedrock "Save and test" keeps the backend in use', async () => {
    const { shell, explain } = app;
    await shell.openRun(0);
    if (!(await explain.pane.isVisible())) await explain.openByKey();
    const before = await explain.backend.innerText();
    await explain.openSettings('AWS Bedrock');
    await explain.fillBedrock({ model: 'anthropic.claude-3-haiku-20240307-v1:0', region: 'us-west-2', endpoint: fake.url });
    fake.reply({ kind: 'error', status: 403, type: 'AccessDeniedException', message: 'You do not have access to this model' });
    await explain.saveAndTest();
    await explain.kept.waitFor();
    await expect(explain.kept.innerText()).resolves.toMatch(/^Not saved: the test failed, so the local model is still used/);
    await shots('f6-bedrock-kept');
    await explain.closeSettings();
    await expect(explain.backend.innerText()).resolves.toBe(before);
  });
});

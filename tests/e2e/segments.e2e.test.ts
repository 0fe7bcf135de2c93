/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, root, serve, type Served } from './browser';

/**
 * Segment analysis in depth, through the real UI: profile a table, save the suggestion as a
 * profile, analyze with period comparison, insights and alerts, edit profiles and move them to
 * the CLI as TOML, compare two runs, and manage the run history.
 */
const shots = path.join(root, 'test-results', 'e2e');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-seg-'));
let server: Served;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

async function pickOption(testId: string, text: string): Promise<void> {
  await page.locator('.n-base-select-menu:visible').first().waitFor({ state: 'detached' });
  await page.locator(`[data-test=${testId}]`).click();
  await page.locator('.n-base-select-option:visible', { hasText: text }).first().click();
  await page.locator('.n-base-select-menu:visible').first().waitFor({ state: 'detached' });
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const demo = path.join(dir, 'demo');
  mkdirSync(demo);
  for (const f of ['factorlens_demo_sales.csv', 'factorlens_demo_sales_150.csv']) writeFileSync(path.join(demo, f), readFileSync(path.join(root, 'data', f)));
  server = await serve(['--workspace', path.join(dir, 'seg.flworkspace'), '--demo-data', demo]);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(server.url);
  await page.locator('[data-test=dataset-list] .name').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('segment analysis in the browser', () => {
  it('profiles a table and suggests the documented profile (SPEC 7)', async () => {
    await page.locator('[data-test=dataset-list] .name', { hasText: 'factorlens_demo_sales_150.csv' }).click();
    await page.getByText('Profile this table', { exact: true }).click();
    await page.locator('[data-test=run-suggest]').click();
    await page.locator('[data-test=suggestion]').waitFor();
    await expect(page.locator('[data-test=suggested-groups]').innerText()).resolves.toBe('region, product_line, channel');
    await expect(page.locator('[data-test=suggested-metrics]').innerText()).resolves.toBe('revenue_usd, cost_usd, orders');
    const planTier = page.locator('[data-test=suggest-columns] tr', { hasText: 'plan_tier' });
    await expect(planTier.innerText()).resolves.toMatch(/plan_tier\s+dimension\s+100\.0%\s+2\s+100%\s+1 \(88\), 0 \(62\)/);
    await shot('10-suggest');
  });

  it('saves the suggestion as a profile and analyzes with it, a period comparison, insights and an alert', async () => {
    await page.locator('[data-test=suggest-profile-name] input').fill('demo_exec');
    await page.locator('[data-test=save-suggested]').click();
    await page.locator('[data-test=analyze-panel]').waitFor();
    // The form fills in once the profiles have loaded: wait for it rather than read it at once.
    await page.locator('[data-test=profile-select]', { hasText: 'demo_exec' }).waitFor();
    await page.locator('[data-test=group-by]', { hasText: 'channel' }).waitFor();
    await expect(page.locator('[data-test=group-by]').innerText()).resolves.toMatch(/region[\s\S]*product_line[\s\S]*channel/);
    await page.locator('[data-test=period-switch]').click();
    await page.locator('[data-test=anchor-date] input').fill('2026-03-15');
    await page.locator('[data-test=advanced]').getByText('Advanced').click();
    await page.locator('[data-test=top-insights] input').fill('3');
    await page.locator('[data-test=alert-top5] input').fill('20');
    await page.keyboard.press('Tab');
    await shot('11-analyze-options');
    await page.locator('[data-test=run-analyze]').click();
    await page.locator('[data-test=run-view]').waitFor({ timeout: 30_000 });
    // The profile's min_records (10) and top (15) applied: 3 segments remain of 38.
    await page.locator('[data-test=alerts]', { hasText: 'Top-5 record share is' }).waitFor();
    const period = page.locator('[data-test=period-panel]');
    await expect(period.innerText()).resolves.toContain('Current: 2026-02-01..2026-02-28');
    await expect(period.innerText()).resolves.toContain('Previous: 2026-01-01..2026-01-31');
    await expect(page.locator('[data-test=mover-chart] canvas').count()).resolves.toBe(1);
    await expect(page.locator('[data-test=insights-panel]').innerText()).resolves.toContain('Risks');
    await period.scrollIntoViewIfNeeded();
    await shot('12-analyze-period-insights');
  });

  it('edits profiles, validates them against a dataset, and hands them to the CLI as TOML', async () => {
    await page.locator('[data-test=nav-profiles]').click();
    await page.locator('[data-test=new-profile]').click();
    await page.locator('[data-test=profile-name] input').fill('regional');
    for (const [tags, value] of [
      ['profile-group-by', 'region'],
      ['profile-metrics', 'revenue_usd'],
    ] as const) {
      await page.locator(`[data-test=${tags}] button`).last().click();
      await page.keyboard.type(value);
      await page.keyboard.press('Enter');
    }
    await page.locator('[data-test=profile-rank-by] input').fill('revenue_usd');
    await page.locator('[data-test=profile-top] input').fill('3');
    await page.keyboard.press('Tab');
    await pickOption('validate-dataset', 'factorlens_demo_sales.csv');
    await page.locator('[data-test=validate-profile]').click();
    await page.locator('[data-test=validate-ok]').waitFor();
    await page.locator('[data-test=save-profile]').click();
    await page.locator('[data-test=saved-profiles] button', { hasText: 'regional' }).waitFor();
    await expect(page.locator('[data-test=saved-profiles]').innerText()).resolves.toMatch(/demo_exec\s+regional/);

    // A broken profile is caught by Validate, with the reason.
    await page.locator('[data-test=profile-rank-by] input').fill('profit');
    await page.locator('[data-test=validate-profile]').click();
    await expect(page.locator('[data-test=validate-problems]').innerText()).resolves.toContain("rank_by 'profit' is not one of the profile's metrics");
    await shot('13-profile-editor');
    await page.locator('[data-test=saved-profiles] button', { hasText: 'regional' }).click();

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=export-toml]').click()]);
    const toml = path.join(dir, 'exported.toml');
    await download.saveAs(toml);
    const text = readFileSync(toml, 'utf8');
    expect(text).toContain('[profiles.regional]');
    expect(text).toContain('[profiles.demo_exec]');
    // The CLI reads the file the UI wrote.
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-cli-'));
    const r = spawnSync(process.execPath, [path.join(root, 'bin/factorlens.js'), 'analyze', '--input', path.join(root, 'data/factorlens_demo_sales.csv'), '--profile', 'regional', '--profile-config', toml, '--output-format', 'json', '--out', 'r.json'], { cwd, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const art = JSON.parse(readFileSync(path.join(cwd, 'r.json'), 'utf8'));
    expect(art).toMatchObject({ group_by: ['region'], rank_by: 'revenue_usd', top: 3, profile: 'regional' });
    expect(art.groups[0]).toMatchObject({ group: 'US', count: 29 });

    // Import: a TOML file with a new profile shows up in the list.
    const importFile = path.join(dir, 'more.toml');
    writeFileSync(importFile, '[profiles.by_channel]\ngroup_by = ["channel"]\nmin_records = 2\n');
    await page.locator('[data-test=import-input]').setInputFiles(importFile);
    await page.locator('[data-test=saved-profiles] button', { hasText: 'by_channel' }).waitFor();
  });

  it('compares two runs: the US region mover of the seed (29 -> 71 records)', async () => {
    for (const name of ['factorlens_demo_sales.csv', 'factorlens_demo_sales_150.csv']) {
      await page.locator('[data-test=dataset-list] .name', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }).click();
      await page.getByText('Analyze', { exact: true }).click();
      await pickOption('profile-select', 'regional');
      await page.locator('[data-test=run-analyze]').click();
      await page.locator('[data-test=run-view]').waitFor({ timeout: 30_000 });
    }
    await page.locator('[data-test=compare-with]').click();
    await page.locator('[data-test=compare-view]').waitFor();
    await pickOption('compare-base', 'factorlens_demo_sales.csv by region');
    await pickOption('compare-new', 'factorlens_demo_sales_150.csv by region');
    await page.locator('[data-test=compare-go]').click();
    await page.locator('[data-test=compare-result]').waitFor();
    const us = page.locator('[data-test=movers-table] tbody tr').first();
    await expect(us.innerText()).resolves.toMatch(/^US\s+29\s+71\s+29\.00%\s+47\.33%\s+\+18\.33\s+4,020,509\.65\s+13,561,697\.76\s+\+9,541,188\.11/);
    await expect(page.locator('[data-test=movers-table] tbody tr .up').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('[data-test=movers-table] tbody tr .down').count()).resolves.toBeGreaterThan(0);
    await shot('14-compare');
  });

  it('filters, renames and re-runs from the history', async () => {
    await pickOption('history-kind', 'Compare');
    await page.locator('[data-test=run-history] li').nth(1).waitFor({ state: 'detached' });
    await expect(page.locator('[data-test=run-history] li').count()).resolves.toBe(1);
    await page.locator('[data-test=history-kind] .n-base-clear').click({ force: true });
    await pickOption('history-dataset', 'factorlens_demo_sales_150.csv');
    await page.locator('[data-test=run-history] li').nth(2).waitFor({ state: 'detached' });
    await expect(page.locator('[data-test=run-history] li').count()).resolves.toBe(2);
    await page.locator('[data-test=run-history] .name', { hasText: /by region$/ }).click();
    await page.locator('[data-test=rename-run]').click();
    await page.locator('[data-test=rename-input] input').fill('March snapshot by region');
    await page.keyboard.press('Enter');
    await page.locator('[data-test=run-title]', { hasText: 'March snapshot by region' }).waitFor();
    await page.locator('[data-test=run-history]', { hasText: 'March snapshot by region' }).waitFor();
    const before = await page.locator('[data-test=run-history] li').count();
    await page.locator('[data-test=rerun]').click();
    await page.locator('[data-test=run-title]', { hasText: 'factorlens_demo_sales_150.csv by region' }).waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-test=run-history] li').count()).resolves.toBe(before + 1);
    await shot('15-history');
  });
});

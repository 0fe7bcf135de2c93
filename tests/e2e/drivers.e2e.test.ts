/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, root, serve, type Served } from './browser';

/** Why it changed, through the real UI: drivers with the exact bridge, the residual's rows, investigate. */
const shots = path.join(root, 'test-results', 'e2e');
let server: Served;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`) });

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-drv-'));
  const demo = path.join(dir, 'demo');
  mkdirSync(demo);
  writeFileSync(path.join(demo, 'demo_revenue_residual.csv'), readFileSync(path.join(root, 'data', 'demo_revenue_residual.csv')));
  server = await serve(['--workspace', path.join(dir, 'drv.flworkspace'), '--demo-data', demo]);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(server.url);
  await page.locator('[data-test=dataset-list] .name', { hasText: 'demo_revenue_residual.csv' }).click();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('why it changed, in the browser', () => {
  it('explains the change by the identity, with a waterfall, the mix/rate bridge and the residual rows', async () => {
    await page.getByText('Why it changed', { exact: true }).click();
    await page.locator('[data-test=drivers-panel]').waitFor();
    await page.locator('[data-test=drivers-anchor] input').fill('2026-04-15');
    await page.locator('[data-test=drivers-windows]', { hasText: '2026-02-01..2026-02-28 → 2026-03-01..2026-03-31' }).waitFor();
    await page.locator('[data-test=drivers-by]').click();
    await page.locator('.n-base-select-option:visible', { hasText: 'region' }).click();
    await page.locator('[data-test=run-drivers]').click();
    await page.locator('[data-test=drivers-result]').waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-test=drivers-identity-found]').innerText()).resolves.toBe('revenue_usd = orders * avg_price_usd');
    await expect(page.locator('[data-test=drivers-residual]').innerText()).resolves.toBe('+82,426.66');
    const table = await page.locator('[data-test=drivers-table]').innerText();
    expect(table).toMatch(/orders[\s\S]*-852,447\.64/);
    expect(table).toMatch(/Actual change[\s\S]*-880,172\.44/);
    await expect(page.locator('[data-test=waterfall] canvas').count()).resolves.toBe(1);
    await expect(page.locator('[data-test=bridge]').innerText()).resolves.toContain('APAC');
    await expect(page.locator('[data-test=residual-segments]').innerText()).resolves.toContain('campaign = spring_launch, channel = Marketplace, device_type = mobile, region = APAC');
    await shot('20-drivers');
    await page.locator('[data-test=show-rows]').first().click();
    await page.locator('[data-test=preview-filter]').waitFor();
    // The 16 rows that carry the residual, and only those.
    await expect(page.locator('[data-test=preview] tbody tr').count()).resolves.toBe(16);
    await shot('21-residual-rows');
  });

  it('investigates by regression and shows its diagnostics (SPEC 14.1 C)', async () => {
    await page.getByText('Why it changed', { exact: true }).click();
    await page.locator('[data-test=mode-investigate]').click();
    await page.locator('[data-test=drivers-anchor] input').fill('2026-04-15');
    await page.locator('[data-test=investigate-drivers] input').fill('sum(orders), sum(traffic), avg(avg_price_usd)');
    await page.locator('[data-test=run-drivers]').click();
    await page.locator('[data-test=investigate-result]').waitFor({ timeout: 30_000 });
    const table = await page.locator('[data-test=investigate-table]').innerText();
    expect(table).toMatch(/sum\(orders\)[\s\S]*-696,191\.18[\s\S]*-12\.96%[\s\S]*79\.8934/);
    await page.locator('[data-test=run-history] li').nth(1).waitFor();
    await expect(page.locator('[data-test=run-history]').innerText()).resolves.toMatch(/Investigate revenue_usd[\s\S]*Why revenue_usd changed/);
    await shot('22-investigate');
  });

  it('opens the Explain pane beside the run (Ctrl+J); without a model it offers the evidence summary', async () => {
    await page.locator('[data-test=run-history] .item').nth(1).click();
    await page.locator('[data-test=drivers-result]').waitFor();
    await expect(page.locator('[data-test=explain-pane]').count()).resolves.toBe(0);
    await page.keyboard.press('Control+j');
    await page.locator('[data-test=explain-no-model]').waitFor();
    // The residual of the demo (+82,426.66) is one of the drivers run's evidence lines.
    await expect(page.locator('[data-test=explain-summary]').innerText()).resolves.toContain('explained=-962599.1 (-17.92%) residual=82426.66 (1.53%) [E5]');
    await shot('23-drivers-explain-pane');
    await page.locator('[data-test=toggle-explain]').click();
    await page.locator('[data-test=explain-pane]').waitFor({ state: 'detached' });
  });
});

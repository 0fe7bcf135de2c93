/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrock, type FakeBedrock } from '../llm/fake-bedrock';
import { writeTinyLlama } from '../llm/gguf';
import { chooseOptions, launchChromium, root, serve, type Served } from './browser';

/** The Explain pane through the real UI, answered by the real Bedrock SDK against a loopback server. */
const shots = path.join(root, 'test-results', 'e2e');
let server: Served;
let browser: Browser;
let page: Page;
let fake: FakeBedrock;
const savedEnv = { ...process.env };

const shot = (name: string) => page.screenshot({ path: path.join(shots, `${name}.png`) });


beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  fake = await startFakeBedrock();
  // The served app's SDK finds these through its default credential chain.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST', AWS_SECRET_ACCESS_KEY: 'secret-for-tests', AWS_REGION: 'us-west-2', AWS_PROFILE: '' });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-explain-'));
  const demo = path.join(dir, 'demo');
  mkdirSync(demo);
  writeFileSync(path.join(demo, 'factorlens_demo_sales.csv'), readFileSync(path.join(root, 'data', 'factorlens_demo_sales.csv')));
  // The model file is added by path from the temp folder: the web host reads only allowed folders.
  server = await serve(['--workspace', path.join(dir, 'explain.flworkspace'), '--demo-data', demo, '--allow-dir', os.tmpdir()]);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(server.url);
  await page.locator('[data-test=dataset-list] .name', { hasText: 'factorlens_demo_sales.csv' }).click();
  await page.getByText('Analyze', { exact: true }).click();
  await page.locator('[data-test=analyze-panel]').waitFor();
  await chooseOptions(page, 'group-by', ['region']);
  await chooseOptions(page, 'metrics', ['revenue_usd']);
  await page.locator('[data-test=rank-by] .n-base-selection').click();
  await page.keyboard.type('revenue');
  await page.locator('.n-base-select-option--pending:visible', { hasText: 'revenue_usd' }).last().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('[data-test=rank-by]', { hasText: 'revenue_usd' }).waitFor();
  await page.locator('[data-test=run-analyze]').click();
  await page.locator('[data-test=run-view]').waitFor({ timeout: 30_000 });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
  process.env = savedEnv;
});

describe('the Explain pane in a real browser', () => {
  it('without a model, says how to add one and offers a labelled summary built from the evidence', async () => {
    const pane = page.locator('[data-test=explain-pane]');
    await pane.waitFor();
    await expect(page.locator('[data-test=explain-backend]').innerText()).resolves.toBe('No model set up');
    await page.locator('[data-test=explain-no-model]').waitFor();
    const summary = await page.locator('[data-test=explain-summary]').innerText();
    expect(summary.toLowerCase()).toContain('deterministic summary · no model involved');
    expect(summary).toContain('group="US" records=29 record_share_pct=29 "revenue_usd"=4020509.65 [E2]');
    await expect(page.locator('[data-test=explain-input] textarea').isDisabled()).resolves.toBe(true);
    await shot('60-explain-no-model');
  });

  it('sets up Bedrock in the settings and tests it with a Converse call', async () => {
    await page.locator('[data-test=explain-settings]').click();
    await page.locator('[data-test=explain-settings-modal]').waitFor();
    await page.locator('[data-test=explain-backend-choice]').getByText('AWS Bedrock').click();
    await page.locator('[data-test=bedrock-model] input').fill('anthropic.claude-3-haiku-20240307-v1:0');
    await page.locator('[data-test=bedrock-region] input').fill('us-west-2');
    await page.locator('[data-test=bedrock-endpoint] input').fill(fake.url);
    fake.reply({ kind: 'answer', chunks: ['OK'] });
    await page.locator('[data-test=explain-test]').click();
    await expect(page.locator('[data-test=explain-test-result]').innerText()).resolves.toContain('bedrock: anthropic.claude-3-haiku-20240307-v1:0: answered "OK"');
    expect(fake.requests.at(-1)).toMatchObject({ operation: 'converse', modelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
    await shot('61-explain-settings-bedrock');
    await page.locator('[data-test=explain-save]').click();
    await page.locator('[data-test=explain-settings-modal]').waitFor({ state: 'hidden' });
    await expect(page.locator('[data-test=explain-backend]').innerText()).resolves.toBe('Bedrock · claude-3-haiku-20240307');
  });

  it('streams an answer, marks verified numbers with their evidence and flags an invented one', async () => {
    fake.reply({ kind: 'answer', chunks: ['US leads ', 'with 29 records ', '[E2] and ', '4,020,509.65 ', 'in revenue [E2]; ', 'APAC follows ', 'with 27 records [E3].'], delayMs: 250 });
    await page.locator('[data-test=explain-input] textarea').fill('Which region leads?');
    await page.keyboard.press('Enter');
    // Mid-stream: part of the answer is on screen, with a Stop button.
    await page.locator('[data-test=explain-streaming]', { hasText: 'with 29 records' }).waitFor();
    await page.locator('[data-test=explain-stop]').waitFor();
    await shot('62-explain-streaming');
    const answer = page.locator('[data-test=explain-answer]').last();
    await answer.locator('[data-test=explain-check]').waitFor();
    await expect(answer.locator('[data-test=verified]').allInnerTexts()).resolves.toEqual(['29✓', '4,020,509.65✓']);
    await expect(answer.locator('[data-test=unverified]').allInnerTexts()).resolves.toEqual(['27?']);
    await expect(answer.locator('[data-test=explain-check]').innerText()).resolves.toBe('1 of 3 numbers not in the evidence');
    await answer.locator('[data-test=verified]').first().hover();
    await expect(page.locator('[data-test=explain-focus]').innerText()).resolves.toContain('E2 group="US" records=29');
    // The request: the evidence in the system prompt, the question as the user turn.
    const req = fake.requests.at(-1)!;
    expect(req.operation).toBe('converse-stream');
    expect(req.body.system![0]!.text).toContain('[E2] group="US" records=29 record_share_pct=29 "revenue_usd"=4020509.65');
    expect(req.body.messages.at(-1)).toEqual({ role: 'user', content: [{ text: 'Question: Which region leads?' }] });
    await shot('63-explain-answer-checked');
  });

  it('stops an answer half-way, keeps it, and finds the conversation again after a reload', async () => {
    fake.reply({ kind: 'answer', chunks: ['EU ', 'has ', '22 ', 'records ', '[E4] ', 'and ', 'more ', 'words ', 'follow.'], delayMs: 300 });
    await page.locator('[data-test=explain-input] textarea').fill('And EU?');
    await page.locator('[data-test=explain-send]').click();
    await page.locator('[data-test=explain-streaming]', { hasText: 'EU has' }).waitFor();
    await page.locator('[data-test=explain-stop]').click();
    const last = page.locator('[data-test=explain-answer]').last();
    await last.getByText('stopped').waitFor();
    expect((await last.innerText()).length).toBeLessThan('EU has 22 records [E4] and more words follow.'.length + 80);
    await expect(page.locator('[data-test=explain-answer]').count()).resolves.toBe(2);
    await page.reload();
    await page.locator('[data-test=run-history] .item').first().click();
    await page.locator('[data-test=explain-answer]').nth(1).waitFor();
    await expect(page.locator('[data-test=explain-question]').allInnerTexts()).resolves.toEqual(['Which region leads?', 'And EU?']);
    await page.keyboard.press('Control+Shift+L');
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('dark');
    await page.waitForTimeout(600); // the theme's colour transition, for the screenshot
    await shot('64-explain-after-reload');
  });

  it('adds a local GGUF model in the model manager, shows its header, loads it and answers offline', async () => {
    const model = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-model-')), 'tiny-test.gguf');
    writeTinyLlama(model, { name: 'FactorLens tiny test model' });
    await page.locator('[data-test=explain-settings]').click();
    await page.locator('[data-test=explain-settings-modal]').waitFor();
    await page.locator('[data-test=explain-backend-choice]').getByText('Local model (offline)').click();
    await page.locator('[data-test=explain-model-path] input').fill(model);
    await page.locator('[data-test=explain-add-model]').click();
    const row = page.locator('[data-test=explain-models] tbody tr', { hasText: 'tiny-test.gguf' });
    // 118,080 weights (F32), trained context 4,096: read from the file's GGUF header.
    await expect(row.innerText()).resolves.toMatch(/FactorLens tiny test model\s+tiny-test\.gguf · added\s+llama\s+118k\s+F32\s+4,096\s+48\d kB/);
    // One thread and a short answer: the browser and the server share this machine's cores, and
    // llama.cpp's threads spin while they wait.
    await page.locator('[data-test=explain-threads] input').fill('1');
    await page.locator('[data-test=explain-max-tokens] input').fill('48');
    await page.locator('[data-test=explain-max-tokens] input').blur();
    await page.locator('[data-test=explain-test]').click();
    await expect(page.locator('[data-test=explain-test-result]').innerText()).resolves.toBe('local: tiny-test.gguf: loaded with a context of 4,096 tokens on 1 thread');
    await shot('65-explain-model-manager');
    await page.locator('[data-test=explain-save]').click();
    await expect(page.locator('[data-test=explain-backend]').innerText()).resolves.toBe('Local · tiny-test.gguf');
    await page.locator('[data-test=explain-input] textarea').fill('Which region leads?');
    await page.keyboard.press('Enter');
    const answers = page.locator('[data-test=explain-answer]');
    await answers.nth(2).locator('[data-test=explain-check], .n-alert').first().waitFor({ timeout: 60_000 });
    expect(await answers.nth(2).locator('.n-alert').count(), await answers.nth(2).innerText()).toBe(0);
    await expect(answers.nth(2).innerText()).resolves.toContain('local: tiny-test.gguf');
  }, 90_000);
});

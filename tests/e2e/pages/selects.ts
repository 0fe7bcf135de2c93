import type { Page } from 'playwright-core';

/**
 * naive-ui's selects, driven the way a person does. They render their menus at the end of the
 * page, outside the control, so the option locators are page-wide.
 */

/** Picks options in a multi-select by typing each and pressing Enter; waits until the last shows as a tag. */
export async function chooseOptions(page: Page, testId: string, values: string[]): Promise<void> {
  for (const v of values) {
    await page.locator(`[data-test=${testId}] .n-base-selection`).click();
    await page.keyboard.type(v);
    await page.locator('.n-base-select-option--pending', { hasText: v }).waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
  }
  await page.locator(`[data-test=${testId}] .n-base-selection-tags`, { hasText: values.at(-1) }).waitFor();
}

/** Picks one option of a single select by typing part of it (`typed`) and pressing Enter on `value`. */
export async function typeOption(page: Page, testId: string, typed: string, value: string): Promise<void> {
  await page.locator(`[data-test=${testId}] .n-base-selection`).click();
  await page.keyboard.type(typed);
  await page.locator('.n-base-select-option--pending:visible', { hasText: value }).last().waitFor();
  await page.keyboard.press('Enter');
  await page.locator(`[data-test=${testId}]`, { hasText: value }).waitFor();
}

/** Opens a select and clicks the first visible option holding `text`; waits until no menu is open. */
export async function pickOption(page: Page, testId: string, text: string): Promise<void> {
  const menu = page.locator('.n-base-select-menu:visible').first();
  await menu.waitFor({ state: 'detached' });
  await page.locator(`[data-test=${testId}]`).click();
  await page.locator('.n-base-select-option:visible', { hasText: text }).first().click();
  await menu.waitFor({ state: 'detached' });
}

/** Opens a select and clicks the visible option holding `text` (for selects that close by themselves). */
export async function clickOption(page: Page, testId: string, text: string): Promise<void> {
  await page.locator(`[data-test=${testId}]`).click();
  await page.locator('.n-base-select-option:visible', { hasText: text }).click();
}

/** The options a select offers, as shown. */
export async function openOptions(page: Page, testId: string): Promise<string[]> {
  await page.locator(`[data-test=${testId}] .n-base-selection`).click();
  return page.locator('.n-base-select-option:visible').allInnerTexts();
}

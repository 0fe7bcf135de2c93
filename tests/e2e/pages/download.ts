import type { Download, Locator } from 'playwright-core';

/** Clicks a button that downloads a file and resolves with the download. */
export async function download(button: Locator): Promise<Download> {
  const [file] = await Promise.all([button.page().waitForEvent('download'), button.click()]);
  return file;
}

#!/usr/bin/env node
// Renders build/icon.svg to build/icon.png (1024×1024, transparent corners) with headless
// Chromium. electron-builder makes the .icns and .ico files from that PNG when it packages.
//
//   node scripts/render-icon.mjs            (Chromium at /usr/bin/chromium, or CHROMIUM_PATH)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const SIZE = 1024;
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const svgFile = path.join(root, 'build', 'icon.svg');
const pngFile = path.join(root, 'build', 'icon.png');

const svg = readFileSync(svgFile, 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  const html = `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`;
  await page.setContent(html);
  const png = await page.locator('svg').screenshot({ omitBackground: true });
  writeFileSync(pngFile, png);
  console.log(`wrote ${path.relative(root, pngFile)} (${SIZE}×${SIZE}, ${png.length} bytes)`);
} finally {
  await browser.close();
}

/// <reference lib="dom" />
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useWorkbench } from './fixture';

/**
 * Bad input that would change the answer without a word (issue 12), as the analyst sees it in the
 * run view: a table with a repeated header, NaN and infinite revenue cells and date cells that
 * are no date, analyzed with a period comparison.
 */
// Start in the light theme whatever the machine prefers. The file comes in through the file
// chooser (an upload); --allow-dir would be needed only for a file added by path.
const app = useWorkbench({ name: 'warn', theme: 'light', viewport: { width: 1360, height: 860 }, timeout: 10_000 });

/**
 * January and February 2026, dates written day first (14/01/2026 proves it). Two header cells
 * repeat (`region`, and `<i>note</i>`, which must show as text, not as markup); four revenue cells
 * are NaN or infinite; two date cells are no date.
 */
function warnedCsv(): string {
  const lines = ['order_date,region,region,<i>note</i>,<i>note</i>,revenue_usd'];
  const regions = ['US', 'EU', 'APAC'];
  const odd = new Map([
    [3, 'NaN'],
    [8, 'Infinity'],
    [13, '-Infinity'],
    [21, 'NaN'],
  ]);
  for (let i = 0; i < 36; i++) {
    const day = (i % 18) + 10;
    const month = i < 18 ? '01' : '02';
    lines.push(`${day}/${month}/2026,${regions[i % 3]},${regions[(i + 1) % 3]},a,b,${odd.get(i) ?? (100 + i * 7.5).toFixed(2)}`);
  }
  lines.push('next week,US,EU,a,b,50.00', '2026-02-30,EU,US,a,b,60.00');
  return `${lines.join('\n')}\n`;
}

describe('input warnings in the run view', () => {
  it('shows the repeated header, the NaN cells and the unreadable dates of an analyze run, with their counts', async () => {
    const { shell, analyze, run } = app;
    const file = path.join(app.dir, 'warned_sales.csv');
    writeFileSync(file, warnedCsv());
    await shell.openFile(file, 'warned_sales.csv');
    await analyze.open();
    await analyze.fill({ groupBy: ['region'], metrics: ['revenue_usd'], anchor: '2026-03-15' });
    await analyze.run();

    await expect(run.inputWarningsTitle.innerText()).resolves.toBe('Input warnings');
    await expect(run.inputWarningLines.allInnerTexts()).resolves.toEqual([
      "column 'region' appears twice in the header; the second is read as 'region_2'",
      "column '<i>note</i>' appears twice in the header; the second is read as '<i>note</i>_2'",
      'revenue_usd: 4 cells are NaN or infinite and were left out',
      "order_date: 2 cells could not be read as dates and are in neither period (e.g. 'next week', '2026-02-30')",
    ]);
    // A header cell that looks like markup is text: no <i> element was made of it.
    await expect(run.inputWarningLines.locator('i').count()).resolves.toBe(0);
    // The warning comes first, above the numbers it qualifies.
    const alertBox = await run.inputWarnings.boundingBox();
    const statsBox = await run.stats.boundingBox();
    expect(alertBox!.y + alertBox!.height).toBeLessThanOrEqual(statsBox!.y);

    // The period windows say how 01/07/2026 was read, right after the date column's line.
    await expect(run.periodWindows.allInnerTexts()).resolves.toEqual([
      'Date column: order_date; windows: last month (anchor 2026-03-15).',
      'Dates like 01/07/2026 read day first (1 July 2026).',
      'Current: 2026-02-01..2026-02-28 (18 records).',
      'Previous: 2026-01-01..2026-01-31 (18 records).',
    ]);
    await app.shot('40-input-warnings-light');
    await run.periodPanel.scrollIntoViewIfNeeded();
    await app.shot('41-input-warnings-period');
    await run.scrollToTop();
  });

  it('keeps the warnings readable in the dark theme', async () => {
    const { page, shell, run } = app;
    await shell.toggleTheme();
    await expect(shell.theme()).resolves.toBe('dark');
    await page.mouse.move(700, 600); // off the theme button, whose tooltip would cover the run's actions
    await shell.settleTheme();
    await expect(run.inputWarningLines.count()).resolves.toBe(4);
    // The lines are light on the dark page (naive-ui's dark alert), not the light theme's dark text.
    const colour = await run.inputWarningLines.first().evaluate((el) => getComputedStyle(el).color);
    const [r, g, b] = colour.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeGreaterThan(3 * 150);
    await app.shot('42-input-warnings-dark');
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The drivers story where an analyst meets it outside the workbench: the console, the Markdown and the HTML report. */
const root = path.resolve(__dirname, '..');
const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-cli-drv-story-'));
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'factorlens.js'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const demo = [
  '--input',
  path.join(root, 'data', 'demo_revenue_residual.csv'),
  '--metric',
  'revenue_usd',
  '--date-column',
  'date',
  '--anchor-date',
  '2026-04-15',
  '--by',
  'region',
];
const story = [
  'revenue_usd fell 16.4% (-880K) from February to March 2026.',
  'Fewer orders explain -852K; lower avg_price_usd -110K.',
  '+82.4K is not explained by the formula and sits in the 16 rows of campaign = spring_launch, channel = Marketplace, device_type = mobile, region = APAC.',
  'Split by region, the volume of orders accounts for -862K, the mix across region values -983 and the rate within each -99.8K.',
];

describe('the story of analyze-drivers', () => {
  it('comes first in the console, after the window, and opens the Markdown report', () => {
    const r = cli(['analyze-drivers', ...demo]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(
      r.stdout.startsWith(
        ['revenue_usd change: -16.4%', '', 'Window: 2026-03-01..2026-03-31 vs 2026-02-01..2026-02-28', '', ...story, ''].join('\n'),
      ),
    ).toBe(true);
    expect(r.stdout.indexOf(story[3]!)).toBeLessThan(r.stdout.indexOf('Inferred identity'));
    const md = readFileSync(path.join(cwd, 'artifacts', 'drivers_demo_revenue_residual.md'), 'utf8');
    // Before the identity and the contributions; a leading "+" is escaped so that it is not a list.
    expect(md).toContain(['## In short', '', ...story.map((s) => s.replace(/^\+/, '\\+'))].join('\n'));
    expect(md.indexOf('## In short')).toBeLessThan(md.indexOf('## Inferred identity'));
  });

  it("is the HTML report's first section after the change", () => {
    const r = cli(['analyze-drivers', ...demo, '--output-format', 'html', '--out', 'report.html']);
    expect(r.code).toBe(0);
    const html = readFileSync(path.join(cwd, 'report.html'), 'utf8');
    expect(html).toContain(`<h2>In short</h2>${story.map((s) => `<p>${s}</p>`).join('')}`);
    expect(html.indexOf('In short')).toBeLessThan(html.indexOf('Inferred identity'));
  });

  it('leaves --method seed printing as the original tool did (no story in its console)', () => {
    const r = cli(['analyze-drivers', ...demo, '--method', 'seed', '--output-format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('fell 16.4%');
    expect(r.stdout).toMatch(/^revenue_usd change: -16\.4%\n\nWindow: [^\n]+\n\nInferred identity\n/);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './browser';
import { useWorkbench } from './fixture';

/**
 * Segment analysis in depth, through the real UI: profile a table, save the suggestion as a
 * profile, analyze with period comparison, insights and alerts, edit profiles and move them to
 * the CLI as TOML, compare two runs, and manage the run history.
 */
const app = useWorkbench({ name: 'seg', demo: ['factorlens_demo_sales.csv', 'factorlens_demo_sales_150.csv'], timeout: 10_000 });

describe('segment analysis in the browser', () => {
  it('profiles a table and suggests the documented profile (SPEC 7)', async () => {
    const { shell, suggest } = app;
    await shell.openDataset('factorlens_demo_sales_150.csv');
    await suggest.run();
    await expect(suggest.groups.innerText()).resolves.toBe('region, product_line, channel');
    await expect(suggest.metrics.innerText()).resolves.toBe('revenue_usd, cost_usd, orders');
    await expect(suggest.column('plan_tier').innerText()).resolves.toMatch(
      /plan_tier\s+dimension\s+100\.0%\s+2\s+100%\s+1 \(88\), 0 \(62\)/,
    );
    await app.shot('10-suggest');
  });

  it('saves the suggestion as a profile and analyzes with it, a period comparison, insights and an alert', async () => {
    const { shell, suggest, analyze, run } = app;
    await suggest.saveAs('demo_exec');
    // "Save as profile and analyze" ran Analyze with the profile's grouping.
    await expect(run.title.innerText()).resolves.toMatch(/region, product_line, channel/);
    // Back in the dataset, the saved profile is one of the form's profiles and fills it.
    await shell.openDataset('factorlens_demo_sales_150.csv');
    await analyze.open();
    await analyze.fill({ profile: 'demo_exec' });
    await analyze.profile.filter({ hasText: 'demo_exec' }).waitFor();
    await analyze.groupBy.filter({ hasText: 'channel' }).waitFor();
    await expect(analyze.groupBy.innerText()).resolves.toMatch(/region[\s\S]*product_line[\s\S]*channel/);
    await analyze.fill({ anchor: '2026-03-15', topInsights: 3, alertTop5: 20 });
    await app.shot('11-analyze-options');
    await analyze.run();
    // The profile's min_records (10) and top (15) applied: 3 segments remain of 38.
    await run.alerts.filter({ hasText: 'Top-5 record share is' }).waitFor();
    await expect(run.periodPanel.innerText()).resolves.toContain('Current: 2026-02-01..2026-02-28');
    await expect(run.periodPanel.innerText()).resolves.toContain('Previous: 2026-01-01..2026-01-31');
    await expect(run.moverChart.count()).resolves.toBe(1);
    await expect(run.insights.innerText()).resolves.toContain('Risks');
    await run.periodPanel.scrollIntoViewIfNeeded();
    await app.shot('12-analyze-period-insights');
  });

  it('edits profiles, validates them against a dataset, and hands them to the CLI as TOML', async () => {
    const { profiles } = app;
    await profiles.open();
    await profiles.create({ name: 'regional', groupBy: 'region', metrics: 'revenue_usd', rankBy: 'revenue_usd', top: 3 });
    await profiles.validateAgainst('factorlens_demo_sales.csv');
    await profiles.validate();
    await profiles.validatedOk();
    await profiles.save('regional');
    await expect(profiles.saved.innerText()).resolves.toMatch(/demo_exec\s+regional/);

    // A broken profile is caught by Validate, with the reason.
    await profiles.setRankBy('profit');
    await profiles.validate();
    await expect(profiles.problems.innerText()).resolves.toContain("rank_by 'profit' is not one of the profile's metrics");
    await app.shot('13-profile-editor');
    await profiles.profile('regional').click();

    const download = await profiles.exportToml();
    const toml = path.join(app.dir, 'exported.toml');
    await download.saveAs(toml);
    const text = readFileSync(toml, 'utf8');
    expect(text).toContain('[profiles.regional]');
    expect(text).toContain('[profiles.demo_exec]');
    // The CLI reads the file the UI wrote.
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-e2e-cli-'));
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, 'bin/factorlens.js'),
        'analyze',
        '--input',
        path.join(root, 'data/factorlens_demo_sales.csv'),
        '--profile',
        'regional',
        '--profile-config',
        toml,
        '--output-format',
        'json',
        '--out',
        'r.json',
      ],
      { cwd, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const art = JSON.parse(readFileSync(path.join(cwd, 'r.json'), 'utf8'));
    expect(art).toMatchObject({ group_by: ['region'], rank_by: 'revenue_usd', top: 3, profile: 'regional' });
    expect(art.groups[0]).toMatchObject({ group: 'US', count: 29 });

    // Import: a TOML file with a new profile shows up in the list.
    const importFile = path.join(app.dir, 'more.toml');
    writeFileSync(importFile, '[profiles.by_channel]\ngroup_by = ["channel"]\nmin_records = 2\n');
    await profiles.importToml(importFile);
    await profiles.profile('by_channel').waitFor();
  });

  it('compares two runs: the US region mover of the seed (29 -> 71 records)', async () => {
    const { shell, analyze, compare } = app;
    for (const name of ['factorlens_demo_sales.csv', 'factorlens_demo_sales_150.csv']) {
      await shell.openDatasetNamed(name);
      await shell.openTab('Analyze');
      await analyze.fill({ profile: 'regional' });
      await analyze.run();
    }
    await compare.openFromRun();
    await compare.compare('factorlens_demo_sales.csv by region', 'factorlens_demo_sales_150.csv by region');
    const us = compare.moverRows.first();
    await expect(us.innerText()).resolves.toMatch(
      /^US\s+29\s+71\s+29\.00%\s+47\.33%\s+\+18\.33\s+4,020,509\.65\s+13,561,697\.76\s+\+9,541,188\.11/,
    );
    await expect(compare.ups.count()).resolves.toBeGreaterThan(0);
    await expect(compare.downs.count()).resolves.toBeGreaterThan(0);
    await app.shot('14-compare');
  });

  it('filters, renames and re-runs from the history', async () => {
    const { shell, run } = app;
    await shell.filterHistory('kind', 'Compare');
    await shell.historyShrinksTo(1);
    await expect(shell.historyItems.count()).resolves.toBe(1);
    await shell.clearKindFilter();
    // The run of "Save as profile and analyze", the period run, and the run by region.
    await shell.filterHistory('dataset', 'factorlens_demo_sales_150.csv');
    await shell.historyShrinksTo(3);
    await expect(shell.historyItems.count()).resolves.toBe(3);
    await shell.openRun(/by region$/);
    await run.rename('March snapshot by region');
    await shell.history.filter({ hasText: 'March snapshot by region' }).waitFor();
    const before = await shell.historyItems.count();
    await run.rerun('factorlens_demo_sales_150.csv by region');
    await expect(shell.historyItems.count()).resolves.toBe(before + 1);
    await app.shot('15-history');
  });
});

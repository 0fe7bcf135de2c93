import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyzeArtifact } from '../src-shared/artifacts/analyze';

/** What the CLI says about dates it cannot read and numbers that are not finite. */
const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');
const cli = (args: string[], cwd: string) => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('the CLI on dates and numbers it cannot use', () => {
  it('warns in its output and report, records it in the artifact, and analyze-validate refuses the dates', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-reading-cli-'));
    writeFileSync(
      path.join(cwd, 'sales.csv'),
      [
        'order_date,region,revenue',
        '2026-02-03,US,10',
        '02/04/2026,EU,20',
        '13.01.2026,US,NaN',
        'Jan 20 2026,EU,1e309',
        'next week,US,5',
        '2026-02-30,EU,7',
        '',
      ].join('\n'),
    );
    const period = ['--date-column', 'order_date', '--time-grain', 'month', '--period', 'last', '--anchor-date', '2026-03-15'];
    const r = cli(['analyze', '--input', 'sales.csv', '--group-by', 'region', '--metrics', 'revenue', ...period, '--out', 'out/a.md'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const warnings = [
      'revenue: 2 cells are NaN or infinite and were left out',
      "order_date: 2 cells could not be read as dates and are in neither period (e.g. 'next week', '2026-02-30')",
    ];
    expect(r.stdout).toContain(warnings.map((w) => `Warning: ${w}\n`).join(''));
    const a = JSON.parse(readFileSync(path.join(cwd, 'out/a.json'), 'utf8')) as AnalyzeArtifact;
    expect(a.warnings).toEqual(warnings);
    expect(a.non_finite_cells).toEqual({ revenue: 2 });
    // 13.01.2026 proves the column day first, so 02/04/2026 is 2 April (in neither window).
    // February: 2026-02-03 (10); January: 13.01.2026 and Jan 20 2026 (their revenue is no number).
    expect(a.period_compare).toMatchObject({
      current_records: 1,
      previous_records: 2,
      current_primary_metric_value: 10,
      previous_primary_metric_value: 0,
      day_month_order: 'day-first',
      unreadable_dates: { count: 2, examples: ['next week', '2026-02-30'] },
    });
    expect(readFileSync(path.join(cwd, 'out/a.md'), 'utf8')).toContain(
      '## Input Warnings\n\n- revenue: 2 cells are NaN or infinite and were left out\n',
    );

    const v = cli(['analyze-validate', '--input', 'sales.csv', '--group-by', 'region', '--metrics', 'revenue', ...period], cwd);
    expect(v.code).toBe(2);
    expect(v.stdout).toBe('');
    expect(v.stderr).toContain(
      "Error [BAD_ARGUMENT]: date column 'order_date' has 2 cells that cannot be read as dates (e.g. 'next week', '2026-02-30'); analyze would leave those rows out of both periods",
    );
    expect(v.stderr).toContain('Hint: Fix or blank those cells, or pick another date column.');
    // The CLI names the flags of the options the hint is about.
    expect(v.stderr).toMatch(/\(--date-column[^)]*\)\n/);
    // Without a period comparison the same file validates.
    expect(cli(['analyze-validate', '--input', 'sales.csv', '--group-by', 'region', '--metrics', 'revenue'], cwd).code).toBe(0);
  });
});

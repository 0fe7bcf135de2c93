/**
 * Input that is accepted but changed on the way in is said out loud: a repeated or blank header
 * name (renamed so that every column is addressable) and a factor count above the tickers (capped).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyzeArtifact } from '../src-shared/artifacts/analyze';
import type { FactorsArtifact } from '../src-shared/artifacts/factors';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('accepted input that was changed is reported', () => {
  it('a repeated and a blank header name: CLI warnings, the artifact and the brief say how they are read', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-warn-'));
    writeFileSync(path.join(cwd, 'sales.csv'), 'region,revenue,region,\nEU,10,North,a\nEU,5,South,b\nUS,7,North,c\n');
    const r = cli(['analyze', '--input', 'sales.csv', '--group-by', 'region_2', '--metrics', 'revenue', '--out', 'out/a.md'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = [
      "header cell 4 is blank; that column is read as 'column_4'",
      "column 'region' appears twice in the header; the second is read as 'region_2'",
    ];
    expect(r.stdout).toContain(expected.map((w) => `Warning: ${w}\n`).join(''));
    const a = JSON.parse(readFileSync(path.join(cwd, 'out/a.json'), 'utf8')) as AnalyzeArtifact;
    expect(a.warnings).toEqual(expected);
    // The second region column is the one grouped: North 10 + 7, South 5.
    expect(a.groups.map((g) => [g.group, g.revenue])).toEqual([
      ['North', 17],
      ['South', 5],
    ]);
    expect(readFileSync(path.join(cwd, 'out/a.md'), 'utf8')).toContain(
      "## Input Warnings\n\n- header cell 4 is blank; that column is read as 'column_4'",
    );
    const v = cli(['analyze-validate', '--input', 'sales.csv', '--group-by', 'region'], cwd);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain(
      "Headers detected: region, revenue, region_2, column_4\nWarning: header cell 4 is blank; that column is read as 'column_4'\nWarning: column 'region'",
    );
    const clean = cli(
      [
        'analyze',
        '--input',
        path.join(root, 'data', 'factorlens_demo_sales.csv'),
        '--group-by',
        'region',
        '--output-format',
        'json',
        '--out',
        'clean.json',
      ],
      cwd,
    );
    expect(clean.stdout).not.toContain('Warning');
    expect((JSON.parse(readFileSync(path.join(cwd, 'clean.json'), 'utf8')) as AnalyzeArtifact).warnings).toEqual([]);
  });

  it('factors fit --k 99 on 3 tickers says k was capped', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-warn-'));
    const r = cli(['factors', 'fit', '--prices', path.join(root, 'data', 'prices.csv'), '--k', '99', '--out', 'fit'], cwd);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('\nk = 3 (99 asked, capped at the 3 tickers)\n');
    const a = JSON.parse(readFileSync(path.join(cwd, 'fit', 'factors.json'), 'utf8')) as FactorsArtifact;
    expect(a.model.k).toBe(3);
    expect(a.model.k_rule).toBe('k = 3 (99 asked, capped at the 3 tickers)');
  });
});

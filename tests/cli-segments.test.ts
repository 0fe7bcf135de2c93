import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-cli-seg-'));
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'factorlens.js'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const demo = path.join(root, 'data', 'demo_revenue_residual.csv');

describe('factorlens analyze-segments', () => {
  it('prints the bridge of revenue by region (February to March) and writes its artifacts', () => {
    const r = cli([
      'analyze-segments',
      '--input',
      demo,
      '--metric',
      'revenue_usd',
      '--dimensions',
      'region',
      '--max-depth',
      '1',
      '--date-column',
      'date',
      '--anchor-date',
      '2026-04-15',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('revenue_usd: 5,370,391.80 → 4,490,219.36 (-880,172.44, -16.4%)');
    // 550,216.40 of 880,172.44 is 62.5% of the change.
    expect(r.stdout).toContain('- region = US: -550,216.40 (62.5%)');
    expect(r.stdout).toContain('- everything else: +0.00 (0.0%)');
    // The story, in plain words, before the numbers.
    expect(r.stdout).toContain('revenue_usd fell 16% (-880.17K) from 2026-02-01..2026-02-28 to 2026-03-01..2026-03-31.');
    expect(r.stdout).toContain(
      'The largest parts: region US -550.22K (63% of it); region EU -238.85K (27% of it); region APAC -91.1K (10% of it).',
    );
    const json = JSON.parse(readFileSync(path.join(cwd, 'artifacts', 'segments_demo_revenue_residual.json'), 'utf8'));
    expect(json).toMatchObject({
      schema: 'factorlens.segments/1',
      kind: 'segments',
      dimensions: ['region'],
      comparison: { mode: 'period', date_column: 'date' },
    });
    expect(readFileSync(path.join(cwd, 'artifacts', 'segments_demo_revenue_residual.md'), 'utf8')).toContain(
      '| region = US | 2,875,929.20 | 2,325,712.80 | -550,216.40 | 62.5% | 12 → 12 |',
    );
  });

  it('says which options give the two sides when none is given', () => {
    const r = cli(['analyze-segments', '--input', demo, '--metric', 'revenue_usd']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Error [BAD_ARGUMENT]: a change needs two sides');
    expect(r.stderr).toContain('(--date-column, --input-new, --expected)');
  });
});

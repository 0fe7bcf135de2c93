import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    expect(r.stdout).toContain('revenue_usd fell 16.4% (-880K) from February to March 2026.');
    expect(r.stdout).toContain(
      'The largest parts: region US -550K (63% of it); region EU -239K (27% of it); region APAC -91.1K (10% of it).',
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

  it('a metric that is 0 in the base: the story reads without a percentage, the JSON has no NaN or Infinity', () => {
    const input = path.join(cwd, 'zero_base.csv');
    writeFileSync(input, 'day,region,amount\n2026-01-05,US,0\n2026-01-06,EU,0\n2026-02-05,US,10\n2026-02-06,EU,5\n');
    const r = cli([
      'analyze-segments',
      '--input',
      input,
      '--metric',
      'amount',
      '--dimensions',
      'region',
      '--date-column',
      'day',
      '--anchor-date',
      '2026-03-01',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('amount: 0.00 → 15.00 (+15.00)\n');
    // The story's first sentence: the absolute change, no percentage of a zero base.
    expect(r.stdout).toMatch(/\namount rose \(\+15\) from [^%\n]+\.\n/);
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
    const text = readFileSync(path.join(cwd, 'artifacts', 'segments_zero_base.json'), 'utf8');
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toMatchObject({ base_value: 0, current_value: 15, change: 15, change_pct: null, closure_error: 0 });
  });

  it('a ratio whose denominator is 0 in the whole base period: a typed error with its hint, exit 2, no artifact', () => {
    const input = path.join(cwd, 'no_sessions.csv');
    writeFileSync(input, 'day,region,orders,sessions\n2026-01-05,US,3,0\n2026-02-05,US,4,10\n');
    const r = cli([
      'analyze-segments',
      '--input',
      input,
      '--metric',
      'conv',
      '--numerator',
      'orders',
      '--denominator',
      'sessions',
      '--dimensions',
      'region',
      '--date-column',
      'day',
      '--anchor-date',
      '2026-03-01',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "Error [BAD_ARGUMENT]: conv has no value in the base period (2026-01-01..2026-01-31): its denominator 'sessions' sums to 0 there",
    );
    expect(r.stderr).toContain('Hint: A ratio needs its denominator above 0 on both sides');
    expect(r.stderr).toContain('(--denominator)');
  });
});

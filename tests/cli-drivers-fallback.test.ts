import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-cli-why-'));
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'factorlens.js'), ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
// A slice of the FAA's birdstrikes table (vega-datasets; see tests/fixtures/README.md), 1999 against 2000.
const birdstrikes = path.join(root, 'tests', 'fixtures', 'birdstrikes_1999_2000.csv');
const years = ['--date-column', 'Flight Date', '--previous-start', '1999-01-01', '--previous-end', '1999-12-31'];
const yearsNew = ['--current-start', '2000-01-01', '--current-end', '2000-12-31'];

describe('factorlens analyze-drivers: why it changed never ends at an error', () => {
  it('infers the sum Cost Total $ = Cost Other + Cost Repair and says its split is exact', () => {
    const r = cli(['analyze-drivers', '--input', birdstrikes, '--metric', 'Cost Total $', ...years, ...yearsNew]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('- Cost Total $ ≈ Cost Other + Cost Repair');
    expect(r.stdout).toContain('- Cost Other: +11.3% (+390,100.00)');
    expect(r.stdout).toContain('- Cost Repair: +98.4% (+3,407,851.00)');
    expect(r.stdout).toContain(
      "This split is exact: Cost Total $ = Cost Other + Cost Repair is an identity of the columns (it holds on each of the 68 rows it prices), so the drivers' contributions add up to its change and the residual (+0.00) is what it leaves out; a regression (Investigate) estimates effects instead, so its numbers can differ.",
    );
    const json = JSON.parse(readFileSync(path.join(cwd, 'artifacts', 'drivers_birdstrikes_1999_2000.json'), 'utf8'));
    expect(json).toMatchObject({ kind: 'drivers', metric_change: 3_797_951, identity: { op: 'sum', fit_mape: 0 } });
  });

  it('no formula fits Speed IAS in knots: exit 0, the sentence why, and the segments artifact', () => {
    const r = cli(['analyze-drivers', '--input', birdstrikes, '--metric', 'Speed IAS in knots', ...years, ...yearsNew]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const reason =
      'No formula of Speed IAS in knots fits its columns (the best, Speed IAS in knots = Cost Total $ / Cost Other, misses by 92%), so this shows where it changed instead.';
    expect(r.stdout.split('\n')[0]).toBe(reason);
    expect(r.stdout).toContain('Speed IAS in knots: 13,625.00 → 18,274.00 (+4,649.00, +34.1%)');
    expect(r.stdout).toContain('- Time of day = Night: +3,916.00 (84.2%)');
    expect(r.stdout).toContain(`- ${path.join('artifacts', 'segments_birdstrikes_1999_2000.json')}`);
    const json = JSON.parse(readFileSync(path.join(cwd, 'artifacts', 'segments_birdstrikes_1999_2000.json'), 'utf8'));
    expect(json).toMatchObject({ schema: 'factorlens.segments/1', kind: 'segments', change: 4649, fallback_reason: reason });
    expect(json.cube).toBeUndefined();
    expect(readFileSync(path.join(cwd, 'artifacts', 'segments_birdstrikes_1999_2000.md'), 'utf8')).toContain(
      `# Where It Changed\n\n${reason}`,
    );
  });

  it('--identity none asks for where it changed', () => {
    const r = cli([
      'analyze-drivers',
      '--input',
      birdstrikes,
      '--metric',
      'Cost Total $',
      '--identity',
      'none',
      ...years,
      ...yearsNew,
      '--output-format',
      'json',
      '--out',
      'where.json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'The identity was set to none, so this shows where Cost Total $ changed instead of splitting it by a formula.',
    );
    expect(JSON.parse(readFileSync(path.join(cwd, 'where.json'), 'utf8'))).toMatchObject({ kind: 'segments', change: 3_797_951 });
  });
});

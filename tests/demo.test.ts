import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTinyLlama } from './llm/gguf';

/** `npm run demo` (scripts/demo.mjs): the original's demo end to end, with the seed's documented numbers. */
const root = path.resolve(__dirname, '..');
const demo = (out: string, env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [path.join(root, 'scripts', 'demo.mjs'), '--out', out], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, FACTORLENS_LOCAL_MODEL: '', RUN_BEDROCK: '', ...env },
  });
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

describe('npm run demo', () => {
  it('runs every step on the demo data, writes the artifacts with the documented numbers and lists them', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'fl-demo-'));
    const r = demo(out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // Twelve steps, each announced with its command line.
    expect(r.stdout.match(/^== \d+\/12 /gm)).toHaveLength(12);
    expect(r.stdout).toContain('$ factorlens analyze-compare --base ');
    const all = readdirSync(out, { recursive: true }).map(String).sort();
    expect(all).toEqual(
      expect.arrayContaining([
        'analysis_compare.json',
        'analysis_compare.md',
        'demo_sales_100.json',
        'demo_sales_150.json',
        'drivers_demo_revenue.json',
        'drivers_demo_revenue_residual.json',
        'investigate_demo_revenue_residual.json',
        'segments_demo_revenue_residual.json',
        'investigate_workflow.json',
        path.join('factors', 'factors.json'),
        'factors_report.html',
        path.join('regress', 'regression.json'),
        'regress_report.html',
      ]),
    );
    expect(r.stdout).toContain(`== Done in `);
    expect(r.stdout).toContain(`25 artifacts in ${out}:`);
    expect(r.stdout).toContain('Explanation skipped: no model is configured.');

    // SPEC 14.1: the snapshots (62 → 60 segments, top-5 concentration 12.0% → 21.3%) and the biggest mover.
    const compare = json(path.join(out, 'analysis_compare.json'));
    expect([compare.base_segments, compare.new_segments]).toEqual([62, 60]);
    expect(compare.top5_concentration.base_pct).toBeCloseTo(12, 6);
    expect(compare.top5_concentration.new_pct).toBeCloseTo(21.333, 3);
    expect(compare.movers[0]).toMatchObject({ segment: 'US | Direct | Premium | 0', base_records: 1, new_records: 9 });
    // (A) drivers on the residual file: -16.4%, orders -15.9%, the residual's 16 rows.
    expect(r.stdout).toContain('revenue_usd change: -16.4%');
    expect(r.stdout).toContain('- orders: -15.9% (-852,447.64)');
    // (C) regression on drivers: sum(orders) -13.0% / -696,191.18, residual -6,146.70.
    expect(readFileSync(path.join(out, 'investigate_demo_revenue_residual.md'), 'utf8')).toContain(
      '| sum(orders) | -12.96% | -696,191.1812 |',
    );
    // Where it changed: the US part of the bridge.
    expect(readFileSync(path.join(out, 'segments_demo_revenue_residual.md'), 'utf8')).toContain(
      '| US | 2,875,929.20 | 2,325,712.80 | -550,216.40 | 62.5% | 12 → 12 |',
    );
    // SPEC 14.1 derived: the regression of the 0.4/0.3/0.3 portfolio, 63 observations, alpha 0.0017416, R² 0.4397.
    const regression = json(path.join(out, 'regress', 'regression.json'));
    expect(regression.observations).toBe(63);
    expect(regression.alpha).toBeCloseTo(0.0017416, 7);
    expect(regression.r2).toBeCloseTo(0.4397, 4);
    expect(readFileSync(path.join(out, 'regress_report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  }, 240_000);

  it('adds the explanation step when FACTORLENS_LOCAL_MODEL names a model file, answered by it', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'fl-demo-model-'));
    const model = path.join(out, '..', `${path.basename(out)}-tiny.gguf`);
    writeTinyLlama(model);
    const r = demo(out, { FACTORLENS_LOCAL_MODEL: model });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('== 13/13 An explanation of the comparison by the local model (offline)');
    expect(r.stdout).toContain(
      `$ factorlens explain-analyze --backend local --model ${model} --analysis-json ${path.join(out, 'analysis_compare.json')}`,
    );
    // The evidence the model was given is printed after its answer: the comparison's numbers.
    expect(r.stdout).toMatch(/Evidence:\n\[E1\]/);
    expect(r.stdout).not.toContain('Explanation skipped');
  }, 240_000);

  it('stops at the step that fails, says which, and exits non-zero', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'demo.mjs'), '--out'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('Error: --out needs a folder.\n');
    const blocked = mkdtempSync(path.join(os.tmpdir(), 'fl-demo-blocked-'));
    // A file where the demo's folder should be: the first step cannot write and the demo stops there.
    const file = path.join(blocked, 'not-a-folder');
    writeFileSync(file, 'x');
    const stopped = demo(file);
    expect(stopped.status).not.toBe(0);
    expect(stopped.stderr).toContain('Error [WRITE_FAILED]');
    expect(stopped.stderr).toContain(
      'The demo stopped at step 1 (Baseline snapshot: the 100-row sales table); the message above says why.',
    );
  }, 60_000);
});

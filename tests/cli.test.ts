import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalyzeArtifact } from '../src-shared/artifacts/analyze';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');
const demo = path.join(root, 'data', 'factorlens_demo_sales.csv');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'fl-cli-'));
}

describe('factorlens CLI (spawned as a process)', () => {
  it('lists its commands and explains each one', () => {
    const help = cli(['--help'], root);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('analyze');
    expect(help.stdout).toContain('serve');
    const analyzeHelp = cli(['analyze', '--help'], root);
    expect(analyzeHelp.code).toBe(0);
    for (const flag of ['--input', '--group-by', '--metrics', '--rank-by', '--agg', '--where', '--top', '--min-records', '--output-format', '--out']) {
      expect(analyzeHelp.stdout).toContain(flag);
    }
  });

  it('writes the seed default artifacts and says where', () => {
    const cwd = tmp();
    const r = cli(['analyze', '--input', demo, '--group-by', 'region,channel', '--metrics', 'revenue_usd,cost_usd,orders', '--rank-by', 'revenue_usd'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const md = path.join('artifacts', 'analyze_factorlens_demo_sales.md');
    const json = path.join('artifacts', 'analyze_factorlens_demo_sales.json');
    expect(r.stdout).toContain(md);
    expect(r.stdout).toContain(json);
    const artifact = JSON.parse(readFileSync(path.join(cwd, json), 'utf8')) as AnalyzeArtifact;
    expect(artifact.schema).toBe('factorlens.analyze/1');
    expect(artifact.records).toBe(100);
    expect(artifact.segments).toBe(12);
    expect(artifact.group_by).toEqual(['region', 'channel']);
    // Region x channel, hand-checked: LATAM | Partner leads revenue with 11 records.
    expect(artifact.groups[0]).toMatchObject({ group: 'LATAM | Partner', count: 11 });
    expect(artifact.groups[0]!.revenue_usd as number).toBeCloseTo(1_750_703.76, 6);
    const brief = readFileSync(path.join(cwd, md), 'utf8');
    expect(brief).toContain('| LATAM | Partner | 11 | 11.00% | 1,750,703.76 |');
  });

  it('by region, US has 29 records and revenue 4,020,509.65', () => {
    const cwd = tmp();
    const r = cli(['analyze', '--input', demo, '--group-by', 'region', '--metrics', 'revenue_usd', '--output-format', 'json', '--out', 'out/region.json'], cwd);
    expect(r.code).toBe(0);
    const a = JSON.parse(readFileSync(path.join(cwd, 'out/region.json'), 'utf8')) as AnalyzeArtifact;
    const us = a.groups.find((g) => g.group === 'US')!;
    expect(us.count).toBe(29);
    expect(us.revenue_usd as number).toBeCloseTo(4_020_509.65, 6);
    expect(readdirSync(path.join(cwd, 'out'))).toEqual(['region.json']);
  });

  it('--output-format both with --out x.json writes x.md and x.json', () => {
    const cwd = tmp();
    const r = cli(['analyze', '--input', demo, '--group-by', 'region', '--metrics', 'revenue_usd', '--out', 'r/x.json'], cwd);
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(cwd, 'r')).sort()).toEqual(['x.json', 'x.md']);
    expect(readFileSync(path.join(cwd, 'r/x.md'), 'utf8')).toContain('# Analysis Brief');
    expect(JSON.parse(readFileSync(path.join(cwd, 'r/x.json'), 'utf8')).kind).toBe('analyze');
  });

  it('html, mean aggregation and a filter', () => {
    const cwd = tmp();
    const r = cli(['analyze', '--input', demo, '--group-by', 'channel', '--metrics', 'orders', '--agg', 'mean', '--where', 'region=US', '--output-format', 'html'], cwd);
    expect(r.code).toBe(0);
    const html = readFileSync(path.join(cwd, 'artifacts', 'analyze_factorlens_demo_sales.html'), 'utf8');
    expect(html).toContain('<h1>Analysis Brief</h1>');
    expect(html).toContain('region=US');
  });

  it('bad input: message on stderr, non-zero exit, nothing written', () => {
    const cwd = tmp();
    const cases: [string[], RegExp][] = [
      [['analyze', '--input', 'missing.csv'], /file not found: missing\.csv/],
      [['analyze', '--input', demo, '--group-by', 'regio'], /group column 'regio' not found\. Available columns: order_date, region, channel/],
      [['analyze', '--input', demo, '--group-by', 'region', '--metrics', 'channel'], /metric column 'channel' is not numeric/],
      [['analyze', '--input', demo, '--group-by', 'region', '--rank-by', 'profit'], /rank-by 'profit' is not one of the metrics/],
      [['analyze', '--input', demo, '--where', 'region'], /invalid --where clause 'region'/],
      [['analyze', '--input', demo, '--top', 'zero'], /--top must be a whole number/],
      [['analyze', '--input', demo, '--agg', 'max'], /Allowed choices are sum, mean, median/],
    ];
    for (const [args, pattern] of cases) {
      const r = cli(args, cwd);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(existsSync(path.join(cwd, 'artifacts'))).toBe(false);
  });

  it('prints its version', () => {
    const r = cli(['--version'], root);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });
});

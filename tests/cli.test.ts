import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    for (const flag of [
      '--input',
      '--group-by',
      '--metrics',
      '--rank-by',
      '--agg',
      '--where',
      '--top',
      '--min-records',
      '--output-format',
      '--out',
    ]) {
      expect(analyzeHelp.stdout).toContain(flag);
    }
  });

  it('writes the seed default artifacts and says where', () => {
    const cwd = tmp();
    const r = cli(
      ['analyze', '--input', demo, '--group-by', 'region,channel', '--metrics', 'revenue_usd,cost_usd,orders', '--rank-by', 'revenue_usd'],
      cwd,
    );
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
    const r = cli(
      [
        'analyze',
        '--input',
        demo,
        '--group-by',
        'region',
        '--metrics',
        'revenue_usd',
        '--output-format',
        'json',
        '--out',
        'out/region.json',
      ],
      cwd,
    );
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
    const r = cli(
      [
        'analyze',
        '--input',
        demo,
        '--group-by',
        'channel',
        '--metrics',
        'orders',
        '--agg',
        'mean',
        '--where',
        'region=US',
        '--output-format',
        'html',
      ],
      cwd,
    );
    expect(r.code).toBe(0);
    const html = readFileSync(path.join(cwd, 'artifacts', 'analyze_factorlens_demo_sales.html'), 'utf8');
    expect(html).toContain('<h1>Analysis Brief</h1>');
    expect(html).toContain('region=US');
  });

  it('bad input: message on stderr, non-zero exit, nothing written', () => {
    const cwd = tmp();
    const cases: [string[], RegExp][] = [
      [['analyze', '--input', 'missing.csv'], /file not found: missing\.csv/],
      [
        ['analyze', '--input', demo, '--group-by', 'regio'],
        /group column 'regio' not found\. Available columns: order_date, region, channel/,
      ],
      [['analyze', '--input', demo, '--group-by', 'region', '--metrics', 'channel'], /metric column 'channel' is not numeric/],
      [['analyze', '--input', demo, '--group-by', 'region', '--rank-by', 'profit'], /rank-by 'profit' is not one of the metrics/],
      [['analyze', '--input', demo, '--where', 'region'], /invalid filter 'region': expected col=value[^]*\(--where\)/],
      [['analyze', '--input', demo, '--top', 'zero'], /--top must be a whole number/],
      [['analyze', '--input', demo, '--agg', 'max'], /--agg must be one of sum, mean, median \(got 'max'\)/],
    ];
    for (const [args, pattern] of cases) {
      const r = cli(args, cwd);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(existsSync(path.join(cwd, 'artifacts'))).toBe(false);
  });

  it('profiles fill unset options; an explicit flag wins even when it equals the default', () => {
    const cwd = tmp();
    writeFileSync(
      path.join(cwd, 'profiles.toml'),
      '[profiles.regional]\ngroup_by = ["region"]\nmetrics = ["revenue_usd"]\nrank_by = "revenue_usd"\ntop = 3\nmin_records = 25\nwhere_clauses = ["channel=Direct"]\n',
    );
    const read = (f: string) => JSON.parse(readFileSync(path.join(cwd, f), 'utf8')) as AnalyzeArtifact;
    expect(
      cli(
        [
          'analyze',
          '--input',
          demo,
          '--profile',
          'Regional',
          '--profile-config',
          'profiles.toml',
          '--output-format',
          'json',
          '--out',
          'p1.json',
        ],
        cwd,
      ).code,
    ).toBe(0);
    const p1 = read('p1.json');
    expect(p1).toMatchObject({
      profile: 'Regional',
      group_by: ['region'],
      metrics: ['revenue_usd'],
      rank_by: 'revenue_usd',
      top: 3,
      min_records: 25,
      filters: ['channel=Direct'],
    });
    // 35 Direct rows, and no region has 25 of them: every segment falls under min_records.
    expect(p1.records).toBe(35);
    expect(p1.segments).toBe(0);
    const r2 = cli(
      [
        'analyze',
        '--input',
        demo,
        '--profile',
        'regional',
        '--profile-config',
        'profiles.toml',
        '--top',
        '20',
        '--min-records',
        '1',
        '--where',
        'channel=Partner',
        '--output-format',
        'json',
        '--out',
        'p2.json',
      ],
      cwd,
    );
    expect(r2.code).toBe(0);
    const p2 = read('p2.json');
    expect(p2).toMatchObject({ top: 20, min_records: 1, filters: ['channel=Partner'], group_by: ['region'] });
    expect(p2.groups.map((g) => [g.group, g.count])).toEqual([
      ['LATAM', 11],
      ['US', 7],
      ['EU', 8],
      ['APAC', 8],
    ]);
    // Built-in exec: auto_group_k 3, top 12, min_records 20.
    expect(
      cli(['analyze', '--input', demo, '--profile', 'exec', '--metrics', 'revenue_usd', '--output-format', 'json', '--out', 'p3.json'], cwd)
        .code,
    ).toBe(0);
    expect(read('p3.json')).toMatchObject({ top: 12, min_records: 20, group_by: ['channel', 'region', 'product_line'] });
    const unknown = cli(['analyze', '--input', demo, '--profile', 'nope'], cwd);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("unknown profile 'nope'. Available: exec, segment, supplier");
    writeFileSync(path.join(cwd, 'bad.toml'), '[profiles.x]\ntop = "ten"\n');
    expect(cli(['analyze', '--input', demo, '--profile', 'x', '--profile-config', 'bad.toml'], cwd).stderr).toMatch(/profile 'x': top: /);
  });

  it('analyze-period is analyze; period flags add the comparison', () => {
    const cwd = tmp();
    const r = cli(
      [
        'analyze-period',
        '--input',
        demo,
        '--group-by',
        'region',
        '--metrics',
        'revenue_usd',
        '--date-column',
        'order_date',
        '--time-grain',
        'month',
        '--period',
        'current',
        '--anchor-date',
        '2026-02-10',
        '--out',
        'p.md',
      ],
      cwd,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = JSON.parse(readFileSync(path.join(cwd, 'p.json'), 'utf8')) as AnalyzeArtifact;
    expect(a.period_compare).toMatchObject({
      current_start: '2026-02-01',
      current_end: '2026-02-28',
      previous_start: '2026-01-01',
      previous_end: '2026-01-31',
      time_grain: 'month',
      period: 'current',
    });
    expect(readFileSync(path.join(cwd, 'p.md'), 'utf8')).toContain('## Period Comparison');
    const bad: [string[], RegExp][] = [
      [['--time-grain', 'month'], /period comparison needs --date-column/],
      [
        ['--date-column', 'order_date', '--time-grain', 'month', '--current-start', '2026-01-01'],
        /either explicit windows .* or derived windows/,
      ],
      [['--date-column', 'order_date', '--current-start', '2026-01-01'], /need all four/],
      [['--date-column', 'order_date', '--anchor-date', '15/04/2026'], /invalid date '15\/04\/2026'; expected YYYY-MM-DD/],
      [
        ['--date-column', 'order_date', '--time-grain', 'fortnight'],
        /--time-grain must be one of day, week, month, quarter, year \(got 'fortnight'\)/,
      ],
    ];
    for (const [args, pattern] of bad) {
      const e = cli(['analyze', '--input', demo, '--group-by', 'region', ...args], cwd);
      expect(e.code, args.join(' ')).not.toBe(0);
      expect(e.stderr).toMatch(pattern);
    }
  });

  it('analyze-validate checks everything and writes nothing', () => {
    const cwd = tmp();
    const ok = cli(
      [
        'analyze-validate',
        '--input',
        demo,
        '--metrics',
        'revenue_usd',
        '--percentiles',
        'p50,p90',
        '--alert-rule',
        'top5_share>=50',
        '--date-column',
        'order_date',
        '--anchor-date',
        '2026-04-15',
      ],
      cwd,
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Analyze validation: OK');
    expect(ok.stdout).toContain('Input: ' + demo + ' (100 rows)');
    expect(ok.stdout).toContain('Groups: channel, region, product_line (auto-detected)');
    expect(ok.stdout).toContain('Percentiles: p50, p90');
    expect(ok.stdout).toContain('Alert rules: 1');
    expect(ok.stdout).toContain('Period compare: enabled on order_date: current 2026-03-01..2026-03-31, previous 2026-02-01..2026-02-28');
    expect(ok.stdout).toContain('Headers detected: order_date, region, channel, product_line, plan_tier, revenue_usd, cost_usd, orders');
    const bad = cli(['analyze-validate', '--input', demo, '--metrics', 'profit'], cwd);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("metric column 'profit' not found");
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('analyze-compare: the US region mover of the seed tests, and the four-column snapshot delta', () => {
    const cwd = tmp();
    const demo150 = path.join(root, 'data', 'factorlens_demo_sales_150.csv');
    for (const [file, out, groups] of [
      [demo, 'r100.json', 'region'],
      [demo150, 'r150.json', 'region'],
      [demo, 's100.json', 'region,channel,product_line,plan_tier'],
      [demo150, 's150.json', 'region,channel,product_line,plan_tier'],
    ] as const) {
      expect(
        cli(
          [
            'analyze',
            '--input',
            file,
            '--group-by',
            groups,
            '--metrics',
            'revenue_usd,cost_usd,orders',
            '--rank-by',
            'revenue_usd',
            '--output-format',
            'json',
            '--out',
            out,
          ],
          cwd,
        ).code,
      ).toBe(0);
    }
    const r = cli(['analyze-compare', '--base', 'r100.json', '--new', 'r150.json'], cwd);
    expect(r.code).toBe(0);
    const c = JSON.parse(readFileSync(path.join(cwd, 'artifacts', 'analysis_compare.json'), 'utf8'));
    expect(c.movers[0]).toMatchObject({ segment: 'US', base_records: 29, new_records: 71, base_share_pct: 29, direction: 'up' });
    expect(c.movers[0].new_share_pct).toBeCloseTo(47.33, 2);
    expect(c.movers[0].base_primary_metric_value).toBeCloseTo(4_020_509.65, 6);
    expect(c.movers[0].new_primary_metric_value).toBeCloseTo(13_561_697.76, 6);
    expect(c.movers[0].delta_primary_metric_value).toBeCloseTo(9_541_188.11, 6);
    expect(readFileSync(path.join(cwd, 'artifacts', 'analysis_compare.md'), 'utf8')).toContain(
      '| US | 29 | 71 | 29.00% | 47.33% | +18.33 | 4,020,509.65 | 13,561,697.76 | +9,541,188.11 |',
    );

    const r4 = cli(['analyze-compare', '--base', 's100.json', '--new', 's150.json', '--output-format', 'html', '--out', 'cmp.html'], cwd);
    expect(r4.code).toBe(0);
    const html = readFileSync(path.join(cwd, 'cmp.html'), 'utf8');
    expect(html).toContain('Top-5 concentration moved from 12.0% to 21.3% (+9.3 pp).');
    expect(html).toContain('Segments went from 62 to 60 (-2).');
    expect(html).toContain('Biggest mover: <code>US | Direct | Premium | 0</code>, 1 → 9 records (+5.0 pp of records).');

    const bad = cli(['analyze-compare', '--base', 'r100.json', '--new', path.join(cwd, 'artifacts', 'analysis_compare.md')], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not valid JSON/);
    writeFileSync(path.join(cwd, 'other.json'), '{"hello": 1}');
    expect(cli(['analyze-compare', '--base', 'r100.json', '--new', 'other.json'], cwd).stderr).toMatch(
      /other\.json is not an analyze artifact: groups/,
    );
  });

  it('analyze-suggest on the 150-row demo file gives the documented suggestion; analyze reads its profile back', () => {
    const cwd = tmp();
    const demo150 = path.join(root, 'data', 'factorlens_demo_sales_150.csv');
    const r = cli(
      ['analyze-suggest', '--input', demo150, '--out', 'deep/dir/demo_suggest.md', '--profile-name', 'demo_exec', '--auto-group-k', '4'],
      cwd,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readdirSync(path.join(cwd, 'deep/dir')).sort()).toEqual(['demo_suggest.json', 'demo_suggest.md', 'demo_suggest.toml']);
    const report = JSON.parse(readFileSync(path.join(cwd, 'deep/dir/demo_suggest.json'), 'utf8'));
    expect(report).toMatchObject({
      sampled_rows: 150,
      sample_mode: 'head',
      suggested_group_by: ['region', 'product_line', 'channel', 'plan_tier'],
      suggested_metrics: ['revenue_usd', 'cost_usd', 'orders'],
      suggested_rank_by: 'revenue_usd',
      suggested_date_column: 'order_date',
      warnings: [],
    });
    const roles = Object.fromEntries(report.columns.map((c: { name: string; inferred_role: string }) => [c.name, c.inferred_role]));
    expect(roles).toEqual({
      order_date: 'date',
      region: 'dimension',
      channel: 'dimension',
      product_line: 'dimension',
      plan_tier: 'dimension',
      revenue_usd: 'metric',
      cost_usd: 'metric',
      orders: 'metric',
    });
    expect(report.columns[1].top_values[0]).toEqual(['US', 71]);

    // The profile the suggestion wrote is one the CLI reads.
    const a = cli(
      [
        'analyze',
        '--input',
        demo150,
        '--profile',
        'demo_exec',
        '--profile-config',
        'deep/dir/demo_suggest.toml',
        '--output-format',
        'json',
        '--out',
        'p.json',
      ],
      cwd,
    );
    expect(a.code).toBe(0);
    const art = JSON.parse(readFileSync(path.join(cwd, 'p.json'), 'utf8')) as AnalyzeArtifact;
    expect(art).toMatchObject({
      group_by: ['region', 'product_line', 'channel', 'plan_tier'],
      rank_by: 'revenue_usd',
      top: 15,
      min_records: 10,
      profile: 'demo_exec',
    });

    // JSON profile next to a JSON report: never the same file.
    const j = cli(['analyze-suggest', '--input', demo150, '--out', 'j/s.json', '--profile-format', 'json', '--output-format', 'json'], cwd);
    expect(j.code).toBe(0);
    expect(readdirSync(path.join(cwd, 'j')).sort()).toEqual(['s.json', 's.profile.json']);
    expect(JSON.parse(readFileSync(path.join(cwd, 'j/s.profile.json'), 'utf8')).profiles.suggested.group_by).toEqual([
      'region',
      'product_line',
      'channel',
    ]);
    const clash = cli(
      ['analyze-suggest', '--input', demo150, '--out', 'k/s.json', '--out-profile', 'k/s.json', '--output-format', 'json'],
      cwd,
    );
    expect(clash.code).toBe(2);
    expect(clash.stderr).toMatch(/two outputs would be written to the same file/);
  });

  it('analyze-suggest random samples are reproducible with a seed', () => {
    const cwd = tmp();
    const args = (out: string, seed: string) => [
      'analyze-suggest',
      '--input',
      demo,
      '--out',
      out,
      '--sample-rows',
      '30',
      '--sample-mode',
      'random',
      '--sample-seed',
      seed,
      '--output-format',
      'json',
    ];
    expect(cli(args('a.json', '7'), cwd).code).toBe(0);
    expect(cli(args('b.json', '7'), cwd).code).toBe(0);
    expect(cli(args('c.json', '8'), cwd).code).toBe(0);
    const read = (f: string) => JSON.parse(readFileSync(path.join(cwd, f), 'utf8'));
    expect(read('a.json').sampled_rows).toBe(30);
    expect(read('a.json').columns).toEqual(read('b.json').columns);
    expect(read('a.json').columns).not.toEqual(read('c.json').columns);
  });

  it('analyze-drivers --method seed prints the README example and writes the seed artifacts', () => {
    const cwd = tmp();
    const r = cli(
      [
        'analyze-drivers',
        '--input',
        path.join(root, 'data/demo_revenue_residual.csv'),
        '--metric',
        'revenue_usd',
        '--date-column',
        'date',
        '--time-grain',
        'month',
        '--period',
        'last',
        '--anchor-date',
        '2026-04-15',
        '--method',
        'seed',
      ],
      cwd,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'revenue_usd change: -16.4%',
        '',
        'Window: 2026-03-01..2026-03-31 vs 2026-02-01..2026-02-28',
        '',
        'Inferred identity',
        '- revenue_usd ≈ orders * avg_price_usd',
        '- fit MAPE: 1.18% across 56 rows',
        '',
        'Driver contributions',
        '- orders: -15.9%',
        '- avg_price_usd: -2.0%',
        '',
        'Closure check',
        '- explained: -17.9% (109%)',
        '- residual: +1.5% (+77,765.73)',
        '',
        'Residual segments',
        '- campaign = spring_launch: mean residual +5,151.67 (16 rows)',
        '- channel = Marketplace: mean residual +5,151.67 (16 rows)',
        '- device_type = mobile: mean residual +5,151.67 (16 rows)',
        '',
        'Artifacts written',
        `- ${path.join('artifacts', 'drivers_demo_revenue_residual.md')}`,
        `- ${path.join('artifacts', 'drivers_demo_revenue_residual.json')}`,
        '',
      ].join('\n'),
    );
    const json = JSON.parse(readFileSync(path.join(cwd, 'artifacts', 'drivers_demo_revenue_residual.json'), 'utf8'));
    expect(json).toMatchObject({
      schema: 'factorlens.drivers/1',
      metric: 'revenue_usd',
      method: 'seed',
      identity: { op: 'multiply', left: 'orders', right: 'avg_price_usd', fit_rows: 56 },
    });
    expect(json.drivers).toHaveLength(2);
    expect(readFileSync(path.join(cwd, 'artifacts', 'drivers_demo_revenue_residual.md'), 'utf8')).toContain('# Driver Decomposition');
    const missing = cli(['analyze-drivers', '--input', path.join(root, 'data/demo_revenue.csv'), '--metric', 'revenue_usd'], cwd);
    expect(missing.code).toBe(2);
    // The message names the options in words; the CLI adds the flags after the hint.
    expect(missing.stderr).toContain(
      'a change needs two periods of one table (a date column and two windows) or a second snapshot to compare with',
    );
    expect(missing.stderr).toContain('(--date-column, --input-new)');
  });

  it('analyze-investigate prints the README example (SPEC 14.1 C)', () => {
    const cwd = tmp();
    const r = cli(
      [
        'analyze-investigate',
        '--input',
        path.join(root, 'data/demo_revenue_residual.csv'),
        '--metric',
        'revenue_usd',
        '--driver-preset',
        'amount',
        '--dedup-drivers',
        'false',
        '--driver-contrib',
        'both',
        '--date-column',
        'date',
        '--time-grain',
        'month',
        '--period',
        'last',
        '--anchor-date',
        '2026-04-15',
      ],
      cwd,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        'revenue_usd change: -16.4%',
        'Window: 2026-03-01..2026-03-31 vs 2026-02-01..2026-02-28',
        'Decomposition mode: regression',
        'Driver contributions',
        '- sum(orders): -13.0% | delta=-696191.18',
        '- sum(traffic): -2.2% | delta=-116243.57',
        '- avg(avg_price_usd): -1.1% | delta=-61590.98',
        'Closure check',
        '- explained: -16.3% (99%)',
        '- residual: -0.1% (-6,146.70)',
      ].join('\n'),
    );
    const json = JSON.parse(readFileSync(path.join(cwd, 'artifacts', 'investigate_demo_revenue_residual.json'), 'utf8'));
    expect(json).toMatchObject({ schema: 'factorlens.investigate/1', decomposition_mode: 'regression', contribution_view: 'both' });
    const conflict = cli(
      ['analyze-investigate', '--input', demo, '--metric', 'revenue_usd', '--drivers', 'orders', '--driver-preset', 'amount'],
      cwd,
    );
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/cannot be used with option '--drivers/);
  });

  it('factors fit and factors regress write the seed artifacts', () => {
    const cwd = tmp();
    const d = (f: string) => path.join(root, 'data', f);
    const fit = cli(['factors', 'fit', '--prices', d('prices.csv'), '--portfolio', d('portfolio.csv'), '--k', '3', '--out', 'fit'], cwd);
    expect(fit.stderr).toBe('');
    expect(fit.stdout).toContain('factor_1: 43.97% of variance');
    expect(fit.stdout).toContain('factor_2: 34.49% of variance');
    expect(fit.stdout).toContain('factor_3: 21.54% of variance');
    expect(fit.stdout).toContain('Primary Shared Move (high: AAA; low: CCC/BBB)');
    expect(readdirSync(path.join(cwd, 'fit')).sort()).toEqual([
      'attribution.csv',
      'exposures.csv',
      'factors.json',
      'outliers.csv',
      'risk.csv',
    ]);
    expect(readFileSync(path.join(cwd, 'fit', 'exposures.csv'), 'utf8').split('\n')[0]).toBe('ticker,factor_1,factor_2,factor_3');
    const reg = cli(
      ['factors', 'regress', '--prices', d('prices.csv'), '--factors', d('factors.csv'), '--portfolio', d('portfolio.csv'), '--out', 'reg'],
      cwd,
    );
    expect(reg.code).toBe(0);
    const json = JSON.parse(readFileSync(path.join(cwd, 'reg', 'regression.json'), 'utf8'));
    expect(json).toMatchObject({ method: 'ols_known_factor_regression', observations: 63 });
    expect(json.alpha).toBeCloseTo(0.0017416, 7);
    expect(json.betas.SMB).toBeCloseTo(1.7624, 4);
    expect(readFileSync(path.join(cwd, 'reg', 'regression_residuals.csv'), 'utf8').split('\n')[0]).toBe(
      'date,portfolio_return,fitted_return,residual',
    );

    // Reports: the seed's Markdown sections and lines, and a standalone HTML page with its charts.
    expect(cli(['report', '--artifacts', 'fit'], cwd).stdout).toBe('Report (factor model, Markdown) written to fit/report.md\n');
    const md = readFileSync(path.join(cwd, 'fit', 'report.md'), 'utf8');
    expect(md).toContain('# FactorLens Report\n\n## Model Summary\n');
    expect(md).toContain('- Observations: 63 dates (2025-01-02 to 2025-03-31)\n- Assets: 3\n- Factors (k): 3');
    expect(md).toContain('| factor_1 | Primary Shared Move (high: AAA; low: CCC/BBB) | 43.97% |');
    expect(md).toMatch(/## Top Outlier Days \(Residual\)\n\n- \d{4}-\d{2}-\d{2} residual=-?0\.000000 abs=0\.000000\n/);
    expect(cli(['report', '--artifacts', 'reg', '--format', 'html', '--out', 'reg.html'], cwd).code).toBe(0);
    const html = readFileSync(path.join(cwd, 'reg.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('<h2>Fitted versus Actual</h2><svg');
    expect(html).toContain('<td class="left">SMB</td><td class="right">1.762401</td>');
    expect(cli(['report', '--artifacts', 'fit', '--format', 'html'], cwd).code).toBe(0);
    expect(readFileSync(path.join(cwd, 'fit', 'report.html'), 'utf8')).toContain('<h2>Cumulative Contributions</h2><svg');
    const empty = cli(['report', '--artifacts', '.'], cwd);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('holds neither factors.json nor regression.json');

    // Newey-West standard errors (3 lags for 63 dates), same estimates.
    const nw = cli(
      [
        'factors',
        'regress',
        '--prices',
        d('prices.csv'),
        '--factors',
        d('factors.csv'),
        '--portfolio',
        d('portfolio.csv'),
        '--out',
        'nw',
        '--newey-west',
      ],
      cwd,
    );
    expect(nw.stdout).toContain('standard errors: Newey-West, 3 lags');
    const nwJson = JSON.parse(readFileSync(path.join(cwd, 'nw', 'regression.json'), 'utf8'));
    expect(nwJson.betas.SMB).toBeCloseTo(1.7624, 4);
    expect(nwJson.std_errors.SMB).not.toBeCloseTo(json.std_errors.SMB, 6);

    const both = cli(
      ['factors', 'fit', '--prices', d('prices.csv'), '--portfolio', d('portfolio.csv'), '--holdings', d('holdings.csv'), '--out', 'x'],
      cwd,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('portfolio weights and holdings cannot be used together');
    expect(both.stderr).toContain('(--portfolio, --holdings)');
  });

  // The machine's own Node (Debian's, 20 here and on CI) is older than the 22.12 the CLI needs.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((file) => {
    if (!existsSync(file)) return false;
    const [major, minor] = spawnSync(file, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim().split('.').map(Number);
    return major! < 22 || (major === 22 && minor! < 12);
  });
  it.runIf(oldNode)('on a Node.js older than 22.12 says which version it needs, before opening anything', () => {
    const dir = tmp();
    const r = spawnSync(oldNode!, [bin, 'analyze', '--input', demo, '--out', path.join(dir, 'a.json')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^Error: FactorLens needs Node\.js 22\.12 or newer; this is Node\.js \d+\.\d+\.\d+\.\nHint: install Node\.js 22 or 24/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('prints its version', () => {
    const r = cli(['--version'], root);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });
});

/**
 * `factorlens investigate` through the built CLI (npx electron-vite build first): the question's
 * routing, config files and profiles against the command line, bad configs and inputs as typed
 * errors, the demo data's drill-down (numbers checked by hand with awk), the files written and the help.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InvestigationArtifact } from '../src-shared/artifacts/investigation';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');
const BASE = path.join(root, 'data', 'factorlens_demo_sales.csv');
const NEW = path.join(root, 'data', 'factorlens_demo_sales_150.csv');
const EXAMPLE = path.join(root, 'data', 'investigate.example.toml');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'factorlens-investigate-'));
});

function cli(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  delete clean.FACTORLENS_PLANNER_LOCAL_MODEL;
  delete clean.FACTORLENS_LOCAL_MODEL;
  const r = spawnSync(process.execPath, [bin, 'investigate', ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...clean, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let runs = 0;
/** A run on the demo snapshots written as JSON; its artifact. */
function investigate(args: string[], inputs = ['--base', BASE, '--new', NEW]): InvestigationArtifact {
  const out = path.join(dir, `run${++runs}.json`);
  const r = cli([...inputs, ...args, '--output-format', 'json', '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as InvestigationArtifact;
}

function config(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('investigate on the demo sales (100 → 150 rows)', () => {
  it('splits one table into its two periods, finding its date column (order_date) when none is named', () => {
    const a = investigate(
      ['--question', 'Why did revenue change?', '--metric', 'revenue_usd', '--anchor-date', '2026-03-15'],
      ['--input', BASE],
    );
    expect(a.input.kind).toBe('table_periods');
    expect(a.input.date_column).toBe('order_date');
    // January 2026 against February 2026, as the workbench's test: -6,944,476.75; APAC -3,325,567.96.
    expect(a.totals.delta_metric).toBeCloseTo(-6944476.75, 2);
    expect(a.steps[0]!.movers[0]!.segment).toBe('APAC');
    expect(a.final_summary!.text[0]).toContain('from January to February 2026');
    // Periods that hold no row say so (not that no column looks like a dimension).
    const empty = cli(['--input', BASE, '--question', 'Why?', '--metric', 'revenue_usd', '--anchor-date', '2030-06-15']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('Error [NO_DATA_ROWS]');
  });

  it('asks the recommended next question within its segment (--where), as the report says to', () => {
    const first = investigate(['--question', 'Why did revenue change?', '--metric', 'revenue_usd']);
    expect(first.recommended_next.where).toEqual([
      { dimension: 'region', value: 'US' },
      { dimension: 'channel', value: 'Direct' },
    ]);
    expect(first.recommended_next.dimensions).toEqual(['product_line', 'plan_tier']);
    const next = investigate([
      '--question',
      first.recommended_next.question,
      '--metric',
      'revenue_usd',
      '--where',
      'region=US,channel=Direct',
      '--dimensions',
      first.recommended_next.dimensions.join(','),
    ]);
    // awk: US & Direct 1,257,774.98 (12 rows) → 8,472,100.43 (42 rows); Premium 240,655.22 → 3,236,409.26.
    expect(next.where).toEqual(first.recommended_next.where);
    expect(next.totals.base_metric).toBeCloseTo(1257774.98, 2);
    expect(next.totals.new_metric).toBeCloseTo(8472100.43, 2);
    expect([next.totals.base_records, next.totals.new_records]).toEqual([12, 42]);
    expect(next.top_dimension).toBe('product_line');
    expect(next.steps[0]!.movers[0]!.segment).toBe('Premium');
    expect(next.steps[0]!.movers[0]!.delta_metric).toBeCloseTo(2995754.04, 2);
    expect(next.final_summary!.text[0]).toMatch(
      /^Within region = US, channel = Direct, revenue_usd went from 1,257,774.98 to 8,472,100.43/,
    );
    expect(next.recommended_next_question).toContain('region = US, channel = Direct, product_line = Premium');
    // A segment no row holds says so.
    const none = cli(['--base', BASE, '--new', NEW, '--question', 'Why?', '--metric', 'revenue_usd', '--where', 'region=Mars']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('Error [NO_DATA_ROWS]');
    expect(none.stderr).toContain('region = Mars');
  });

  it('infers region as the top dimension, drills channel, product_line, plan_tier, and its numbers are the sums of the rows', () => {
    const a = investigate(['--question', 'Why did revenue change?', '--metric', 'revenue_usd']);
    expect(a.kind).toBe('investigation');
    expect(a.input.kind).toBe('datasets_csv');
    expect(a.dimensions_inferred).toBe(true);
    expect(a.top_dimension).toBe('region');
    expect(a.drill_fields).toEqual(['channel', 'product_line', 'plan_tier']);
    // awk -F, 'NR>1{t+=$6} END{printf "%.2f", t}': 14381166.51 and 29976205.30.
    expect(a.totals.base_metric).toBeCloseTo(14381166.51, 2);
    expect(a.totals.new_metric).toBeCloseTo(29976205.3, 2);
    expect([a.totals.base_records, a.totals.new_records]).toEqual([100, 150]);
    // US: 4020509.65 (29 rows) → 13561697.76 (71 rows); US & Direct: 1257774.98 → 8472100.43.
    const first = a.steps[0]!;
    expect([first.depth, first.dimension, first.movers[0]!.segment]).toEqual([0, 'region', 'US']);
    expect(first.movers[0]!.delta_metric).toBeCloseTo(9541188.11, 2);
    expect([first.movers[0]!.base_records, first.movers[0]!.new_records]).toEqual([29, 71]);
    expect(first.movers[0]!.delta_share_pp).toBeCloseTo(71 / 1.5 - 29, 6);
    expect(first.movers[0]!.score).toBeCloseTo((9541188.11 / 15595038.79) * 100, 4);
    const us = a.steps.find((s) => s.depth === 1 && s.scope[0]?.value === 'US')!;
    expect(us.dimension).toBe('channel');
    expect(us.movers[0]!.segment).toBe('Direct');
    expect(us.movers[0]!.delta_metric).toBeCloseTo(7214325.45, 2);
    expect(a.branch_graph.edges.some((e) => e.from === first.id && e.to === us.id)).toBe(true);
    expect(a.stopping_reason).toContain('maximum depth (2)');
  });

  it('writes Markdown and JSON by default to artifacts/investigate_workflow, and HTML with the graph drawn', () => {
    const r = cli(['--base', BASE, '--new', NEW, '--question', 'Why did revenue change?', '--metric', 'revenue_usd']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Written:\n- artifacts/investigate_workflow.md\n- artifacts/investigate_workflow.json');
    // The story comes first.
    expect(r.stdout.split('\n')[0]).toMatch(/^revenue_usd went from 14,381,166\.51 to 29,976,205\.30/);
    const md = readFileSync(path.join(dir, 'artifacts', 'investigate_workflow.md'), 'utf8');
    const sections = [
      '# Investigation Report',
      '## Top-level finding',
      '### Concentration snapshot',
      '### Segments behind concentration',
      '### Top-level movers (top 5)',
      '### Strongest mover by configured dimension',
      '## Follow-up findings',
      '### Follow-up strongest movers table',
      '### Top branches (side-by-side)',
      '## Coverage',
      '### Step coverage table',
      '## Drill-down graph',
      '## Why it stopped',
      '## Recommended next question',
      '## Decision trace',
    ];
    const at = sections.map((s) => md.indexOf(`\n${s}\n`) + (s.startsWith('# ') ? 1 : 0));
    expect(md.startsWith('# Investigation Report\n')).toBe(true);
    expect(at.slice(1).every((i) => i > 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    expect(md).toContain('```mermaid\ngraph TD\n  n0["all rows by region<br/>top: US');
    expect(md).toMatch(/n0 -->\|"US \(-14\.92\)"\| n1/);
    const json = JSON.parse(readFileSync(path.join(dir, 'artifacts', 'investigate_workflow.json'), 'utf8')) as InvestigationArtifact;
    for (const key of [
      'question',
      'mode',
      'input',
      'config',
      'steps',
      'major_global_changes',
      'coverage',
      'branch_graph',
      'trace',
      'stopping_reason',
      'recommended_next_question',
    ])
      expect(json).toHaveProperty(key);

    const html = path.join(dir, 'report.html');
    expect(
      cli(['--base', BASE, '--new', NEW, '--question', 'Why?', '--metric', 'revenue_usd', '--output-format', 'html', '--out', html]).code,
    ).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    const svg = page.slice(page.indexOf('<svg'), page.indexOf('</svg>'));
    expect(svg).toContain('aria-label="Drill-down graph"');
    expect(svg.match(/<rect /g)).toHaveLength(json.branch_graph.nodes.length);
    expect(svg.match(/marker-end="url\(#arrow\)"/g)).toHaveLength(json.branch_graph.edges.length);
  });

  it('takes two analyze JSON artifacts (one dimension, no drill-down) and refuses a CSV with a JSON', () => {
    const analyze = (input: string, out: string) =>
      spawnSync(
        process.execPath,
        [
          bin,
          'analyze',
          '--input',
          input,
          '--group-by',
          'region',
          '--metrics',
          'revenue_usd',
          '--rank-by',
          'revenue_usd',
          '--output-format',
          'json',
          '--out',
          out,
        ],
        { cwd: dir, encoding: 'utf8' },
      );
    const [b, n] = [path.join(dir, 'base.json'), path.join(dir, 'new.json')];
    expect(analyze(BASE, b).status).toBe(0);
    expect(analyze(NEW, n).status).toBe(0);
    const a = investigate(['--question', 'Why did revenue change?', '--metric', 'revenue_usd'], ['--base', b, '--new', n]);
    expect(a.input.kind).toBe('artifacts_json');
    expect(a.steps.map((s) => s.dimension)).toEqual(['region']);
    expect(a.steps[0]!.movers[0]!.delta_metric).toBeCloseTo(9541188.11, 2);

    const mixed = cli(['--base', BASE, '--new', n, '--question', 'Why?', '--metric', 'revenue_usd']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/^Error \[BAD_ARGUMENT\]: --base and --new must be the same kind of file/);
    const half = cli(['--base', BASE, '--question', 'Why?', '--metric', 'revenue_usd']);
    expect(half.stderr).toMatch(/^Error \[BAD_ARGUMENT\]: --base needs --new/);
  });
});

describe('the question picks the mode (the original table), unless --mode is given', () => {
  it.each([
    ['Where did revenue get more concentrated?', 'concentration_drivers'],
    ['What should I inspect next?', 'recommend_next'],
    ['Compare the two snapshots', 'compare_snapshots'],
    ['What was the biggest shift?', 'compare_snapshots'],
    ['Why did revenue change?', 'change_drivers'],
  ])('%s → %s', (question, mode) => {
    const a = investigate(['--question', question, '--metric', 'revenue_usd', '--max-depth', '1']);
    expect([a.mode, a.mode_source]).toEqual([mode, 'question']);
    expect(a.config.min_contribution_unit).toBe(mode === 'concentration_drivers' ? 'share_pp' : 'pct_of_total_change');
  });

  it('--mode wins over the words, hyphens accepted; a wrong mode is a typed error', () => {
    const a = investigate([
      '--question',
      'Compare the two snapshots',
      '--metric',
      'revenue_usd',
      '--mode',
      'concentration-drivers',
      '--max-depth',
      '1',
    ]);
    expect([a.mode, a.mode_source]).toEqual(['concentration_drivers', 'option']);
    // Concentration mode ranks by share points: US moved +18.33 pp of records.
    expect(a.steps[0]!.movers[0]!.segment).toBe('US');
    expect(a.steps[0]!.movers[0]!.score).toBeCloseTo(71 / 1.5 - 29, 6);
    const r = cli(['--base', BASE, '--new', NEW, '--question', 'Why?', '--metric', 'revenue_usd', '--mode', 'drivers']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^Error \[BAD_ARGUMENT\]: --mode must be one of change_drivers, concentration_drivers, compare_snapshots, recommend_next/,
    );
  });
});

describe('config files and profiles', () => {
  it('the config fills what the command line left out; a flag given wins even at its default; the rest keep their defaults', () => {
    const file = config(
      'depth.toml',
      '[investigate]\nquestion = "Why did revenue change?"\nmetric = "revenue_usd"\nmax_depth = 3\ntop_movers = 4\ndimensions = ["region", "Region", "channel"]\n',
    );
    const a = investigate(['--config', file, '--max-depth', '2']);
    expect(a.question).toBe('Why did revenue change?');
    expect(a.config.max_depth).toBe(2);
    expect(a.config.top_movers).toBe(4);
    expect(a.config.max_branches).toBe(3);
    expect(a.config.min_contribution).toBe(5);
    // Dimensions are de-duplicated whatever their case.
    expect([a.top_dimension, ...a.drill_fields]).toEqual(['region', 'channel']);
    expect(a.steps[0]!.movers).toHaveLength(4);
    expect(investigate(['--config', file]).config.max_depth).toBe(3);
  });

  it('reads a single [profiles.X] or the root table; several profiles need --profile; --profile picks one in any case', () => {
    const one = config('one.toml', '[profiles.weekly]\nquestion = "Why?"\nmetric = "revenue_usd"\nmax_branches = 2\n');
    expect(investigate(['--config', one]).config.max_branches).toBe(2);
    const rootTable = config('root.toml', 'question = "Why?"\nmetric = "orders"\nmin_slice_rows = 7\n');
    const a = investigate(['--config', rootTable]);
    expect([a.metric, a.config.min_slice_rows]).toEqual(['orders', 7]);

    const two = config(
      'two.toml',
      '[profiles.weekly]\nquestion = "Why?"\nmetric = "revenue_usd"\nmax_branches = 2\n\n[profiles.Monthly]\nquestion = "Why?"\nmetric = "orders"\nmax_branches = 1\n',
    );
    const r = cli(['--base', BASE, '--new', NEW, '--config', two]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`Error [BAD_ARGUMENT]: ${two} holds 2 profiles (weekly, Monthly); --config reads one`);
    expect(r.stderr).toContain(`Hint: Pick one: --profile weekly --profile-config ${two}.`);
    const m = investigate(['--profile', 'MONTHLY', '--profile-config', two]);
    expect([m.metric, m.config.max_branches]).toEqual(['orders', 1]);
    const missing = cli(['--base', BASE, '--new', NEW, '--profile', 'daily', '--profile-config', two]);
    expect(missing.stderr).toContain(`no profile 'daily' in ${two} (it has weekly, Monthly)`);
    // A --profile that is a path is read as a config.
    expect(investigate(['--profile', one]).config.max_branches).toBe(2);
    expect(cli(['--base', BASE, '--new', NEW, '--config', one, '--profile', 'weekly']).stderr).toMatch(
      /--config and --profile cannot be used together/,
    );
    expect(cli(['--base', BASE, '--new', NEW, '--profile-config', two]).stderr).toMatch(/--profile-config needs --profile/);
  });

  it('a file that is no TOML, an unknown key or a wrong type is a typed error naming the file and the key', () => {
    const broken = config('broken.toml', '[investigate]\nquestion = "Why?\n');
    let r = cli(['--base', BASE, '--new', NEW, '--config', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^Error \\[BAD_ARGUMENT\\]: ${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid TOML`));
    r = cli(['--base', BASE, '--new', NEW, '--config', config('unknown.toml', '[investigate]\nquestion = "Why?"\nmax_dept = 3\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^Error \[BAD_ARGUMENT\]: .*unknown\.toml \[investigate\]: unknown key 'max_dept'\nHint: Remove or rename it; the settings are question, mode, metric/,
    );
    r = cli(['--base', BASE, '--new', NEW, '--config', config('type.toml', '[investigate]\nquestion = "Why?"\nmax_depth = "deep"\n')]);
    expect(r.stderr).toMatch(/type\.toml \[investigate\]: max_depth must be a whole number, e.g\. 3/);
    r = cli(['--base', BASE, '--new', NEW, '--config', path.join(dir, 'none.toml')]);
    expect([r.code, r.stderr.split('\n')[0]]).toEqual([
      1,
      `Error [FILE_NOT_FOUND]: cannot read the config ${path.join(dir, 'none.toml')}: no such file`,
    ]);
  });

  it('data/investigate.example.toml asks for a model: without one, MODEL_MISSING names its path; --planner deterministic runs it', () => {
    let r = cli(['--base', BASE, '--new', NEW, '--config', EXAMPLE]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error [MODEL_MISSING]: the planner model /absolute/path/to/models/llama_instruct.gguf (planner_model in');
    expect(r.stderr).toContain('FACTORLENS_PLANNER_LOCAL_MODEL or FACTORLENS_LOCAL_MODEL), or add --planner deterministic');
    expect(existsSync(path.join(dir, 'artifacts', 'never.md'))).toBe(false);
    // A model named on the command line is said to come from there.
    r = cli([
      '--base',
      BASE,
      '--new',
      NEW,
      '--question',
      'Why?',
      '--metric',
      'revenue_usd',
      '--planner',
      'llm',
      '--planner-model',
      path.join(dir, 'no.gguf'),
    ]);
    expect(r.stderr).toMatch(/^Error \[MODEL_MISSING\]: the planner model .*no\.gguf \(--planner-model\) does not exist/);
    r = cli(['--base', BASE, '--new', NEW, '--question', 'Why?', '--metric', 'revenue_usd', '--planner', 'llm']);
    expect(r.stderr).toMatch(
      /^Error \[MODEL_MISSING\]: the local planner needs a model: no --planner-model was given and neither FACTORLENS_PLANNER_LOCAL_MODEL nor FACTORLENS_LOCAL_MODEL is set/,
    );

    const a = investigate(['--config', EXAMPLE, '--planner', 'deterministic']);
    expect(a.planner).toBe('deterministic');
    expect(a.config).toMatchObject({ max_depth: 5, max_branches: 1, min_contribution: 1.5, min_slice_rows: 10, top_movers: 12 });
    expect([a.top_dimension, ...a.drill_fields]).toEqual(['region', 'channel', 'product_line', 'plan_tier']);
    // One branch per step: a single path down from region = US.
    expect(a.steps.map((s) => s.depth)).toEqual(a.steps.map((_s, i) => i));
    expect(a.steps[1]!.scope).toEqual([{ dimension: 'region', value: 'US' }]);
  });
});

describe('investigate --help', () => {
  it('lists every flag of the original, the config rule and examples', () => {
    const r = spawnSync(process.execPath, [bin, 'investigate', '--help'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const flags = [
      '--question',
      '--mode',
      '--config',
      '--profile',
      '--profile-config',
      '--base',
      '--new',
      '--input',
      '--postgres-url',
      '--query',
      '--query-file',
      '--metric',
      '--date-column',
      '--time-grain',
      '--period',
      '--anchor-date',
      '--current-start',
      '--dimensions',
      '--drill-fields',
      '--max-depth',
      '--max-branches',
      '--min-contribution',
      '--min-delta-abs',
      '--min-score-improvement',
      '--min-slice-rows',
      '--top-movers',
      '--planner',
      '--planner-backend',
      '--planner-model',
      '--verbose',
      '--trace',
      '--output-format',
      '--out',
    ];
    for (const flag of flags) expect(r.stdout).toMatch(new RegExp(`\\n  ${flag}[ ,]`));
    const words = r.stdout.replace(/\s+/g, ' ');
    expect(words).toContain('share points of records (concentration_drivers), else percent of the whole change (default: 5)');
    expect(words).toContain('(default: artifacts/investigate_workflow.md|.json|.html)');
    expect(words).toContain('Flags given on the command line win over the config file');
    expect(r.stdout).toContain('factorlens investigate --config data/investigate.example.toml --planner deterministic');
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBedrock, type FakeBedrock, type RecordedRequest } from './llm/fake-bedrock';
import { writeTinyLlama } from './llm/gguf';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');
const data = path.join(root, 'data');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-explain-'));
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIDTESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'secret-for-tests',
  AWS_REGION: 'us-east-1',
  AWS_PROFILE: '',
};

/** Runs the CLI without blocking this process (the fake Bedrock server answers from here). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

let fake: FakeBedrock;
const analysis = path.join(dir, 'analyze.json');
const systemOf = (r: RecordedRequest) => r.body.system?.[0]?.text ?? '';

beforeAll(async () => {
  fake = await startFakeBedrock();
  const r = await cli([
    'analyze',
    '--input',
    path.join(data, 'factorlens_demo_sales.csv'),
    '--group-by',
    'region',
    '--metrics',
    'revenue_usd',
    '--rank-by',
    'revenue_usd',
    '--output-format',
    'json',
    '--out',
    analysis,
  ]);
  expect(r.code).toBe(0);
}, 60_000);
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const bedrock = () => ['--backend', 'bedrock', '--model', 'anthropic.claude-3-haiku-20240307-v1:0', '--bedrock-endpoint', fake.url];

describe('factorlens explain-analyze', () => {
  it('streams a grounded answer, marks its numbers verified and lists the evidence (SPEC 14.1: US 29 records)', async () => {
    fake.reply({ kind: 'answer', chunks: ['- US leads ', 'with 29 records ', 'and 4,020,509.65 revenue [E2].'] });
    const r = await cli([
      'explain-analyze',
      ...bedrock(),
      '--analysis-json',
      analysis,
      '--question',
      'Which region leads?',
      '--max-bullets',
      '3',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('- US leads with 29 records and 4,020,509.65 revenue [E2].\n')).toBe(true);
    expect(r.stdout).toContain('Numbers: 2 verified (29 [E2]; 4,020,509.65 [E2]), 0 UNVERIFIED.');
    expect(r.stdout).not.toContain('Strict facts');
    expect(r.stdout).toContain(
      '\nEvidence:\n[E1] records=100 segments=4 group_by="region" metrics="revenue_usd"\n[E2] group="US" records=29 record_share_pct=29 "revenue_usd"=4020509.65\n',
    );
    const req = fake.requests.at(-1)!;
    expect(systemOf(req)).toContain('Cite the id of every line you use');
    expect(systemOf(req)).toContain('[E2] group="US" records=29');
    expect(req.body.messages).toEqual([
      { role: 'user', content: [{ text: 'Question: Which region leads? Answer in at most 3 short bullets, each starting with "- ".' }] },
    ]);
    expect(req.body.inferenceConfig).toEqual({ maxTokens: 700, temperature: 0.2 });
  }, 60_000);

  it('flags invented numbers and, with strict facts, gives the evidence instead', async () => {
    fake.reply({ kind: 'answer', chunks: ['US leads with 31 records [E2].'] });
    const r = await cli([
      'explain-analyze',
      ...bedrock(),
      '--analysis-json',
      analysis,
      '--question',
      'Which region leads?',
      '--max-bullets',
      '2',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Numbers: 0 verified, 1 UNVERIFIED (31).');
    expect(r.stdout).toContain(
      'Strict facts: the answer above is not grounded (it states numbers that are not in the evidence); the evidence instead:\n- records=100 segments=4 group_by="region" metrics="revenue_usd" [E1]\n- group="US" records=29 record_share_pct=29 "revenue_usd"=4020509.65 [E2]\n\nEvidence:',
    );
    fake.reply({ kind: 'answer', chunks: ['US leads with 31 records [E2].'] });
    const lax = await cli([
      'explain-analyze',
      ...bedrock(),
      '--analysis-json',
      analysis,
      '--question',
      'Which region leads?',
      '--strict-facts',
      'false',
    ]);
    expect(lax.stdout).toContain('1 UNVERIFIED (31)');
    expect(lax.stdout).not.toContain('Strict facts');
  }, 60_000);

  it('finds evidence in a compare artifact (the seed answered "Unable to provide…")', async () => {
    const next = path.join(dir, 'analyze_150.json');
    expect(
      (
        await cli([
          'analyze',
          '--input',
          path.join(data, 'factorlens_demo_sales_150.csv'),
          '--group-by',
          'region',
          '--metrics',
          'revenue_usd',
          '--rank-by',
          'revenue_usd',
          '--output-format',
          'json',
          '--out',
          next,
        ])
      ).code,
    ).toBe(0);
    const compare = path.join(dir, 'compare.json');
    expect((await cli(['analyze-compare', '--base', analysis, '--new', next, '--output-format', 'json', '--out', compare])).code).toBe(0);
    fake.reply({ kind: 'answer', chunks: ['US grew from 29 to 71 records [E3].'] });
    const r = await cli(['explain-analyze', ...bedrock(), '--analysis-json', compare, '--question', 'What moved?']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Numbers: 2 verified (29 [E3]; 71 [E3]), 0 UNVERIFIED.');
    expect(systemOf(fake.requests.at(-1)!)).toContain('mover="US" records 29 -> 71');
  }, 60_000);

  it('explains Bedrock errors and bad input plainly', async () => {
    fake.reply({
      kind: 'error',
      status: 403,
      type: 'AccessDeniedException',
      message: "You don't have access to the model with the specified model ID.",
    });
    const denied = await cli(['explain-analyze', ...bedrock(), '--analysis-json', analysis, '--question', 'Why?']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain(
      'Error [LLM_ACCESS_DENIED]: your AWS identity may not use anthropic.claude-3-haiku-20240307-v1:0 in us-east-1',
    );
    expect(denied.stderr).toContain('Hint: Request access to the model in the Bedrock console');
    const notArtifact = path.join(dir, 'other.json');
    writeFileSync(notArtifact, '{"hello": 1}');
    const bad = await cli(['explain-analyze', ...bedrock(), '--analysis-json', notArtifact, '--question', 'Why?']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not an analysis artifact of this version');
    const bullets = await cli(['explain-analyze', ...bedrock(), '--analysis-json', analysis, '--question', 'Why?', '--max-bullets', '0']);
    expect(bullets.code).toBe(2);
    expect(bullets.stderr).toContain('--max-bullets must be a whole number of at least 1');
  }, 60_000);

  it('answers with a local GGUF model (a tiny generated one) and still checks the answer', async () => {
    const model = path.join(dir, 'tiny.gguf');
    writeTinyLlama(model);
    const r = await cli([
      'explain-analyze',
      '--model',
      model,
      '--analysis-json',
      analysis,
      '--question',
      'Which region leads?',
      '--max-tokens',
      '24',
      '--threads',
      '1',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Random weights say nothing grounded, so strict facts replace the answer with the evidence.
    expect(r.stdout).toContain('Strict facts: the answer above is not grounded');
    expect(r.stdout).toContain('\nEvidence:\n[E1] records=100 segments=4');
    // A context too small for the full instructions still answers, and says what it gave the model.
    const small = await cli([
      'explain-analyze',
      '--model',
      model,
      '--analysis-json',
      analysis,
      '--question',
      'Which region leads?',
      '--max-tokens',
      '24',
      '--threads',
      '1',
      '--context-size',
      '768',
    ]);
    expect(small.code).toBe(0);
    expect(small.stdout).toContain(
      "(The model's context is small: it was given short instructions; a larger --context-size gives better answers.)",
    );
    const missing = await cli([
      'explain-analyze',
      '--model',
      path.join(dir, 'nope.gguf'),
      '--analysis-json',
      analysis,
      '--question',
      'Why?',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Error \[MODEL_MISSING\]: .*nope\.gguf: the file does not exist/);
  }, 60_000);
});

describe('factorlens explain (factor models)', () => {
  it('focuses on the factors asked about and uses the given factor names; no question is short-circuited', async () => {
    const fit = path.join(dir, 'fit');
    const r0 = await cli([
      'factors',
      'fit',
      '--prices',
      path.join(data, 'prices.csv'),
      '--k',
      '2',
      '--portfolio',
      path.join(data, 'portfolio.csv'),
      '--out',
      fit,
    ]);
    expect(r0.code).toBe(0);
    const labels = path.join(dir, 'labels.csv');
    writeFileSync(labels, 'factor,label\nfactor_2,Rates spread\n');
    fake.reply({ kind: 'answer', chunks: ['The worst day was driven by the rates spread [E2].'] });
    const before = fake.requests.length;
    // The seed answered any question with "drawdown" in it from a template, without the model.
    const r = await cli([
      'explain',
      ...bedrock(),
      '--artifacts',
      fit,
      '--question',
      'What drove the largest drawdown?',
      '--focus-factors',
      'factor_2_contrib',
      '--factor-labels',
      labels,
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(fake.requests.length).toBe(before + 1);
    const system = systemOf(fake.requests.at(-1)!);
    expect(system).toMatch(
      /\[E2\] worst modeled day \d{4}-\d{2}-\d{2} \(focus factor_2\): factor_contribution_pct=-?[\d.]+ .*by factor: factor_2 "Rates spread"=/,
    );
    expect(system).not.toContain('factor_1 "');
    expect(r.stdout.startsWith('The worst day was driven by the rates spread [E2].\n')).toBe(true);
    const bad = await cli(['explain', ...bedrock(), '--artifacts', fit, '--question', 'Why?', '--focus-factors', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--focus-factors: '3' is not a factor of this model (1..2)");
    expect(readFileSync(labels, 'utf8')).toContain('Rates spread');
  }, 60_000);

  it('explains a regression folder from its coefficients (SPEC 14.2: SMB beta 1.7624)', async () => {
    const reg = path.join(dir, 'reg');
    const r0 = await cli([
      'factors',
      'regress',
      '--prices',
      path.join(data, 'prices.csv'),
      '--factors',
      path.join(data, 'factors.csv'),
      '--portfolio',
      path.join(data, 'portfolio.csv'),
      '--out',
      reg,
    ]);
    expect(r0.stderr).toBe('');
    fake.reply({ kind: 'answer', chunks: ['The portfolio loads most on SMB, with a beta of 1.76.'] });
    const r = await cli(['explain', ...bedrock(), '--artifacts', reg, '--question', 'Which factor matters most?']);
    expect(r.code).toBe(0);
    expect(systemOf(fake.requests.at(-1)!)).toMatch(/"SMB" estimate=1\.762401 /);
    expect(r.stdout).toMatch(/Numbers: 1 verified \(1\.76 \[E\d+\]\), 0 UNVERIFIED\./);
    const labels = await cli(['explain', ...bedrock(), '--artifacts', reg, '--question', 'Why?', '--focus-factors', '1']);
    expect(labels.code).toBe(2);
    expect(labels.stderr).toContain('--focus-factors and --factor-labels are for a factors fit folder');
  }, 60_000);
});

#!/usr/bin/env node
// `npm run demo`: the original FactorLens demo, end to end, on the demo data of data/ — two
// snapshots of the sales table and what moved between them, the drivers of revenue, where it
// changed, the guided investigation, a factor model with its reports, and an explanation when a
// model is configured. Every step is a `factorlens` command (printed before it runs); the
// artifacts go to one folder, listed at the end. Nothing is opened: the HTML reports are named
// for you to open.
//
//   npm run demo                      artifacts in artifacts/demo
//   npm run demo -- --out <folder>    elsewhere
//
// The explanation step runs when FACTORLENS_LOCAL_MODEL names a GGUF model file (answered offline
// by llama.cpp), or when RUN_BEDROCK=1 (AWS Bedrock, with the usual AWS credentials and
// AWS_REGION; model FACTORLENS_BEDROCK_MODEL, default anthropic.claude-3-haiku-20240307-v1:0).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'factorlens.js');

const argv = process.argv.slice(2);
const outAt = argv.indexOf('--out');
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write('usage: npm run demo [-- --out <folder>]\n');
  process.exit(0);
}
if (outAt >= 0 && !argv[outAt + 1]) {
  process.stderr.write('Error: --out needs a folder.\n');
  process.exit(2);
}
const out = path.resolve(outAt >= 0 ? argv[outAt + 1] : path.join(root, 'artifacts', 'demo'));
// Paths as a person would type them: relative to here when inside it, absolute otherwise.
const shown = (full) => {
  const rel = path.relative(process.cwd(), full);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : full;
};
const data = (file) => shown(path.join(root, 'data', file));
const at = (file) => shown(path.join(out, file));

const sales100 = data('factorlens_demo_sales.csv');
const sales150 = data('factorlens_demo_sales_150.csv');
const residual = data('demo_revenue_residual.csv');
const clean = data('demo_revenue.csv');
const window = ['--date-column', 'date', '--time-grain', 'month', '--period', 'last', '--anchor-date', '2026-04-15'];
const snapshot = [
  '--group-by',
  'region,channel,product_line,plan_tier',
  '--metrics',
  'revenue_usd,cost_usd,orders',
  '--rank-by',
  'revenue_usd',
];

const steps = [
  ['Baseline snapshot: the 100-row sales table', ['analyze', '--input', sales100, ...snapshot, '--out', at('demo_sales_100.md')]],
  ['New snapshot: the 150-row sales table', ['analyze', '--input', sales150, ...snapshot, '--out', at('demo_sales_150.md')]],
  [
    'What moved between the snapshots',
    [
      'analyze-compare',
      '--base',
      at('demo_sales_100.json'),
      '--new',
      at('demo_sales_150.json'),
      '--output-format',
      'both',
      '--out',
      at('analysis_compare.md'),
    ],
  ],
  [
    'Drivers of revenue (orders × price), March against February, with a residual',
    ['analyze-drivers', '--input', residual, '--metric', 'revenue_usd', ...window, '--out', at('drivers_demo_revenue_residual.md')],
  ],
  [
    'Drivers of revenue on the clean file (the identity holds)',
    ['analyze-drivers', '--input', clean, '--metric', 'revenue_usd', ...window, '--out', at('drivers_demo_revenue.md')],
  ],
  [
    'Regression on drivers (the amount preset)',
    [
      'analyze-investigate',
      '--input',
      residual,
      '--metric',
      'revenue_usd',
      '--driver-preset',
      'amount',
      '--dedup-drivers',
      'false',
      '--driver-contrib',
      'both',
      ...window,
      '--out',
      at('investigate_demo_revenue_residual.md'),
    ],
  ],
  [
    'Where revenue changed (segments that close the change exactly)',
    ['analyze-segments', '--input', residual, '--metric', 'revenue_usd', ...window, '--out', at('segments_demo_revenue_residual.md')],
  ],
  [
    'The guided investigation: why did revenue change between the snapshots?',
    [
      'investigate',
      '--question',
      'Why did revenue change?',
      '--metric',
      'revenue_usd',
      '--base',
      sales100,
      '--new',
      sales150,
      '--planner',
      'deterministic',
      '--output-format',
      'both',
      '--out',
      at('investigate_workflow.md'),
    ],
  ],
  [
    'Factor model of price returns (PCA, k chosen automatically)',
    ['factors', 'fit', '--prices', data('prices.csv'), '--portfolio', data('portfolio.csv'), '--k-auto', '--out', at('factors')],
  ],
  ['Its report, as standalone HTML', ['report', '--artifacts', at('factors'), '--format', 'html', '--out', at('factors_report.html')]],
  [
    'Known-factor regression of the portfolio',
    [
      'factors',
      'regress',
      '--prices',
      data('prices.csv'),
      '--factors',
      data('factors.csv'),
      '--portfolio',
      data('portfolio.csv'),
      '--out',
      at('regress'),
    ],
  ],
  ['Its report, as standalone HTML', ['report', '--artifacts', at('regress'), '--format', 'html', '--out', at('regress_report.html')]],
];

const question = 'What are the top concentration risks and what 3 actions should we take in the next 30 days?';
const localModel = process.env.FACTORLENS_LOCAL_MODEL;
let explainNote;
if (localModel && existsSync(localModel)) {
  steps.push([
    'An explanation of the comparison by the local model (offline)',
    [
      'explain-analyze',
      '--backend',
      'local',
      '--model',
      localModel,
      '--analysis-json',
      at('analysis_compare.json'),
      '--question',
      question,
    ],
  ]);
} else if (process.env.RUN_BEDROCK === '1') {
  const model = process.env.FACTORLENS_BEDROCK_MODEL || 'anthropic.claude-3-haiku-20240307-v1:0';
  steps.push([
    `An explanation of the comparison by AWS Bedrock (${model})`,
    ['explain-analyze', '--backend', 'bedrock', '--model', model, '--analysis-json', at('analysis_compare.json'), '--question', question],
  ]);
} else {
  explainNote = localModel
    ? `Explanation skipped: FACTORLENS_LOCAL_MODEL names ${localModel}, which does not exist.`
    : 'Explanation skipped: no model is configured. Set FACTORLENS_LOCAL_MODEL to a GGUF file, or RUN_BEDROCK=1 with AWS credentials and AWS_REGION.';
}

const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
const started = Date.now();
steps.forEach(([title, args], i) => {
  process.stdout.write(`\n== ${i + 1}/${steps.length} ${title}\n$ factorlens ${args.map(quote).join(' ')}\n`);
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: process.cwd(), stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write(`\nThe demo stopped at step ${i + 1} (${title}); the message above says why.\n`);
    process.exit(r.status ?? 1);
  }
});

// Every file the demo wrote, by folder.
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else files.push(shown(full));
  }
};
walk(out);
process.stdout.write(
  `\n== Done in ${((Date.now() - started) / 1000).toFixed(1)} s. ${files.length} artifacts in ${shown(out)}:\n` +
    files.map((f) => `- ${f}`).join('\n') +
    `\n\nOpen ${at('factors_report.html')} and ${at('regress_report.html')} in a browser for the charts; the .md files are the reports, the .json files the artifacts the workbench and explain read.\n` +
    (explainNote ? `${explainNote}\n` : ''),
);

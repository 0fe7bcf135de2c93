#!/usr/bin/env node
// `npm run bench`: speed and peak memory of `factorlens analyze` on a 5M-row CSV, side by side
// with a bare DuckDB query doing the same group-by. Figures only; nothing here is a test.
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng, sideBySide } from './bench-util.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench-data');
const ROWS = Number(process.env.BENCH_ROWS ?? 5_000_000);
const csv = path.join(dataDir, `sales_v2_${ROWS}.csv`);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function generate() {
  if (existsSync(csv)) return;
  mkdirSync(dataDir, { recursive: true });
  process.stdout.write(`Generating ${ROWS.toLocaleString('en-US')} rows into ${path.relative(root, csv)} (once)…\n`);
  const rand = prng(42);
  const regions = ['US', 'EU', 'APAC', 'LATAM', 'MEA'];
  const channels = ['Direct', 'Partner', 'Marketplace'];
  const lines = ['Core', 'Premium', 'AddOn', 'Services'];
  const out = createWriteStream(`${csv}.part`);
  out.write('order_date,region,channel,product_line,plan_tier,revenue_usd,cost_usd,orders,avg_price_usd\n');
  const start = Date.UTC(2025, 0, 1);
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    const day = new Date(start + Math.floor(rand() * 540) * 86_400_000).toISOString().slice(0, 10);
    const orders = 1 + Math.floor(rand() * 60);
    const price = (200 + rand() * 3000).toFixed(2);
    const revenue = ((orders * Math.round(Number(price) * 100)) / 100).toFixed(2);
    const cost = (Number(revenue) * (0.45 + rand() * 0.35)).toFixed(2);
    buf += `${day},${regions[Math.floor(rand() * 5)]},${channels[Math.floor(rand() * 3)]},${lines[Math.floor(rand() * 4)]},${rand() < 0.3 ? 1 : 0},${revenue},${cost},${orders},${price}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
  const { renameSync } = await import('node:fs');
  renameSync(`${csv}.part`, csv);
}

/** A wide table: 5,000 columns (grp, then c1 … c4999 of small integers) by 1,000 rows. */
const wideCsv = path.join(dataDir, 'wide_5000x1000.csv');
async function generateWide() {
  if (existsSync(wideCsv)) return;
  mkdirSync(dataDir, { recursive: true });
  const rand = prng(7);
  const out = createWriteStream(`${wideCsv}.part`);
  out.write(`grp,${Array.from({ length: 4999 }, (_, c) => `c${c + 1}`).join(',')}\n`);
  for (let r = 0; r < 1000; r++) {
    const cells = [['north', 'south', 'east'][r % 3]];
    for (let c = 1; c < 5000; c++) cells.push(String(Math.floor(rand() * 1000)));
    if (!out.write(`${cells.join(',')}\n`)) await new Promise((res) => out.once('drain', res));
  }
  await new Promise((r) => out.end(r));
  const { renameSync } = await import('node:fs');
  renameSync(`${wideCsv}.part`, wideCsv);
}

await generate();
await generateWide();
const sizeMb = statSync(csv).size / 1e6;
const bare = path.join(root, 'scripts', 'bench-duckdb.mjs');
const cliArgs = (extra, out) => [
  path.join(root, 'bin', 'factorlens.js'),
  'analyze',
  '--input',
  csv,
  '--group-by',
  'region,channel,product_line',
  '--metrics',
  'revenue_usd,cost_usd,orders',
  '--rank-by',
  'revenue_usd',
  '--output-format',
  'json',
  '--out',
  path.join(dataDir, out),
  ...extra,
];
const cases = [
  { name: 'sum by region, channel, product_line', bare: 'sum', cli: [] },
  { name: '--agg median --percentiles p50,p90', bare: 'median', cli: ['--agg', 'median', '--percentiles', 'p50,p90'] },
  {
    name: 'period mode (month, current, anchor 2026-05-15)',
    bare: 'period',
    cli: ['--date-column', 'order_date', '--time-grain', 'month', '--period', 'current', '--anchor-date', '2026-05-15'],
  },
];

process.stdout.write(
  `\nanalyze: ${ROWS.toLocaleString('en-US')} rows, ${sizeMb.toFixed(0)} MB CSV, ${RUNS} run${RUNS === 1 ? '' : 's'} of each in turn (medians; peak memory of the whole process tree)\n`,
);
cases.push({
  name: 'analyze-drivers (month, current, anchor 2026-05-15; target within 2x)',
  bare: 'drivers',
  limit: 2,
  args: [
    path.join(root, 'bin', 'factorlens.js'),
    'analyze-drivers',
    '--input',
    csv,
    '--metric',
    'revenue_usd',
    '--date-column',
    'order_date',
    '--period',
    'current',
    '--anchor-date',
    '2026-05-15',
    '--output-format',
    'json',
    '--out',
    path.join(dataDir, 'bench_drivers.json'),
  ],
});
const wideArgs = (extra) => [
  path.join(root, 'bin', 'factorlens.js'),
  'analyze',
  '--input',
  wideCsv,
  ...extra,
  '--output-format',
  'json',
  '--out',
  path.join(dataDir, 'bench_wide.json'),
];
cases.push({
  name: 'wide table, 5,000 columns x 1,000 rows, --group-by grp --metrics c1 (target under 2 s and 300 MB)',
  bare: 'wide',
  file: wideCsv,
  maxSeconds: 2,
  maxPeak: 300e6,
  args: wideArgs(['--group-by', 'grp', '--metrics', 'c1']),
});
cases.push({
  name: 'wide table, groups and metrics auto-detected (all 5,000 columns profiled; no target)',
  bare: 'wide',
  file: wideCsv,
  maxSeconds: Infinity,
  maxPeak: Infinity,
  args: wideArgs([]),
});
cases.push({
  name: 'analyze-suggest on the wide table (every column profiled: fill, distinct, numbers, dates, top values; target under 2 s and 300 MB)',
  bare: 'wide',
  file: wideCsv,
  maxSeconds: 2,
  maxPeak: 300e6,
  args: [
    path.join(root, 'bin', 'factorlens.js'),
    'analyze-suggest',
    '--input',
    wideCsv,
    '--output-format',
    'json',
    '--out',
    path.join(dataDir, 'bench_wide_suggest.json'),
  ],
});
// BENCH_CASES=median,period runs only those cases (sum, median, period, drivers, wide).
const only = process.env.BENCH_CASES?.split(',');
let allMet = true;
for (const c of cases.filter((x) => !only || only.includes(x.bare))) {
  // The CLI and the bare query in turn, so that a shared machine's drift hits both alike.
  const {
    a: cli,
    b: ref,
    ratio,
    ratios,
  } = await sideBySide(
    RUNS,
    { cmd: process.execPath, args: c.args ?? cliArgs(c.cli, `bench_${c.bare}.json`), options: { cwd: root } },
    { cmd: process.execPath, args: [bare, c.file ?? csv, c.bare], options: { cwd: root } },
  );
  const met =
    c.maxSeconds !== undefined
      ? cli.seconds < c.maxSeconds && cli.peak < c.maxPeak
      : ratio <= (c.limit ?? 1.5) && (c.limit ? true : cli.peak <= 400e6);
  allMet &&= met;
  process.stdout.write(`\n${c.name}\n${'what'.padEnd(48)}${'wall s'.padStart(9)}${'vs ref'.padStart(9)}${'peak MB'.padStart(10)}\n`);
  const rows = [
    ['bare DuckDB query (reference)', ref, 1],
    [c.args ? `factorlens ${c.args[1]} (CLI, process tree)` : 'factorlens analyze (CLI, whole process tree)', cli, ratio],
  ];
  for (const [label, r, x] of rows)
    process.stdout.write(
      `${label.padEnd(48)}${r.seconds.toFixed(2).padStart(9)}${`${x.toFixed(2)}x`.padStart(9)}${(r.peak / 1e6).toFixed(0).padStart(10)}\n`,
    );
  process.stdout.write(`ratio of each pair: ${ratios.map((x) => `${x.toFixed(2)}x`).join(', ')}\n`);
  const target =
    c.maxSeconds !== undefined
      ? Number.isFinite(c.maxSeconds)
        ? `targets (under ${c.maxSeconds} s and ${c.maxPeak / 1e6} MB)`
        : null
      : c.limit
        ? `target (within ${c.limit}x)`
        : 'targets (within 1.5x, under 400 MB)';
  if (target) process.stdout.write(`${target}: ${met ? 'met' : 'NOT met'}\n`);
}
process.stdout.write(`\nall targets ${allMet ? 'met' : 'NOT met'}\n`);

#!/usr/bin/env node
// `npm run bench`: speed and peak memory of `factorlens analyze` on a 5M-row CSV, side by side
// with a bare DuckDB query doing the same group-by. Figures only; nothing here is a test.
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { best, prng } from './bench-util.mjs';

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

async function timed(label, cmd, args) {
  return { label, ...(await best(RUNS, cmd, args, { cwd: root })) };
}

await generate();
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
  { name: 'period mode (month, current, anchor 2026-05-15)', bare: 'period', cli: ['--date-column', 'order_date', '--time-grain', 'month', '--period', 'current', '--anchor-date', '2026-05-15'] },
];

process.stdout.write(`\nanalyze: ${ROWS.toLocaleString('en-US')} rows, ${sizeMb.toFixed(0)} MB CSV, best of ${RUNS}\n`);
cases.push({
  name: 'analyze-drivers (month, current, anchor 2026-05-15; target within 2x)',
  bare: 'drivers',
  limit: 2,
  args: [path.join(root, 'bin', 'factorlens.js'), 'analyze-drivers', '--input', csv, '--metric', 'revenue_usd', '--date-column', 'order_date', '--period', 'current', '--anchor-date', '2026-05-15', '--output-format', 'json', '--out', path.join(dataDir, 'bench_drivers.json')],
});
let allMet = true;
for (const c of cases) {
  const ref = await timed('bare DuckDB query (reference)', process.execPath, [bare, csv, c.bare]);
  const cli = await timed(c.args ? 'factorlens analyze-drivers (CLI, process tree)' : 'factorlens analyze (CLI, whole process tree)', process.execPath, c.args ?? cliArgs(c.cli, `bench_${c.bare}.json`));
  const ratio = cli.seconds / ref.seconds;
  const met = ratio <= (c.limit ?? 1.5) && (c.limit ? true : cli.peak <= 400e6);
  allMet &&= met;
  process.stdout.write(`\n${c.name}\n${'what'.padEnd(48)}${'wall s'.padStart(9)}${'vs ref'.padStart(9)}${'peak MB'.padStart(10)}\n`);
  for (const r of [ref, cli]) {
    process.stdout.write(`${r.label.padEnd(48)}${r.seconds.toFixed(2).padStart(9)}${`${(r.seconds / ref.seconds).toFixed(2)}x`.padStart(9)}${(r.peak / 1e6).toFixed(0).padStart(10)}\n`);
  }
  process.stdout.write(`${c.limit ? `target (within ${c.limit}x)` : 'targets (within 1.5x, under 400 MB)'}: ${met ? 'met' : 'NOT met'}\n`);
}
process.stdout.write(`\nall targets ${allMet ? 'met' : 'NOT met'}\n`);

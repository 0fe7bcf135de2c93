#!/usr/bin/env node
// `npm run bench` (part): the speed and peak memory of the whole `factorlens analyze-segments`
// command on a 5M-row CSV with 5 dimensions, side by side with a bare DuckDB query (the same
// @duckdb/node-api the app uses) that builds the same cube with GROUP BY GROUPING SETS: every
// segment of one to three of the dimensions and every leaf, with the metric's sums on each side of
// the change (issue 14, §4: within 3x, under 500 MB). Figures only; nothing here is a test.
//
// The 5M-row file of `scripts/bench.mjs` (sales_v2) has four dimension columns (region, channel,
// product_line and the code plan_tier); this part generates its own file, the same columns with a
// fifth text dimension (customer_segment), so the other parts keep theirs.
//   BENCH_ROWS=5000000   rows of the generated file
//   BENCH_RUNS=3         pairs of runs (after one warm-up of each)
// `node scripts/bench-segments-speed.mjs --reference FILE` runs the reference query alone.
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng, sideBySide } from './bench-util.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench-data');
const ROWS = Number(process.env.BENCH_ROWS ?? 5_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const csv = path.join(dataDir, `sales_v3_${ROWS}.csv`);
const DIMENSIONS = ['region', 'channel', 'product_line', 'plan_tier', 'customer_segment'];
const MAX_DEPTH = 3;
// The whole file on one side or the other: 540 days from 2025-01-01.
const PREVIOUS = ['2025-01-01', '2025-09-30'];
const CURRENT = ['2025-10-01', '2026-06-30'];
const TARGET_RATIO = 3;
const TARGET_PEAK = 500e6;

/** The reference: one DuckDB query building the cube (every set of 1 to 3 dimensions, and the leaves). */
async function reference(file) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const rel = `read_csv('${file.replaceAll("'", "''")}', header = true)`;
  const sets = [];
  const grow = (start, picked) => {
    if (picked.length > 0) sets.push(picked);
    if (picked.length === MAX_DEPTH) return;
    for (let d = start; d < DIMENSIONS.length; d++) grow(d + 1, [...picked, DIMENSIONS[d]]);
  };
  grow(0, []);
  sets.push(DIMENSIONS);
  const side = `CASE WHEN order_date BETWEEN DATE '${PREVIOUS[0]}' AND DATE '${PREVIOUS[1]}' THEN 'base'
    WHEN order_date BETWEEN DATE '${CURRENT[0]}' AND DATE '${CURRENT[1]}' THEN 'new' END`;
  const sql = `SELECT ${DIMENSIONS.join(', ')},
      sum(revenue_usd) FILTER (WHERE side = 'base') AS n0, count(*) FILTER (WHERE side = 'base') AS r0,
      sum(revenue_usd) FILTER (WHERE side = 'new') AS n1, count(*) FILTER (WHERE side = 'new') AS r1
    FROM (SELECT *, ${side} AS side FROM ${rel}) WHERE side IS NOT NULL
    GROUP BY GROUPING SETS (${sets.map((s) => `(${s.join(', ')})`).join(', ')})`;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const reader = await conn.runAndReadAll(sql);
  process.stdout.write(`${reader.currentRowCount} cube rows (${sets.length} grouping sets)\n`);
}

/** The sales_v2 columns of scripts/bench.mjs plus customer_segment (8 values), seeded. */
async function generate() {
  if (existsSync(csv)) return;
  mkdirSync(dataDir, { recursive: true });
  process.stdout.write(`Generating ${ROWS.toLocaleString('en-US')} rows into ${path.relative(root, csv)} (once)…\n`);
  const rand = prng(43);
  const regions = ['US', 'EU', 'APAC', 'LATAM', 'MEA'];
  const channels = ['Direct', 'Partner', 'Marketplace'];
  const lines = ['Core', 'Premium', 'AddOn', 'Services'];
  const segments = ['Enterprise', 'Mid-Market', 'SMB', 'Startup', 'Public Sector', 'Education', 'Non-Profit', 'Consumer'];
  const out = createWriteStream(`${csv}.part`);
  out.write('order_date,region,channel,product_line,plan_tier,customer_segment,revenue_usd,cost_usd,orders,avg_price_usd\n');
  const start = Date.UTC(2025, 0, 1);
  let buf = '';
  for (let i = 0; i < ROWS; i++) {
    const dayIndex = Math.floor(rand() * 540);
    const day = new Date(start + dayIndex * 86_400_000).toISOString().slice(0, 10);
    const region = regions[Math.floor(rand() * 5)];
    const orders = 1 + Math.floor(rand() * 60);
    // A planted change: EU Partner orders are dearer in the second half.
    const lift = region === 'EU' && dayIndex >= 273 ? 1.15 : 1;
    const price = ((200 + rand() * 3000) * lift).toFixed(2);
    const revenue = ((orders * Math.round(Number(price) * 100)) / 100).toFixed(2);
    const cost = (Number(revenue) * (0.45 + rand() * 0.35)).toFixed(2);
    const channel = channels[Math.floor(rand() * 3)];
    const line = lines[Math.floor(rand() * 4)];
    const tier = rand() < 0.3 ? 1 : 0;
    const segment = segments[Math.floor(rand() * segments.length)];
    buf += `${day},${region},${channel},${line},${tier},${segment},${revenue},${cost},${orders},${price}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((r) => out.end(r));
  renameSync(`${csv}.part`, csv);
}

if (process.argv[2] === '--reference') {
  await reference(process.argv[3]);
} else {
  await generate();
  const sizeMb = statSync(csv).size / 1e6;
  const cli = [
    path.join(root, 'bin', 'factorlens.js'),
    'analyze-segments',
    '--input',
    csv,
    '--metric',
    'revenue_usd',
    '--dimensions',
    DIMENSIONS.join(','),
    '--max-depth',
    String(MAX_DEPTH),
    '--date-column',
    'order_date',
    '--previous-start',
    PREVIOUS[0],
    '--previous-end',
    PREVIOUS[1],
    '--current-start',
    CURRENT[0],
    '--current-end',
    CURRENT[1],
    '--output-format',
    'json',
    '--out',
    path.join(dataDir, 'bench_segments.json'),
  ];
  const {
    a: command,
    b: ref,
    ratio,
    ratios,
  } = await sideBySide(
    RUNS,
    { cmd: process.execPath, args: cli, options: { cwd: root } },
    { cmd: process.execPath, args: [fileURLToPath(import.meta.url), '--reference', csv], options: { cwd: root } },
  );
  process.stdout.write(
    `\nanalyze-segments: ${ROWS.toLocaleString('en-US')} rows, ${sizeMb.toFixed(0)} MB CSV, 5 dimensions (${DIMENSIONS.join(', ')}), ` +
      `depth ${MAX_DEPTH}, ${RUNS} run${RUNS === 1 ? '' : 's'} of each in turn (medians; peak memory of the whole process tree)\n`,
  );
  process.stdout.write(`${'what'.padEnd(64)}${'wall s'.padStart(9)}${'vs ref'.padStart(9)}${'peak MB'.padStart(10)}\n`);
  const rows = [
    ['bare DuckDB GROUP BY GROUPING SETS, the same cube (reference)', ref, 1],
    ['factorlens analyze-segments (CLI and engine, process tree)', command, ratio],
  ];
  for (const [label, r, x] of rows)
    process.stdout.write(
      `${label.padEnd(64)}${r.seconds.toFixed(2).padStart(9)}${`${x.toFixed(2)}x`.padStart(9)}${(r.peak / 1e6).toFixed(0).padStart(10)}\n`,
    );
  process.stdout.write(`ratio of each pair: ${ratios.map((x) => `${x.toFixed(2)}x`).join(', ')}\n`);
  const speedMet = ratio <= TARGET_RATIO;
  const memoryMet = command.peak < TARGET_PEAK;
  process.stdout.write(
    `target: within ${TARGET_RATIO}x of the reference: ${ratio.toFixed(2)}x, ${speedMet ? 'met' : 'NOT met'}; ` +
      `peak under ${TARGET_PEAK / 1e6} MB: ${(command.peak / 1e6).toFixed(0)} MB, ${memoryMet ? 'met' : 'NOT met'}\n`,
  );
}

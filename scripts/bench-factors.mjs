#!/usr/bin/env node
// `npm run bench` (second part): `factorlens factors fit` on 500 tickers x 2,520 weekdays, k = 5,
// side by side with a bare script that reads the same file, builds the correlation matrix and
// decomposes it fully (ml-matrix EigenvalueDecomposition); the fit finds only the top k
// eigenpairs (subspace iteration) and also validates, attributes and writes. Figures only.
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { best, prng } from './bench-util.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench-data');
const TICKERS = 500;
const DAYS = 2520;
const csv = path.join(dataDir, `prices_${TICKERS}x${DAYS}.csv`);

async function generate() {
  if (existsSync(csv)) return;
  mkdirSync(dataDir, { recursive: true });
  process.stdout.write(`Generating ${TICKERS} tickers x ${DAYS} weekdays into ${path.relative(root, csv)} (once)…\n`);
  const rand = prng(7);
  const gauss = () => rand() + rand() + rand() + rand() - 2;
  // Five planted factors with random loadings, plus specific noise.
  const beta = Array.from({ length: TICKERS }, () => Array.from({ length: 5 }, (_, f) => (f === 0 ? 0.6 + rand() : rand() - 0.5)));
  const close = Array.from({ length: TICKERS }, () => 20 + rand() * 200);
  const out = createWriteStream(`${csv}.part`);
  out.write('date,ticker,close\n');
  let day = Date.UTC(2015, 0, 5);
  for (let t = 0; t < DAYS; t++) {
    while ([0, 6].includes(new Date(day).getUTCDay())) day += 86_400_000;
    const date = new Date(day).toISOString().slice(0, 10);
    const f = Array.from({ length: 5 }, (_, k) => gauss() * (k === 0 ? 0.02 : 0.01));
    let buf = '';
    for (let i = 0; i < TICKERS; i++) {
      if (t > 0) close[i] *= Math.exp(beta[i].reduce((s, b, k) => s + b * f[k], 0) + gauss() * 0.015);
      buf += `${date},T${String(i).padStart(3, '0')},${close[i].toFixed(4)}\n`;
    }
    if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
    day += 86_400_000;
  }
  await new Promise((r) => out.end(r));
  renameSync(`${csv}.part`, csv);
}

const measure = (args) => best(1, process.execPath, args, { cwd: root });

await generate();
const fitOut = path.join(dataDir, 'bench_factors');
const fit = await measure([path.join(root, 'bin', 'factorlens.js'), 'factors', 'fit', '--prices', csv, '--k', '5', '--out', fitOut]);
const ref = await measure([path.join(root, 'scripts', 'bench-factors-ref.mjs'), csv]);
const refTimes = JSON.parse(ref.out.trim().split('\n').at(-1));
process.stdout.write(`\nfactors fit: ${TICKERS} tickers x ${DAYS} days, k = 5\n`);
process.stdout.write(`${'what'.padEnd(58)}${'wall s'.padStart(9)}${'peak MB'.padStart(10)}\n`);
process.stdout.write(`${'factorlens factors fit (CLI: read, returns, PCA, artifacts)'.padEnd(58)}${fit.seconds.toFixed(2).padStart(9)}${(fit.peak / 1e6).toFixed(0).padStart(10)}\n`);
process.stdout.write(`${'reference: read + correlation + full eigendecomposition'.padEnd(58)}${ref.seconds.toFixed(2).padStart(9)}${(ref.peak / 1e6).toFixed(0).padStart(10)}\n`);
process.stdout.write(`${'  of which the full eigendecomposition alone'.padEnd(58)}${refTimes.eigen.toFixed(2).padStart(9)}\n`);
const k = /k = (\d+)/.exec(fit.out)?.[1];
const ratio = fit.seconds / ref.seconds;
process.stdout.write(`fit kept k = ${k}; the whole fit is ${ratio.toFixed(2)}x the reference; target (within 2x, with validation, attribution and artifacts): ${ratio <= 2 ? 'met' : 'NOT met'}\n`);

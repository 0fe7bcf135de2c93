#!/usr/bin/env node
// `npm run bench` (second part): `factorlens factors fit` on 500 tickers x 2,520 weekdays, k = 5,
// side by side with the same fit done the usual Python way (pandas read_csv, pivot, log returns,
// standardise, scikit-learn PCA: scripts/bench-factors-sklearn.py), whole process against whole
// process. Where Python with scikit-learn and pandas is not importable, the reference is the same
// steps in a bare Node script with ml-matrix (scripts/bench-factors-ref.mjs), and the output says
// so. Figures only.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng, sideBySide } from './bench-util.mjs';

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

/**
 * The first Python that imports scikit-learn and pandas (BENCH_PYTHON, python3, the system's), with
 * its versions; BENCH_PYTHON=none takes the Node reference.
 */
function findSklearn() {
  if (process.env.BENCH_PYTHON === 'none') return { python: null, why: 'BENCH_PYTHON=none' };
  const tried = [];
  for (const python of [process.env.BENCH_PYTHON, 'python3', '/usr/bin/python3', 'python'].filter(Boolean)) {
    const r = spawnSync(
      python,
      ['-c', 'import platform, sklearn, pandas; print(platform.python_version(), sklearn.__version__, pandas.__version__)'],
      { encoding: 'utf8' },
    );
    if (r.status === 0) {
      const [py, sk, pd] = r.stdout.trim().split(' ');
      return { python, label: `scikit-learn ${sk} (Python ${py}, pandas ${pd})` };
    }
    tried.push(`${python}: ${r.error ? 'not found' : (r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`)}`);
  }
  return { python: null, why: tried.join('; ') };
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const K = 5;
await generate();
const sk = findSklearn();
const reference = sk.python
  ? {
      cmd: sk.python,
      args: [path.join(root, 'scripts', 'bench-factors-sklearn.py'), csv, String(K)],
      label: `reference: ${sk.label}`,
      steps: 'pandas read_csv and pivot, log returns, StandardScaler, PCA(5)',
    }
  : {
      cmd: process.execPath,
      args: [path.join(root, 'scripts', 'bench-factors-ref.mjs'), csv, String(K)],
      label: 'reference: Node with ml-matrix',
      steps: 'read, pivot, log returns, standardise, correlation matrix, full eigendecomposition',
    };
if (!sk.python)
  process.stdout.write(`\nscikit-learn is not importable here (${sk.why}); the reference is the same steps in Node with ml-matrix.\n`);
const fitOut = path.join(dataDir, 'bench_factors');
const fit = {
  cmd: process.execPath,
  args: [path.join(root, 'bin', 'factorlens.js'), 'factors', 'fit', '--prices', csv, '--k', String(K), '--out', fitOut],
  options: { cwd: root },
};
const { a, b, ratio, ratios } = await sideBySide(RUNS, fit, { ...reference, options: { cwd: root } });

const refFigures = JSON.parse(b.out.trim().split('\n').at(-1));
const fitShares = [...a.out.matchAll(/factor_\d+: ([\d.]+)% of variance/g)].map((m) => Number(m[1]));
process.stdout.write(
  `\nfactors fit: ${TICKERS} tickers x ${DAYS} days, k = ${K}, ${RUNS} run${RUNS === 1 ? '' : 's'} of each in turn (medians; peak memory of the whole process tree)\n`,
);
process.stdout.write(`${'what'.padEnd(72)}${'wall s'.padStart(9)}${'vs ref'.padStart(9)}${'peak MB'.padStart(10)}\n`);
process.stdout.write(
  `${'factorlens factors fit (whole CLI, artifacts written)'.padEnd(72)}${a.seconds.toFixed(2).padStart(9)}${`${ratio.toFixed(2)}x`.padStart(9)}${(a.peak / 1e6).toFixed(0).padStart(10)}\n`,
);
process.stdout.write(
  `${reference.label.padEnd(72)}${b.seconds.toFixed(2).padStart(9)}${'1.00x'.padStart(9)}${(b.peak / 1e6).toFixed(0).padStart(10)}\n`,
);
process.stdout.write(`the reference's steps: ${reference.steps}\n`);
process.stdout.write(`ratio of each pair: ${ratios.map((r) => `${r.toFixed(2)}x`).join(', ')}\n`);
const refShares = refFigures.explained_variance_ratio.map((v) => Number((v * 100).toFixed(2)));
process.stdout.write(
  `explained variance (%): fit ${fitShares.join(', ')}; reference ${refShares.join(', ')}${fitShares.every((v, i) => Math.abs(v - refShares[i]) <= 0.01) ? ' (same)' : ' (DIFFERENT)'}\n`,
);
const met = ratio <= 1.5 && a.peak <= 500e6;
process.stdout.write(`targets (within 1.5x of the reference, under 500 MB): ${met ? 'met' : 'NOT met'}\n`);

// Fallback reference for bench-factors.mjs (where scikit-learn is not importable): the same steps
// as the Python reference in a bare Node script. Read the long prices file (date order, as the
// bench writes it), pivot to one price series per ticker, daily log returns, standardise, build
// the correlation matrix and decompose it fully with ml-matrix. Prints one JSON line: the top-k
// explained variance ratios and the seconds of the decomposition.
import { readFileSync } from 'node:fs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

const [file, kText = '5'] = process.argv.slice(2);
const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
const byTicker = new Map();
for (const line of lines) {
  const [, ticker, close] = line.split(',');
  if (!byTicker.has(ticker)) byTicker.set(ticker, []);
  byTicker.get(ticker).push(Number(close));
}
const cols = [...byTicker.values()].map((p) => {
  const r = new Float64Array(p.length - 1);
  for (let i = 1; i < p.length; i++) r[i - 1] = Math.log(p[i] / p[i - 1]);
  const m = r.reduce((a, b) => a + b, 0) / r.length;
  const s = Math.sqrt(r.reduce((a, v) => a + (v - m) ** 2, 0) / (r.length - 1));
  return r.map((v) => (v - m) / s);
});
const n = cols.length;
const T = cols[0].length;
const C = new Matrix(n, n);
for (let i = 0; i < n; i++) {
  for (let j = i; j < n; j++) {
    let s = 0;
    for (let t = 0; t < T; t++) s += cols[i][t] * cols[j][t];
    C.set(i, j, s / (T - 1));
    C.set(j, i, s / (T - 1));
  }
}
const t0 = performance.now();
const e = new EigenvalueDecomposition(C, { assumeSymmetric: true });
const eigen = (performance.now() - t0) / 1000;
const top = [...e.realEigenvalues].sort((a, b) => b - a).slice(0, Number(kText));
console.log(JSON.stringify({ explained_variance_ratio: top.map((v) => v / C.trace()), seconds: { eigen } }));

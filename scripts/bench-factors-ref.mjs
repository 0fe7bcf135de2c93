#!/usr/bin/env node
// Reference for bench-factors.mjs: read the prices, build the correlation matrix of log returns,
// decompose it fully with ml-matrix. Prints {"eigen": seconds} as its last line.
import { readFileSync } from 'node:fs';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

const lines = readFileSync(process.argv[2], 'utf8').trim().split('\n').slice(1);
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
for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
  let s = 0;
  for (let t = 0; t < T; t++) s += cols[i][t] * cols[j][t];
  C.set(i, j, s / (T - 1));
  C.set(j, i, s / (T - 1));
}
const t0 = performance.now();
const e = new EigenvalueDecomposition(C, { assumeSymmetric: true });
const eigen = (performance.now() - t0) / 1000;
if (e.realEigenvalues.length !== n) process.exit(1);
console.log(JSON.stringify({ eigen }));

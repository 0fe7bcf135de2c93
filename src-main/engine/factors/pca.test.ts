import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { noiseEdge, topEigen } from './pca';

function randomCorrelation(n: number, t: number, seed: number): Matrix {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const f = Array.from({ length: t }, () => [rand(), rand()]);
  const X = Matrix.from1DArray(
    t,
    n,
    Array.from({ length: t * n }, (_, idx) => {
      const i = Math.floor(idx / n);
      const j = idx % n;
      return f[i]![0]! * (j % 3) + f[i]![1]! * (j % 2) + rand();
    }),
  );
  const means = X.mean('column');
  const sds = X.standardDeviation('column');
  const Z = X.clone();
  for (let i = 0; i < t; i++) for (let j = 0; j < n; j++) Z.set(i, j, (X.get(i, j) - means[j]!) / sds[j]!);
  return Z.transpose()
    .mmul(Z)
    .div(t - 1);
}

describe('top eigenpairs', () => {
  it('satisfy C v = λ v with unit vectors, on a 60 x 60 correlation matrix (subspace iteration)', () => {
    const C = randomCorrelation(60, 250, 3);
    const { values, vectors } = topEigen(C, 4);
    for (let j = 0; j < 4; j++) {
      const v = vectors.getColumnVector(j);
      const Cv = C.mmul(v);
      for (let i = 0; i < 60; i++) expect(Cv.get(i, 0)).toBeCloseTo(values[j]! * v.get(i, 0), 8);
      expect(v.norm()).toBeCloseTo(1, 10);
      // Deterministic sign: the largest loading is positive.
      const col = vectors.getColumn(j);
      expect(col.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0)).toBeGreaterThan(0);
    }
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });

  it('a known 2 x 2 case: [[1, 0.6], [0.6, 1]] has eigenvalues 1.6 and 0.4', () => {
    const { values, vectors } = topEigen(
      new Matrix([
        [1, 0.6],
        [0.6, 1],
      ]),
      2,
    );
    expect(values[0]).toBeCloseTo(1.6, 12);
    expect(values[1]).toBeCloseTo(0.4, 12);
    expect(Math.abs(vectors.get(0, 0))).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('Marchenko-Pastur edge', () => {
    expect(noiseEdge(100, 400)).toBeCloseTo(2.25, 12);
  });
});

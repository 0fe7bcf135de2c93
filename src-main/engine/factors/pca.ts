import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';

/**
 * The top-k eigenpairs of a symmetric positive semi-definite matrix by subspace (orthogonal)
 * iteration with a Rayleigh-Ritz step: it costs O(n² k) per iteration, so a 500 x 500 correlation
 * matrix with k = 5 never needs a full decomposition. Eigenvector signs are made deterministic:
 * the largest loading (by absolute value) is positive.
 */
export function topEigen(C: Matrix, k: number, seed = 1): { values: number[]; vectors: Matrix } {
  const n = C.rows;
  const m = Math.min(n, k + Math.min(10, Math.max(2, k)));
  if (m >= n || n <= 12) return fullEigen(C, k);
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const rows = Array.from({ length: n }, (_, i) => Float64Array.from(C.getRow(i)));
  let Q = new QrDecomposition(Matrix.from1DArray(n, m, Array.from({ length: n * m }, rand))).orthogonalMatrix;
  let CQ = times(rows, Q);
  for (let it = 0; it < 2000; it++) {
    Q = new QrDecomposition(CQ).orthogonalMatrix;
    // C Q serves this step's Rayleigh-Ritz and the next step's iteration.
    CQ = times(rows, Q);
    const { values, vectors } = ritz(CQ, Q, k);
    // Converged when every wanted pair satisfies C v = λ v to working precision.
    const R = times(rows, vectors).sub(vectors.mmul(Matrix.diag(values)));
    let worst = 0;
    for (let j = 0; j < k; j++) worst = Math.max(worst, R.getColumnVector(j).norm() / Math.max(1, Math.abs(values[j]!)));
    if (worst < 1e-12 || it === 1999) return signed(values, vectors);
  }
  return signed(...(Object.values(ritz(CQ, Q, k)) as [number[], Matrix]));
}

/**
 * C B for a symmetric C given by its rows, summed in the same order as ml-matrix's mmul (so the
 * numbers are the same to the last bit), on typed arrays: the iteration's one costly product.
 */
function times(rows: Float64Array[], B: Matrix): Matrix {
  const n = rows.length;
  const out = new Matrix(n, B.columns);
  const col = new Float64Array(n);
  for (let j = 0; j < B.columns; j++) {
    for (let i = 0; i < n; i++) col[i] = B.get(i, j);
    for (let i = 0; i < n; i++) {
      const row = rows[i]!;
      let sum = 0;
      for (let t = 0; t < n; t++) sum += row[t]! * col[t]!;
      out.set(i, j, sum);
    }
  }
  return out;
}

/**
 * Rayleigh-Ritz: the best k eigenpairs of C within the span of Q, from C Q. Q'C is (C Q)' for a
 * symmetric C, term by term, so Q'C Q needs no second product with C.
 */
function ritz(CQ: Matrix, Q: Matrix, k: number): { values: number[]; vectors: Matrix } {
  const e = new EigenvalueDecomposition(CQ.transpose().mmul(Q), { assumeSymmetric: true });
  const order = e.realEigenvalues
    .map((v, i) => ({ v, i }))
    .sort((a, b) => b.v - a.v)
    .slice(0, k);
  const V = Q.mmul(e.eigenvectorMatrix);
  const n = Q.rows;
  return {
    values: order.map((o) => o.v),
    vectors: Matrix.from1DArray(
      n,
      k,
      Array.from({ length: n * k }, (_, idx) => V.get(Math.floor(idx / k), order[idx % k]!.i)),
    ),
  };
}

function fullEigen(C: Matrix, k: number): { values: number[]; vectors: Matrix } {
  const e = new EigenvalueDecomposition(C, { assumeSymmetric: true });
  const order = e.realEigenvalues
    .map((v, i) => ({ v, i }))
    .sort((a, b) => b.v - a.v)
    .slice(0, k);
  const n = C.rows;
  return signed(
    order.map((o) => o.v),
    Matrix.from1DArray(
      n,
      order.length,
      Array.from({ length: n * order.length }, (_, idx) =>
        e.eigenvectorMatrix.get(Math.floor(idx / order.length), order[idx % order.length]!.i),
      ),
    ),
  );
}

/** Flips each eigenvector so that its largest absolute loading is positive. */
function signed(values: number[], V: Matrix): { values: number[]; vectors: Matrix } {
  for (let j = 0; j < V.columns; j++) {
    let best = 0;
    for (let i = 0; i < V.rows; i++) if (Math.abs(V.get(i, j)) > Math.abs(V.get(best, j))) best = i;
    if (V.get(best, j) < 0) for (let i = 0; i < V.rows; i++) V.set(i, j, -V.get(i, j));
  }
  return { values, vectors: V };
}

/** Marchenko-Pastur upper edge for a correlation matrix of n assets over t observations. */
export function noiseEdge(n: number, t: number): number {
  return (1 + Math.sqrt(n / t)) ** 2;
}

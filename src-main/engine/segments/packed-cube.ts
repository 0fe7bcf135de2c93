import { AppError } from '../../../src-shared/errors';
import type { Leaf, MetricKind } from './cube';

/**
 * The cube's leaves in a compact form that travels from the engine to the workbench and is kept
 * with the run, so the decomposition tree can split any node later without reading the table
 * again. Each dimension's values are listed once; a leaf names its values by their index there.
 * The artifact stays small: the cube is kept beside it, never in it.
 */
export interface PackedCube {
  version: 1;
  kind: MetricKind;
  dimensions: string[];
  /** Per dimension, its distinct values. */
  values: string[][];
  /** Per leaf, one index into `values[d]` per dimension (leaf-major: leaf i's codes are codes[i * dims .. + dims]). */
  codes: number[];
  num0: number[];
  den0: number[];
  num1: number[];
  den1: number[];
}

export function packCube(kind: MetricKind, dimensions: readonly string[], leaves: readonly Leaf[]): PackedCube {
  const index = dimensions.map(() => new Map<string, number>());
  const values: string[][] = dimensions.map(() => []);
  const codes: number[] = [];
  for (const leaf of leaves) {
    dimensions.forEach((_, d) => {
      const v = leaf.values[d]!;
      let code = index[d]!.get(v);
      if (code === undefined) {
        code = values[d]!.length;
        values[d]!.push(v);
        index[d]!.set(v, code);
      }
      codes.push(code);
    });
  }
  return {
    version: 1,
    kind,
    dimensions: [...dimensions],
    values,
    codes,
    num0: leaves.map((l) => l.num0),
    den0: leaves.map((l) => l.den0),
    num1: leaves.map((l) => l.num1),
    den1: leaves.map((l) => l.den1),
  };
}

const damaged = (detail: string) =>
  new AppError(
    'FILE_UNREADABLE',
    `the decomposition data kept with this run cannot be read (${detail})`,
    'Run the analysis again: a new run keeps it afresh.',
  );

const numbers = (v: unknown, n: number): v is number[] =>
  Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x));

/** The leaves back from their packed form, checked: a cube that does not fit is refused, not half read. */
export function unpackCube(raw: unknown): { kind: MetricKind; dimensions: string[]; leaves: Leaf[] } {
  const c = raw as Partial<PackedCube> | null;
  if (typeof c !== 'object' || c === null || c.version !== 1) throw damaged('unknown format');
  if (c.kind !== 'sum' && c.kind !== 'ratio') throw damaged('unknown metric kind');
  const dims = c.dimensions;
  if (!Array.isArray(dims) || !dims.every((d) => typeof d === 'string')) throw damaged('no dimensions');
  const values = c.values;
  if (
    !Array.isArray(values) ||
    values.length !== dims.length ||
    !values.every((v) => Array.isArray(v) && v.every((x) => typeof x === 'string'))
  )
    throw damaged('no values');
  const n = Array.isArray(c.num0) ? c.num0.length : -1;
  if (!numbers(c.num0, n) || !numbers(c.den0, n) || !numbers(c.num1, n) || !numbers(c.den1, n)) throw damaged('numbers missing');
  const codes = c.codes;
  if (!Array.isArray(codes) || codes.length !== n * dims.length) throw damaged('codes missing');
  const leaves: Leaf[] = [];
  for (let i = 0; i < n; i++) {
    const own: string[] = [];
    for (let d = 0; d < dims.length; d++) {
      const v = values[d]![codes[i * dims.length + d]!];
      if (v === undefined) throw damaged('a code out of range');
      own.push(v);
    }
    leaves.push({ values: own, num0: c.num0[i]!, den0: c.den0[i]!, num1: c.num1[i]!, den1: c.den1[i]! });
  }
  return { kind: c.kind, dimensions: dims, leaves };
}

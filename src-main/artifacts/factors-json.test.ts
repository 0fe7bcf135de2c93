import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FactorsArtifact } from '../../src-shared/artifacts/factors';
import { runFit } from '../engine/factors/fit';
import { factorsJson as pieces } from './factors-json';

const prices = path.resolve(__dirname, '../../data/prices.csv');
const factorsJson = (a: FactorsArtifact) => [...pieces(a)].join('');
const fit = () => runFit({ prices, k: 3, kAuto: false, portfolio: null, holdings: null, includeWeekends: false, missing: 'common' });
/** The artifact with plain number rows, as JSON.stringify writes it. */
const plain = (a: FactorsArtifact, rows = a.model.standardized_returns!.map((r) => Array.from(r))) => `${JSON.stringify({ ...a, model: { ...a.model, standardized_returns: rows } }, null, 2)}\n`;

describe('factors.json text', () => {
  it('is byte for byte what JSON.stringify writes, from the typed rows of a fit', async () => {
    const a = await fit();
    expect(a.model.standardized_returns![0]).toBeInstanceOf(Float64Array);
    expect(a.model.standardized_returns).toHaveLength(63);
    const text = factorsJson(a);
    expect(text).toBe(plain(a));
    // Written in pieces: the text before the rows, the rows 64 at a time, the text after them.
    expect([...pieces(a)]).toHaveLength(1 + 1 + 1 + 1);
    const long = { ...a, model: { ...a.model, standardized_returns: Array.from({ length: 130 }, (_, t) => Float64Array.of(t / 7, -t)) } };
    expect([...pieces(long)]).toHaveLength(1 + 3 + 1 + 1);
    expect([...pieces(long)].join('')).toBe(plain(long));
    expect((JSON.parse(text) as FactorsArtifact).model.standardized_returns![5]).toEqual(Array.from(a.model.standardized_returns![5]!));
  });

  it('writes number rows, empty rows and non-finite values as JSON does', async () => {
    const a = await fit();
    const rows = [[1.5, -0, 1e21, 5e-324], [], [Number.NaN, Number.POSITIVE_INFINITY, 2]];
    expect(factorsJson({ ...a, model: { ...a.model, standardized_returns: rows } })).toBe(plain(a, rows));
    expect(factorsJson({ ...a, model: { ...a.model, standardized_returns: rows.map((r) => Float64Array.from(r)) } })).toBe(plain(a, rows));
    expect(factorsJson({ ...a, model: { ...a.model, standardized_returns: [] } })).toBe(plain(a, []));
    const { standardized_returns: _rows, ...model } = a.model;
    expect(factorsJson({ ...a, model })).toBe(`${JSON.stringify({ ...a, model }, null, 2)}\n`);
  });
});

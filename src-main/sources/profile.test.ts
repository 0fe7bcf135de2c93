import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvRelation, inspectCsv } from './csv';
import { readCsvSample, sampleCell } from './csv-sample';
import { duckdbDialect } from './dialect';
import { queryRows, withConnection } from './duckdb';
import { profileInSql, profileTable } from './profile';

const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-profile-'));
const write = (name: string, body: string | Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
};

/** The profile read in JavaScript (or by DuckDB when the file is not plain CSV) and the profile in SQL. */
async function bothProfiles(file: string) {
  const table = await inspectCsv(file);
  return withConnection(async (conn) => ({
    js: await profileTable(conn, table),
    sql: await profileInSql((q) => queryRows(conn, q), csvRelation(table), table.columns, duckdbDialect, table.path),
    plain: (await readCsvSample(table, [0], 2000)) !== null,
  }));
}

const tricky = [
  'name,amount,when,flag,note',
  '"Smith, J",1,2026-01-07,1,"said ""hi"""',
  'Lee,"1,000",01/07/2026,0,',
  ' Ann ,$7,Mar 4 2026,1,"two',
  'lines"',
  'Bo,NaN,13.02.2026,0,  ',
  'Cy,1e309,20260105,1,x',
  'Di,1_000,soon,0,x',
  'Ed,inf,2026-02-30,1,"x"',
  'Fa,\t12,,0,"  "',
  'Gu,-Infinity,2026/1/3,1,y',
  'Ha,,4 March 2026,0,z',
].join('\n');

describe('the column profile', () => {
  it('is the same read in JavaScript as in SQL: the demo data, the fixtures and tricky cells (quotes, NaN, dates, 1_000)', async () => {
    const files = [
      'data/factorlens_demo_sales.csv',
      'data/factorlens_demo_sales_150.csv',
      'data/demo_revenue_residual.csv',
      'data/prices.csv',
      'tests/fixtures/small.csv',
    ].map((f) => path.join(root, f));
    for (const file of [...files, write('tricky.csv', tricky), write('tricky-crlf.csv', tricky.replaceAll('\n', '\r\n') + '\r\n')]) {
      const { js, sql, plain } = await bothProfiles(file);
      expect(plain).toBe(true);
      expect([file, js]).toEqual([file, sql]);
    }
  });

  it('counts NaN, infinities and overflows as non-finite numbers, neither numbers nor text values', async () => {
    const { js } = await bothProfiles(write('tricky2.csv', tricky));
    const amount = js.columns.find((c) => c.name === 'amount')!;
    // 1, 1,000, $7, 1_000, \t12 are numbers; NaN, 1e309, inf, -Infinity are not finite.
    expect(amount).toMatchObject({ filled: 9, numeric: 5, nonFinite: 4, distinctText: 0, type: 'number' });
    const when = js.columns.find((c) => c.name === 'when')!;
    // Date cells: 2026-01-07, 01/07/2026, Mar 4 2026, 13.02.2026, 2026/1/3, 4 March 2026 (not 20260105, soon, 2026-02-30).
    expect(when).toMatchObject({ filled: 9, dateLike: 6, type: 'text' });
  });

  it('files that are not plain CSV are profiled by DuckDB, with the same counts', async () => {
    const files = [
      write('blank-line.csv', 'a,b\n1,x\n\n2,y\n'),
      write('mixed-ends.csv', 'a,b\n1,x\r\n2,y\n'),
      write('stray-quote.csv', 'a,b\n1,x"y\n2,y\n'),
    ];
    for (const file of files) {
      const { js, sql, plain } = await bothProfiles(file).catch((err: Error) => ({ js: err.message, sql: err.message, plain: false }));
      expect(plain).toBe(false);
      expect([file, js]).toEqual([file, sql]);
    }
    // DuckDB's own errors come through, as before.
    await expect(bothProfiles(write('ragged.csv', 'a,b\n1,x\n2,y,z\n'))).rejects.toMatchObject({ code: 'RAGGED_ROW' });
    // A Windows file with a bare LF line at its end: DuckDB's parser stops; the error says why and what to do.
    await expect(bothProfiles(write('crlf-then-lf.csv', 'a,b\r\n1,x\r\n2,y\r\n\n'))).rejects.toMatchObject({
      code: 'FILE_UNREADABLE',
      message: expect.stringContaining('mixes line endings'),
    });
    await expect(bothProfiles(write('latin1.csv', Buffer.from('a,b\n1,caf\xe9\n', 'latin1')))).rejects.toMatchObject({
      code: 'BAD_ENCODING',
    });
  });

  it('profiles only the columns asked for, with the counts of the full profile', async () => {
    const table = await inspectCsv(path.join(root, 'data/factorlens_demo_sales.csv'));
    await withConnection(async (conn) => {
      const full = await profileTable(conn, table);
      const some = await profileTable(conn, table, ['region', 'revenue_usd']);
      expect(some.columns).toEqual(full.columns.filter((c) => c.name === 'region' || c.name === 'revenue_usd'));
      expect(some.sampleRows).toBe(100);
    });
  });

  it('reads the sample as DuckDB does: BOM, quotes, line breaks in quotes, empty fields, the first rows only', async () => {
    const file = write('bom.csv', '\uFEFFa,b,c\r\n"x, ""q""",,"line\r\nbreak"\r\n2,"",3\r\n3,z,4\r\n');
    const table = await inspectCsv(file);
    const sample = (await readCsvSample(table, [0, 1, 2], 2))!;
    expect(sample.rows).toBe(2);
    const cells = [0, 1].map((row) => [0, 1, 2].map((slot) => sampleCell(sample, slot, row)));
    expect(cells).toEqual([
      ['x, "q"', null, 'line\r\nbreak'],
      ['2', null, '3'],
    ]);
    const viaDuckdb = await withConnection((conn) => queryRows(conn, `SELECT a, b, c FROM ${csvRelation(table)} LIMIT 2`));
    expect(viaDuckdb.map((r) => [r.a, r.b, r.c])).toEqual(cells);
  });
});

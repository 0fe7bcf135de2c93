import { describe, expect, it } from 'vitest';
import { DATE_CELLS, NUMBER_CELLS } from '../../tests/fixtures/cell-battery';
import { cellNumber, isDateCell, isNonFiniteNumber } from './cells';
import { dayMonthOrder, readDate, type DayMonthOrder } from './dates';
import { duckdbDialect as d } from './dialect';
import { queryRows, withConnection } from './duckdb';
import { quoteLiteral } from './sql';

/** Evaluates SQL expressions of the column `v` over the cells, in DuckDB; one result row per cell, in order. */
function inDuckdb(cells: string[], exprs: Record<string, string>) {
  const list = `[${cells.map(quoteLiteral).join(', ')}]::VARCHAR[]`;
  const cols = Object.entries(exprs)
    .map(([k, e]) => `${e} AS ${k}`)
    .join(', ');
  return withConnection((conn) =>
    queryRows(conn, `SELECT i, ${cols} FROM (SELECT unnest(range(${cells.length})) AS i, unnest(${list}) AS v) AS t ORDER BY i`),
  );
}
const iso = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? null : String(v));
const ORDERS: DayMonthOrder[] = ['month-first', 'day-first', 'by-separator'];

describe('the date rule', () => {
  it('reads the common forms, with the day/month order of the column', () => {
    const cases: [string, DayMonthOrder, string | null][] = [
      ['2026-01-07', 'by-separator', '2026-01-07'],
      ['2026-1-7 10:00', 'by-separator', '2026-01-07'],
      ['2026-01-07T10:00:00Z', 'day-first', '2026-01-07'],
      ['2026/1/3', 'by-separator', '2026-01-03'],
      ['01/07/2026', 'month-first', '2026-01-07'],
      ['01/07/2026', 'day-first', '2026-07-01'],
      ['01/07/2026', 'by-separator', '2026-01-07'],
      ['02.01.2026', 'by-separator', '2026-01-02'],
      ['02.01.2026', 'month-first', '2026-02-01'],
      ['13/02/2026', 'month-first', null],
      ['March 4 2026', 'by-separator', '2026-03-04'],
      ['Mar 4, 2026', 'by-separator', '2026-03-04'],
      ['15 February 2026', 'by-separator', '2026-02-15'],
      ['04-Mar-2026', 'by-separator', '2026-03-04'],
      ['20260105', 'by-separator', '2026-01-05'],
      ['2026-02-30', 'by-separator', null],
      ['2024-02-29', 'by-separator', '2024-02-29'],
      ['0000-01-01', 'by-separator', null],
      ['01/07/26', 'by-separator', null],
      ['soon', 'by-separator', null],
    ];
    for (const [cell, order, want] of cases) expect([cell, order, readDate(cell, order)]).toEqual([cell, order, want]);
  });

  it('DuckDB reads every cell of the list as the JavaScript rule does, in each order (the plain cast of YYYY-MM-DD included)', async () => {
    const rows = await inDuckdb(DATE_CELLS, Object.fromEntries(ORDERS.map((o, i) => [`d${i}`, d.date('v', o)])));
    for (const row of rows) {
      const cell = DATE_CELLS[Number(row.i)]!;
      ORDERS.forEach((o, k) => expect([cell, o, iso(row[`d${k}`])]).toEqual([cell, o, readDate(cell, o)]));
    }
  });

  it("the profile's date cells: any form but bare digits, in either order; in DuckDB as in JavaScript", async () => {
    const rows = await inDuckdb(DATE_CELLS, { l: d.dateLike('v') });
    for (const row of rows) {
      const cell = DATE_CELLS[Number(row.i)]!;
      expect([cell, row.l === true]).toEqual([cell, cell.trim() !== '' && isDateCell(cell)]);
    }
    expect(isDateCell('20260105')).toBe(false);
    expect(isDateCell('13/02/2026')).toBe(true);
    expect(isDateCell('02/13/2026')).toBe(true);
  });

  it('a cell proves the day/month order only when one order is impossible; proof of one order decides', async () => {
    const cells = ['13/02/2026', '02/13/2026', '13.02.2026', '01/07/2026', '31/31/2026', '2026-01-13', 'x/13/2026', ''];
    const rows = await inDuckdb(cells, { p: d.dayMonthProof('v') });
    expect(rows.map((r) => r.p)).toEqual([1, 2, 1, null, null, null, null, null]);
    expect(dayMonthOrder({ dayFirst: true, monthFirst: false })).toBe('day-first');
    expect(dayMonthOrder({ dayFirst: false, monthFirst: true })).toBe('month-first');
    expect(dayMonthOrder({ dayFirst: true, monthFirst: true })).toBe('by-separator');
    expect(dayMonthOrder({ dayFirst: false, monthFirst: false })).toBe('by-separator');
  });
});

describe('the number rule in JavaScript (the sample profile) and in DuckDB', () => {
  it('gives the same numbers, and the same NaN/infinite/too-large cells; what only DuckDB can judge is asked of it', async () => {
    const rows = await inDuckdb(NUMBER_CELLS, { n: d.number('v'), z: d.nonFinite('v') });
    let asked = 0;
    for (const row of rows) {
      const cell = NUMBER_CELLS[Number(row.i)]!;
      const js = cellNumber(cell);
      if (js === 'ask') {
        asked++;
        continue;
      }
      expect([cell, js]).toEqual([cell, row.n === null ? null : Number(row.n)]);
      expect([cell, js === null && isNonFiniteNumber(cell)]).toEqual([cell, row.z === true]);
    }
    expect(asked).toBeGreaterThan(0);
    const z = (cell: string) => rows.find((r) => NUMBER_CELLS[Number(r.i)] === cell)!.z;
    for (const cell of ['NaN', 'nan', 'inf', '-Infinity', '1e309', '-1e309', '1.8e308', ' NaN ', '$inf'])
      expect([cell, z(cell)]).toEqual([cell, true]);
    for (const cell of ['1', 'abc', '', '1e-400', '1.7976931348623157e308']) expect([cell, z(cell)]).toEqual([cell, false]);
  });
});

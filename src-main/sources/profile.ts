import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';
import { cellNumber, isDateCell, isNonFiniteNumber } from './cells';
import { csvRelation, csvScanError, type CsvTable } from './csv';
import { readCsvSample, sampleCell, type CsvSample } from './csv-sample';
import { trimSpaces } from './dates';
import { duckdbDialect, type SqlDialect } from './dialect';
import { queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './sql';

/** What a bounded sample of the rows says about each column. */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Non-empty cells in the sample. */
  filled: number;
  /** Cells that read as finite numbers (after removing ',' and '$'). */
  numeric: number;
  /** Cells that are dates written as text (`2026-01-07`, `01/07/2026`, `Mar 4, 2026`, …; see dates.ts). */
  dateLike: number;
  /** Distinct non-empty values. */
  distinct: number;
  /** Distinct non-empty values that are not numbers (finite or not). */
  distinctText: number;
  /** Every numeric value is 0 or 1 (a flag, not a quantity). */
  isFlag: boolean;
  /** Cells spelled as numbers that are not finite (NaN, infinities, 1e309): no numbers, and no text values either. */
  nonFinite: number;
}

export interface TableProfile {
  sampleRows: number;
  columns: ColumnProfile[];
}

export const SAMPLE_ROWS = 2000;
/** A column is a number (or a date) column when at least this share of its filled cells is. */
export const TYPE_SHARE = 0.8;

/** Columns per profile query: one query over thousands of columns takes DuckDB minutes to plan. */
export const PROFILE_COLUMNS_PER_QUERY = 32;

/** The type of a column from its counts: NaN and infinite cells count as numbers here (they are spelled as numbers). */
function columnType(filled: number, numeric: number, nonFinite: number, dateLike: number): ColumnType {
  if (filled > 0 && dateLike / filled >= TYPE_SHARE) return 'date';
  return filled > 0 && (numeric + nonFinite) / filled >= TYPE_SHARE ? 'number' : 'text';
}

/**
 * The profile query of some columns over the first `sampleRows` rows of a relation, in the
 * engine's dialect (one row: n, then f/n/d/u/t/x/z per column, numbered from 0).
 */
export function profileSql(relation: string, columns: string[], d: SqlDialect = duckdbDialect, sampleRows = SAMPLE_ROWS): string {
  const parts: string[] = ['count(*) AS n'];
  columns.forEach((name, i) => {
    const c = `trim(${d.text(name)})`;
    const filled = `coalesce(${c}, '') <> ''`;
    const num = d.number(name);
    parts.push(
      `count(*) FILTER (WHERE ${filled}) AS f${i}`,
      `count(${num}) AS n${i}`,
      `count(*) FILTER (WHERE ${filled} AND ${d.dateLike(name)}) AS d${i}`,
      `count(DISTINCT ${c}) FILTER (WHERE ${filled}) AS u${i}`,
      `count(DISTINCT ${c}) FILTER (WHERE ${filled} AND ${num} IS NULL AND NOT ${d.nonFinite(name)}) AS t${i}`,
      `count(*) FILTER (WHERE ${num} IS NOT NULL AND ${num} NOT IN (0, 1)) AS x${i}`,
      `count(*) FILTER (WHERE ${filled} AND ${d.nonFinite(name)}) AS z${i}`,
    );
  });
  return `SELECT ${parts.join(', ')} FROM ${d.sub(`SELECT * FROM ${relation} LIMIT ${sampleRows}`, 'fl_sample')}`;
}

const noDataRows = (source: string) =>
  new AppError('NO_DATA_ROWS', `${source} has a header but no data rows`, 'Add rows below the header, or open a different file.');

/** Reads the profile query's one row; `source` names the table in the error of an empty one. */
export function profileFromRow(row: Record<string, unknown>, columns: string[], source: string): TableProfile {
  const n = Number(row.n);
  if (n === 0) throw noDataRows(source);
  const profiled = columns.map((name, i): ColumnProfile => {
    const filled = Number(row[`f${i}`]);
    const numeric = Number(row[`n${i}`]);
    const dateLike = Number(row[`d${i}`]);
    const nonFinite = Number(row[`z${i}`] ?? 0);
    return {
      name,
      type: columnType(filled, numeric, nonFinite, dateLike),
      filled,
      numeric,
      dateLike,
      distinct: Number(row[`u${i}`]),
      distinctText: Number(row[`t${i}`]),
      isFlag: numeric > 0 && Number(row[`x${i}`]) === 0,
      nonFinite,
    };
  });
  return { sampleRows: n, columns: profiled };
}

/**
 * The profile in SQL, a few columns per query (each query reads the sample again, which costs
 * little next to planning one query over many columns). `query` runs one SQL text.
 */
export async function profileInSql(
  query: (sql: string) => Promise<Record<string, unknown>[]>,
  relation: string,
  columns: string[],
  d: SqlDialect,
  source: string,
  perQuery = PROFILE_COLUMNS_PER_QUERY,
): Promise<TableProfile> {
  const chunks = Array.from({ length: Math.max(1, Math.ceil(columns.length / perQuery)) }, (_, k) =>
    columns.slice(k * perQuery, (k + 1) * perQuery),
  );
  const out: ColumnProfile[] = [];
  let sampleRows = 0;
  for (const chunk of chunks) {
    const [row] = await query(profileSql(relation, chunk, d));
    const p = profileFromRow(row!, chunk, source);
    sampleRows = p.sampleRows;
    out.push(...p.columns);
  }
  return { sampleRows, columns: out };
}

/**
 * The profile of a CSV file's columns (all, or the named ones) over its first `sampleRows` rows.
 * Plain CSV is read once in JavaScript and counted there (see profileSample); other files are
 * profiled in SQL by DuckDB, which also raises their errors.
 */
export async function profileTable(
  conn: DuckDBConnection,
  table: CsvTable,
  columns: string[] = table.columns,
  sampleRows = SAMPLE_ROWS,
): Promise<TableProfile> {
  const indexes = columns.map((c) => table.columns.indexOf(c));
  const sample = await readCsvSample(table, indexes, sampleRows);
  try {
    if (sample) return await profileSample(conn, sample, columns, table.path);
    return await profileInSql((sql) => queryRows(conn, sql), csvRelation(table), columns, duckdbDialect, table.path);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw csvScanError(err, table);
  }
}

/** How DuckDB reads a cell: its finite number (or null), and whether it is spelled as a non-finite one. */
export interface CellReading {
  number: number | null;
  nonFinite: boolean;
}

/**
 * Asks DuckDB how it reads the cells that cellNumber leaves to it ('ask'), each distinct cell
 * once (a thousand per query); reading() then answers for any cell asked before.
 */
export function duckdbNumberReader(query: (sql: string) => Promise<Record<string, unknown>[]>): {
  ask(cells: string[]): Promise<void>;
  reading(raw: string): CellReading;
} {
  const asked = new Map<string, CellReading>();
  return {
    async ask(cells) {
      const unknown = [...new Set(cells)].filter((c) => !asked.has(c));
      for (let at = 0; at < unknown.length; at += 1000) {
        const batch = unknown.slice(at, at + 1000);
        const v = 'fl_cell';
        const rows = await query(
          `SELECT ${quoteIdent(v)} AS v, ${duckdbDialect.number(v)} AS n, ${duckdbDialect.nonFinite(v)} AS z FROM (SELECT unnest([${batch.map(quoteLiteral).join(', ')}]::VARCHAR[]) AS ${quoteIdent(v)}) AS fl_cells`,
        );
        for (const r of rows) asked.set(String(r.v), { number: r.n === null ? null : Number(r.n), nonFinite: r.z === true });
      }
    },
    reading: (raw) => asked.get(raw)!,
  };
}

/**
 * The profile of a sample read in JavaScript: the same counts as profileSql (tested on the same
 * files). Cells whose number only DuckDB's parser can judge are asked of DuckDB, once each.
 */
async function profileSample(conn: DuckDBConnection, sample: CsvSample, columns: string[], source: string): Promise<TableProfile> {
  if (sample.rows === 0) throw noDataRows(source);
  const numbers = duckdbNumberReader((sql) => queryRows(conn, sql));

  const profiled: ColumnProfile[] = [];
  for (let slot = 0; slot < columns.length; slot++) {
    let filled = 0;
    let numeric = 0;
    let dateLike = 0;
    let notFlag = 0;
    let nonFinite = 0;
    const values = new Set<string>();
    const texts = new Set<string>();
    const later: string[] = [];
    const count = (raw: string, trimmed: string, number: number | null, isNonFinite: boolean) => {
      if (number !== null) {
        numeric++;
        if (number !== 0 && number !== 1) notFlag++;
      } else if (isNonFinite) nonFinite++;
      else texts.add(trimmed);
    };
    for (let row = 0; row < sample.rows; row++) {
      const raw = sampleCell(sample, slot, row);
      if (raw === null) continue;
      const trimmed = trimSpaces(raw);
      if (trimmed === '') continue;
      filled++;
      values.add(trimmed);
      if (isDateCell(trimmed)) dateLike++;
      const number = cellNumber(raw);
      if (number === 'ask') later.push(raw);
      else count(raw, trimmed, number, number === null && isNonFiniteNumber(raw));
    }
    if (later.length > 0) {
      await numbers.ask(later);
      for (const raw of later) {
        const r = numbers.reading(raw);
        count(raw, trimSpaces(raw), r.number, r.nonFinite);
      }
    }
    profiled.push({
      name: columns[slot]!,
      type: columnType(filled, numeric, nonFinite, dateLike),
      filled,
      numeric,
      dateLike,
      distinct: values.size,
      distinctText: texts.size,
      isFlag: numeric > 0 && notFlag === 0,
      nonFinite,
    });
  }
  return { sampleRows: sample.rows, columns: profiled };
}

/** Counts every row of the file; this also proves the whole file parses (ragged rows are found here). */
export async function countRows(conn: DuckDBConnection, table: CsvTable): Promise<number> {
  try {
    const [row] = await queryRows(conn, `SELECT count(*) AS n FROM ${csvRelation(table)}`);
    return Number(row?.n ?? 0);
  } catch (err) {
    throw csvScanError(err, table);
  }
}

/** The first `limit` rows as text, for the preview grid. */
export async function previewRows(
  conn: DuckDBConnection,
  table: CsvTable,
  limit = 50,
  where: { column: string; value: string }[] = [],
): Promise<(string | null)[][]> {
  const cond = where.length
    ? ` WHERE ${where.map((w) => `trim(coalesce(${quoteIdent(w.column)}, '')) = ${quoteLiteral(w.value)}`).join(' AND ')}`
    : '';
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM ${csvRelation(table)}${cond} LIMIT ${limit}`);
    return reader.getRowsJS().map((r) => r.map((v) => (v === null || v === undefined ? null : String(v))));
  } catch (err) {
    throw csvScanError(err, table);
  }
}

import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import { csvRelation, csvScanError, type CsvTable } from './csv';
import { duckdbDialect, type SqlDialect } from './dialect';
import { queryRows } from './duckdb';
import { quoteIdent, quoteLiteral } from './sql';

/** What a bounded sample of the rows says about each column (computed by DuckDB, not in JS). */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Non-empty cells in the sample. */
  filled: number;
  /** Cells that read as numbers (after removing ',' and '$'). */
  numeric: number;
  /** Cells whose first ten characters are a calendar date YYYY-MM-DD. */
  dateLike: number;
  /** Distinct non-empty values. */
  distinct: number;
  /** Distinct non-empty values that do not read as numbers. */
  distinctText: number;
  /** Every numeric value is 0 or 1 (a flag, not a quantity). */
  isFlag: boolean;
}

export interface TableProfile {
  sampleRows: number;
  columns: ColumnProfile[];
}

export const SAMPLE_ROWS = 2000;
/** A column is a number (or a date) column when at least this share of its filled cells is. */
export const TYPE_SHARE = 0.8;

/** The profile query over the first `sampleRows` rows of a relation, in the engine's dialect. */
export function profileSql(relation: string, columns: string[], d: SqlDialect = duckdbDialect, sampleRows = SAMPLE_ROWS): string {
  const parts: string[] = ['count(*) AS n'];
  columns.forEach((name, i) => {
    const c = `trim(${d.text(name)})`;
    const filled = `coalesce(${c}, '') <> ''`;
    const num = d.number(name);
    parts.push(
      `count(*) FILTER (WHERE ${filled}) AS f${i}`,
      `count(${num}) AS n${i}`,
      `count(*) FILTER (WHERE ${d.date(name)} IS NOT NULL AND ${d.matches(c, '^\\d{4}-\\d{2}-\\d{2}')}) AS d${i}`,
      `count(DISTINCT ${c}) FILTER (WHERE ${filled}) AS u${i}`,
      `count(DISTINCT ${c}) FILTER (WHERE ${filled} AND ${num} IS NULL) AS t${i}`,
      `count(*) FILTER (WHERE ${num} IS NOT NULL AND ${num} NOT IN (0, 1)) AS x${i}`,
    );
  });
  return `SELECT ${parts.join(', ')} FROM ${d.sub(`SELECT * FROM ${relation} LIMIT ${sampleRows}`, 'fl_sample')}`;
}

/** Reads the profile query's one row; `source` names the table in the error of an empty one. */
export function profileFromRow(row: Record<string, unknown>, columns: string[], source: string): TableProfile {
  const n = Number(row.n);
  if (n === 0) {
    throw new AppError('NO_DATA_ROWS', `${source} has a header but no data rows`, 'Add rows below the header, or open a different file.');
  }
  const profiled = columns.map((name, i): ColumnProfile => {
    const filled = Number(row[`f${i}`]);
    const numeric = Number(row[`n${i}`]);
    const dateLike = Number(row[`d${i}`]);
    const type: ColumnType =
      filled > 0 && dateLike / filled >= TYPE_SHARE ? 'date' : filled > 0 && numeric / filled >= TYPE_SHARE ? 'number' : 'text';
    return {
      name,
      type,
      filled,
      numeric,
      dateLike,
      distinct: Number(row[`u${i}`]),
      distinctText: Number(row[`t${i}`]),
      isFlag: numeric > 0 && Number(row[`x${i}`]) === 0,
    };
  });
  return { sampleRows: n, columns: profiled };
}

export async function profileTable(conn: DuckDBConnection, table: CsvTable, sampleRows = SAMPLE_ROWS): Promise<TableProfile> {
  let row: Record<string, unknown>;
  try {
    [row] = (await queryRows(conn, profileSql(csvRelation(table), table.columns, duckdbDialect, sampleRows))) as [Record<string, unknown>];
  } catch (err) {
    throw csvScanError(err, table);
  }
  return profileFromRow(row, table.columns, table.path);
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
export async function previewRows(conn: DuckDBConnection, table: CsvTable, limit = 50, where: { column: string; value: string }[] = []): Promise<(string | null)[][]> {
  const cond = where.length ? ` WHERE ${where.map((w) => `trim(coalesce(${quoteIdent(w.column)}, '')) = ${quoteLiteral(w.value)}`).join(' AND ')}` : '';
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM ${csvRelation(table)}${cond} LIMIT ${limit}`);
    return reader.getRowsJS().map((r) => r.map((v) => (v === null || v === undefined ? null : String(v))));
  } catch (err) {
    throw csvScanError(err, table);
  }
}

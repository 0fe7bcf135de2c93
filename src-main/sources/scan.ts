import { stat } from 'node:fs/promises';
import type { Source } from '../../src-shared/analyze-options';
import { AppError } from '../../src-shared/errors';
import { csvRelation, csvScanError, inspectCsv } from './csv';
import { duckdbDialect, type SqlDialect } from './dialect';
import { queryRows, withConnection, type SqlRow } from './duckdb';
import { withDuckdbProgress, type OnScanProgress } from './scan-progress';
import { pgSourceLabel, withPgSession } from './postgres';
import { profileInSql, profileTable, type TableProfile } from './profile';

/**
 * Where a scan plan runs: DuckDB over a file, or the Postgres server of a query. The analyses
 * write their SQL once against this (and its dialect); nothing about the engine leaks into them.
 */
export interface Scan {
  dialect: SqlDialect;
  /**
   * A dialect that may skip per-value checks of typed numbers; results from it must be checked
   * with allFinite() and the plan run again with `dialect` when they are not.
   */
  fastDialect: SqlDialect;
  /** The rows as a FROM item. */
  relation: string;
  /** How the source is named in artifacts. */
  label: string;
  columns: string[];
  /** What reading the source changed (a renamed duplicate or blank header cell), for the artifact's warnings. */
  notices: string[];
  /** The profile of a sample of the rows: of every column, or of the named ones only (their names as in `columns`). */
  profile(columns?: string[]): Promise<TableProfile>;
  /**
   * Runs a query (prefixed with the named tables given to define()), telling its progress when
   * asked: DuckDB's estimate of the input read, or the rows a Postgres query has sent back.
   */
  rows(sql: string, progress?: OnScanProgress): Promise<SqlRow[]>;
  /** Names a derived table for the queries that follow (a CTE: Postgres runs read-only, so no views). */
  define(name: string, sql: string): void;
  /** DuckDB only: statements that keep a temporary table (a materialised intermediate). */
  run: ((sql: string) => Promise<void>) | null;
  /**
   * A sample of the rows: the first n, or n picked by a seeded hash, so the same seed gives the
   * same rows on any machine (DuckDB: of the row number; Postgres: of the row's content, as a
   * server scans in no fixed order).
   */
  sample(rows: number, seed: number | null): string;
  /** DuckDB only: the relation of another CSV file (two-snapshot mode). */
  fileRelation: ((path: string) => Promise<{ relation: string; columns: string[] }>) | null;
}

function withDefinitions(defs: Map<string, string>, sql: string): string {
  if (defs.size === 0) return sql;
  return `WITH ${[...defs].map(([name, body]) => `${name} AS (${body})`).join(', ')} ${sql}`;
}

export async function withScan<T>(source: Source, fn: (scan: Scan) => Promise<T>): Promise<T> {
  const defs = new Map<string, string>();
  if (source.kind === 'postgres') {
    return withPgSession(source, async (session) => {
      const t = await session.describe();
      return fn({
        dialect: t.dialect,
        fastDialect: t.fastDialect,
        relation: t.relation,
        label: pgSourceLabel(source),
        columns: t.columns,
        notices: [],
        profile: async (columns = t.columns) => {
          // At most 200 columns per query: Postgres allows 1,664 result columns, and each column takes 7.
          const p = await profileInSql((sql) => session.query(sql), t.relation, columns, t.dialect, 'the query', 200);
          // A typed column is what its type says, whatever a few odd values (NaN, infinity) in the sample read as.
          const typed = (k: string | undefined) =>
            k === 'int' || k === 'decimal' || k === 'float' ? 'number' : k === 'date' ? 'date' : null;
          return { ...p, columns: p.columns.map((c) => ({ ...c, type: typed(t.kinds[c.name]) ?? c.type })) };
        },
        rows: (sql, progress) => session.query(withDefinitions(defs, sql), progress && ((rowsRead: number) => progress({ rowsRead }))),
        define: (name, sql) => void defs.set(name, sql),
        run: null,
        fileRelation: null,
        sample: (n, seed) =>
          seed === null
            ? `SELECT * FROM ${t.relation} LIMIT ${n}`
            : `SELECT fl_q.* FROM ${t.relation} ORDER BY md5(fl_q::text || ':' || ${Math.floor(seed)}), fl_q::text LIMIT ${n}`,
      });
    });
  }
  const table = await inspectCsv(source.path);
  const watched = [await fileStamp(table.path)];
  const result = await withConnection(async (conn) => {
    const guard = async <R>(work: () => Promise<R>): Promise<R> => {
      try {
        return await work();
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw csvScanError(err, table);
      }
    };
    return fn({
      dialect: duckdbDialect,
      fastDialect: duckdbDialect,
      relation: csvRelation(table),
      label: source.path,
      columns: table.columns,
      notices: table.notices,
      profile: (columns) => profileTable(conn, table, columns),
      rows: (sql, progress) =>
        guard(() => {
          const query = () => queryRows(conn, withDefinitions(defs, sql));
          return progress ? withDuckdbProgress(conn, query, progress) : query();
        }),
      define: (name, sql) => void defs.set(name, sql),
      run: (sql) => guard(async () => void (await conn.run(sql))),
      sample: (n, seed) =>
        seed === null
          ? `SELECT * FROM ${csvRelation(table)} LIMIT ${n}`
          : `SELECT * EXCLUDE (fl_row) FROM (SELECT *, row_number() OVER () AS fl_row FROM ${csvRelation(table)}) ORDER BY hash(fl_row, ${Math.floor(seed)}::UBIGINT), fl_row LIMIT ${n}`,
      fileRelation: async (path) => {
        const other = await inspectCsv(path);
        watched.push(await fileStamp(other.path));
        return { relation: csvRelation(other), columns: other.columns };
      },
    });
  });
  for (const before of watched) await checkUnchanged(before);
  return result;
}

interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
}

const fileStamp = async (file: string): Promise<FileStamp> => {
  const s = await stat(file);
  return { path: file, size: s.size, mtimeMs: s.mtimeMs };
};

/**
 * A file that was written to while it was scanned gives a result that belongs to no version of
 * it (a truncated file once gave a count of 1,340,967 records and no word): such a result is
 * refused.
 */
async function checkUnchanged(before: FileStamp): Promise<void> {
  const after = await fileStamp(before.path).catch(() => null);
  if (after && after.size === before.size && after.mtimeMs === before.mtimeMs) return;
  const what = !after
    ? 'was removed'
    : after.size !== before.size
      ? `changed size (${before.size} to ${after.size} bytes)`
      : 'was modified';
  throw new AppError(
    'FILE_CHANGED',
    `'${before.path}' ${what} while it was being read, so the result would match neither version`,
    'Wait until whatever writes the file has finished (or copy it first), then run again.',
  );
}

/** Whether every number of a result is finite (text numbers, as Postgres returns numeric, included). */
export function allFinite(rows: SqlRow[]): boolean {
  const finite = (v: unknown): boolean =>
    typeof v === 'number'
      ? Number.isFinite(v)
      : typeof v === 'string' && /^(NaN|-?Infinity)$/.test(v)
        ? false
        : Array.isArray(v)
          ? v.every(finite)
          : true;
  return rows.every((r) => Object.values(r).every(finite));
}

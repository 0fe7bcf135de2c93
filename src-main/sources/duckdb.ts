import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DUCKDB_PROGRESS_SETTINGS } from './scan-progress';

/**
 * One in-memory DuckDB instance per process: the scan engine for local files. Each query gets
 * its own connection so a long scan can be interrupted without touching others.
 */
let instance: Promise<DuckDBInstance> | null = null;

/** DuckDB is loaded on first use (about 0.2 s), so that a job that reads Postgres never waits for it. */
function getInstance(): Promise<DuckDBInstance> {
  instance ??= import('@duckdb/node-api').then(({ DuckDBInstance }) => DuckDBInstance.create(':memory:'));
  return instance;
}

/** Loads DuckDB and opens the instance ahead of the first job (a warm engine). */
export async function warmUpDuckdb(): Promise<void> {
  await getInstance();
}

export async function withConnection<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await (await getInstance()).connect();
  try {
    await conn.run(DUCKDB_PROGRESS_SETTINGS);
    return await fn(conn);
  } finally {
    conn.closeSync();
  }
}

export type SqlRow = Record<string, unknown>;

/** Runs a query and returns plain JS rows (BIGINT as number: counts here are far below 2^53). */
export async function queryRows(conn: DuckDBConnection, sql: string): Promise<SqlRow[]> {
  const reader = await conn.runAndReadAll(sql);
  const rows = reader.getRowObjectsJS() as SqlRow[];
  return rows.map((row) => {
    const out: SqlRow = {};
    for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
    return out;
  });
}

export { quoteIdent, quoteLiteral } from './sql';

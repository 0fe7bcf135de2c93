import type pg from 'pg';
import type { SqlRow } from './duckdb';

/**
 * Runs one statement (extended protocol, as oneStatement does) taking its rows as they arrive,
 * and tells how many have arrived at most every `everyMs` and once at the end. The rows are
 * kept as pg would have kept them; only the counting is added.
 */
export async function streamStatement(
  client: pg.Client,
  text: string,
  onRows: (rowsRead: number) => void,
  everyMs = 200,
): Promise<SqlRow[]> {
  const { default: driver } = await import('pg');
  return new Promise<SqlRow[]>((resolve, reject) => {
    const rows: SqlRow[] = [];
    let told = 0;
    const config: pg.QueryConfig & { queryMode: 'extended' } = { text, values: [], queryMode: 'extended' };
    const query = new driver.Query(config);
    query.on('row', (row: SqlRow) => {
      rows.push(row);
      const now = Date.now();
      if (now - told >= everyMs) {
        told = now;
        onRows(rows.length);
      }
    });
    query.on('error', reject);
    query.on('end', () => {
      onRows(rows.length);
      resolve(rows);
    });
    client.query(query);
  });
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresSource } from '../src-shared/analyze-options';
import { withScan } from '../src-main/sources/scan';
import type { ScanProgress } from '../src-main/sources/scan-progress';
import { startTestServer, type TestServer } from './pg/server';

/** A Postgres scan tells the rows it has read as they arrive (the server does not say how many will come). */
const ROWS = 2_000_000;
let server: TestServer;

const source = (query: string): PostgresSource => ({
  kind: 'postgres',
  connection: { url: server.url('postgres', 'postgres'), password: null, sslMode: 'disable', caFile: null, certFile: null, keyFile: null },
  query,
  statementTimeoutMs: 120_000,
});

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);
afterAll(() => server?.stop());

describe('scan progress on a real Postgres server', () => {
  it('reports rows read, rising, for a big generate_series query, and all rows at the end', async () => {
    const seen: ScanProgress[] = [];
    const rows = await withScan(source(`SELECT g AS id, g % 7 AS region FROM generate_series(1, ${ROWS}) AS g`), (scan) =>
      scan.rows(`SELECT * FROM ${scan.relation}`, (p) => seen.push(p)),
    );
    expect(rows).toHaveLength(ROWS);
    expect(rows[ROWS - 1]).toEqual({ id: ROWS, region: ROWS % 7 });
    const counts = seen.map((p) => ('rowsRead' in p ? p.rowsRead : NaN));
    // Never a fraction: the total is not known.
    expect(seen.every((p) => !('fraction' in p))).toBe(true);
    expect(counts.filter((n) => n > 0 && n < ROWS).length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
    expect(counts.at(-1)).toBe(ROWS);
  }, 120_000);

  it('a query run without asking for progress reads the same rows', async () => {
    const rows = await withScan(source('SELECT g AS id FROM generate_series(1, 1000) AS g'), (scan) =>
      scan.rows(`SELECT sum(id) AS total FROM ${scan.relation}`),
    );
    expect(Number(rows[0]!.total)).toBe(500500);
  }, 60_000);
});

import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Dataset } from '../../src-shared/contract';
import { autoGroupColumns, autoMetricColumns } from '../engine/analyze/auto-detect';
import { inspectCsv } from './sources/csv';
import { withConnection } from './sources/duckdb';
import { countRows, previewRows, profileTable } from './sources/profile';
import { unknownColumnError } from '../../src-shared/errors';

/** Reads a file's header, profiles a sample, counts every row (which also proves it parses). */
export async function describeDataset(file: string, name?: string): Promise<Dataset> {
  const table = await inspectCsv(file);
  return withConnection(async (conn) => {
    const profile = await profileTable(conn, table);
    const rowCount = await countRows(conn, table);
    const autoGroupBy = autoGroupColumns(profile.columns, profile.sampleRows, 5);
    return {
      id: randomUUID(),
      name: name ?? path.basename(table.path),
      path: table.path,
      addedAt: new Date().toISOString(),
      rowCount,
      columns: profile.columns.map((c) => ({ name: c.name, type: c.type, filled: c.filled, distinct: c.distinct })),
      autoGroupBy,
      autoMetrics: autoMetricColumns(profile.columns, autoGroupBy),
    };
  });
}

/** The first rows, optionally only those where every column equals its value (e.g. a residual segment). */
export async function datasetRows(file: string, limit = 50, where: { column: string; value: string }[] = []): Promise<(string | null)[][]> {
  const table = await inspectCsv(file);
  for (const w of where) if (!table.columns.includes(w.column)) throw unknownColumnError('filter', w.column, table.columns);
  return withConnection((conn) => previewRows(conn, table, limit, where));
}

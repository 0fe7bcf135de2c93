import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AnalyzeOptionsSchema, type Source } from '../../src-shared/analyze-options';
import type { Dataset } from '../../src-shared/contract';
import { unknownColumnError } from '../../src-shared/errors';
import { autoGroupColumns, autoMetricColumns } from '../engine/analyze/auto-detect';
import { withScan } from '../sources/scan';
import { quoteLiteral } from '../sources/sql';

const ANALYZE_DEFAULTS = AnalyzeOptionsSchema.parse({});

/**
 * Reads a source's columns, profiles a sample and counts every row (for a file this also proves
 * it parses; for a query the count runs on the server).
 */
export async function describeDataset(source: Source, name?: string, query: Dataset['query'] = null): Promise<Dataset> {
  return withScan(source, async (scan) => {
    const profile = await scan.profile();
    const [row] = await scan.rows(`SELECT count(*) AS n FROM ${scan.relation}`);
    // What analyze would pick with its own default (the schema's autoGroupK).
    const autoGroupBy = autoGroupColumns(profile.columns, profile.sampleRows, ANALYZE_DEFAULTS.autoGroupK);
    return {
      id: randomUUID(),
      name: name ?? (source.kind === 'file' ? path.basename(scan.label) : 'query'),
      path: source.kind === 'file' ? path.resolve(source.path) : scan.label,
      addedAt: new Date().toISOString(),
      rowCount: Number(row?.n ?? 0),
      columns: profile.columns.map((c) => ({ name: c.name, type: c.type, filled: c.filled, distinct: c.distinct })),
      autoGroupBy,
      autoMetrics: autoMetricColumns(profile.columns, autoGroupBy),
      query,
    };
  });
}

/** The first rows as text, optionally only those where every column equals its value (e.g. a residual segment). */
export async function datasetRows(
  source: Source,
  limit = 50,
  where: { column: string; value: string }[] = [],
): Promise<(string | null)[][]> {
  return withScan(source, async (scan) => {
    for (const w of where) if (!scan.columns.includes(w.column)) throw unknownColumnError('filter', w.column, scan.columns, 'where');
    const d = scan.dialect;
    const cond = where.length
      ? ` WHERE ${where.map((w) => `trim(coalesce(${d.text(w.column)}, '')) = ${quoteLiteral(w.value)}`).join(' AND ')}`
      : '';
    const rows = await scan.rows(
      `SELECT ${scan.columns.map((c, i) => `${d.text(c)} AS c${i}`).join(', ')} FROM ${scan.relation}${cond} LIMIT ${limit}`,
    );
    return rows.map((r) => scan.columns.map((_, i) => (r[`c${i}`] === null || r[`c${i}`] === undefined ? null : String(r[`c${i}`]))));
  });
}

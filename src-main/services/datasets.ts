import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { AnalyzeOptionsSchema, type Source } from '../../src-shared/analyze-options';
import type { Dataset, TablePage } from '../../src-shared/contract';
import { csvCell } from '../artifacts/csv-cell';
import { unknownColumnError } from '../../src-shared/errors';
import { analyzeDefaults } from '../engine/analyze/auto-choice';
import { withScan } from '../sources/scan';
import { quoteLiteral } from '../sources/sql';
import { tablePage, tableRows, type TableQuery } from '../sources/table-page';

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
    const auto = await analyzeDefaults(scan, profile, ANALYZE_DEFAULTS.autoGroupK);
    return {
      id: randomUUID(),
      name: name ?? (source.kind === 'file' ? path.basename(scan.label) : 'query'),
      path: source.kind === 'file' ? path.resolve(source.path) : scan.label,
      addedAt: new Date().toISOString(),
      rowCount: Number(row?.n ?? 0),
      columns: profile.columns.map((c) => ({ name: c.name, type: c.type, filled: c.filled, distinct: c.distinct })),
      autoGroupBy: auto.groupBy,
      autoMetrics: auto.metrics,
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

const columnTypes = (dataset: Dataset) => Object.fromEntries(dataset.columns.map((c) => [c.name, c.type]));

/** A page of a dataset's rows in a view of the data grid (the dataset's row count stands for an unfiltered total). */
export async function datasetPage(source: Source, dataset: Dataset, q: TableQuery, offset: number, limit: number): Promise<TablePage> {
  return withScan(source, (scan) => tablePage(scan, columnTypes(dataset), q, offset, limit, dataset.rowCount));
}

/** The most rows a CSV export of a view holds: the text is built in memory and sent in one answer. */
export const EXPORT_MAX_ROWS = 500_000;

/** A plain decimal number is written as it is; any other cell as a CSV cell (quoted, formula starts defused). */
const exportCell = (v: string | null) => (v === null ? '' : /^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$/.test(v) ? v : csvCell(v));

/** Every row of a view as CSV text, in the view's order. */
export async function datasetCsv(source: Source, dataset: Dataset, q: TableQuery): Promise<{ csv: string; rows: number }> {
  return withScan(source, async (scan) => {
    const rows = await tableRows(scan, columnTypes(dataset), q, EXPORT_MAX_ROWS);
    const lines = [scan.columns.map((c) => csvCell(c)).join(','), ...rows.map((r) => r.map(exportCell).join(','))];
    return { csv: `${lines.join('\n')}\n`, rows: rows.length };
  });
}

import type { AnalyzeRequest } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { csvRelation, csvScanError, inspectCsv } from '../../services/sources/csv';
import { queryRows, queryRowsWithProgress, withConnection } from '../../services/sources/duckdb';
import { profileTable } from '../../services/sources/profile';
import { periodCompare } from './period-compare';
import { resolveAnalyze, type ResolvedAnalyze } from './resolve';
import { cubeFromScan, needsPerRowScan, periodCellsFromScan, periodFromRawSql, periodScanSql, rawCubeSql, segmentScanSql, segmentsFromRawSql } from './scan-plan';
import { segmentsArtifact } from './segments';

export interface Progress {
  (fraction: number, stage: string): void;
}

/** Header, profile and resolved options: everything `analyze` checks before it scans. */
export async function prepareAnalyze(request: AnalyzeRequest) {
  const table = await inspectCsv(request.source.path);
  return withConnection(async (conn) => {
    const profile = await profileTable(conn, table);
    return { table, profile, resolved: resolveAnalyze(request.options, profile) };
  });
}

/**
 * `analyze` from source to artifact: read the header, profile a sample (auto-detection), run
 * the scan plans (one GROUP BY in DuckDB, and one more for a period comparison), then rank the
 * segments. Shared by every host.
 */
export async function runAnalyze(request: AnalyzeRequest, onProgress: Progress = () => {}, inputLabel?: string): Promise<AnalyzeArtifact> {
  onProgress(0, 'Reading header');
  const table = await inspectCsv(request.source.path);
  return withConnection(async (conn) => {
    onProgress(0.05, 'Profiling columns');
    const profile = await profileTable(conn, table);
    const resolved: ResolvedAnalyze = resolveAnalyze(request.options, profile);
    const relation = csvRelation(table);
    const scanShare = resolved.period ? 0.5 : 0.85;
    onProgress(0.1, 'Scanning rows');
    try {
      const period = resolved.period;
      if (period && !needsPerRowScan(resolved)) {
        // One pass over the rows serves both the segments and the period comparison.
        await queryRowsWithProgress(conn, `CREATE OR REPLACE TEMP TABLE fl_raw AS ${rawCubeSql(relation, resolved, period)}`, (f) => onProgress(0.1 + 0.85 * f, 'Scanning rows'));
        const rows = await queryRows(conn, segmentsFromRawSql('fl_raw', resolved));
        const compare = periodCompare(periodCellsFromScan(await queryRows(conn, periodFromRawSql('fl_raw', resolved, period)), period), resolved, period);
        await conn.run('DROP TABLE fl_raw');
        onProgress(0.95, 'Ranking segments');
        const artifact = segmentsArtifact(cubeFromScan(rows, resolved), resolved, inputLabel ?? request.source.path, compare);
        onProgress(1, 'Done');
        return artifact;
      }
      const rows = await queryRowsWithProgress(conn, segmentScanSql(relation, resolved), (f) => onProgress(0.1 + scanShare * f, 'Scanning rows'));
      let compare = null;
      if (resolved.period) {
        onProgress(0.6, 'Comparing periods');
        const periodRows = await queryRowsWithProgress(conn, periodScanSql(relation, resolved, resolved.period), (f) => onProgress(0.6 + 0.35 * f, 'Comparing periods'));
        compare = periodCompare(periodCellsFromScan(periodRows, resolved.period), resolved, resolved.period);
      }
      onProgress(0.95, 'Ranking segments');
      const artifact = segmentsArtifact(cubeFromScan(rows, resolved), resolved, inputLabel ?? request.source.path, compare);
      onProgress(1, 'Done');
      return artifact;
    } catch (err) {
      if (err instanceof Error && err.name === 'AppError') throw err;
      throw csvScanError(err, table);
    }
  });
}

import type { AnalyzeRequest } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { csvRelation, csvScanError, inspectCsv } from '../../services/sources/csv';
import { queryRowsWithProgress, withConnection } from '../../services/sources/duckdb';
import { profileTable } from '../../services/sources/profile';
import { resolveAnalyze } from './resolve';
import { cubeFromScan, segmentScanSql } from './scan-plan';
import { segmentsArtifact } from './segments';

export interface Progress {
  (fraction: number, stage: string): void;
}

/**
 * `analyze` from source to artifact: read the header, profile a sample (auto-detection), run
 * the scan plan (one GROUP BY in DuckDB), then rank the segments. Shared by every host.
 */
export async function runAnalyze(request: AnalyzeRequest, onProgress: Progress = () => {}, inputLabel?: string): Promise<AnalyzeArtifact> {
  onProgress(0, 'Reading header');
  const table = await inspectCsv(request.source.path);
  return withConnection(async (conn) => {
    onProgress(0.05, 'Profiling columns');
    const profile = await profileTable(conn, table);
    const resolved = resolveAnalyze(request.options, profile);
    onProgress(0.1, 'Scanning rows');
    let rows;
    try {
      rows = await queryRowsWithProgress(conn, segmentScanSql(csvRelation(table), resolved), (f) => onProgress(0.1 + 0.85 * f, 'Scanning rows'));
    } catch (err) {
      throw csvScanError(err, table);
    }
    onProgress(0.95, 'Ranking segments');
    const artifact = segmentsArtifact(cubeFromScan(rows, resolved), resolved, inputLabel ?? request.source.path);
    onProgress(1, 'Done');
    return artifact;
  });
}

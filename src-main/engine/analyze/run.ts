import type { AnalyzeRequest } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { allFinite, withScan } from '../../services/sources/scan';
import { periodCompare } from './period-compare';
import { resolveAnalyze, type ResolvedAnalyze } from './resolve';
import { cubeFromScan, needsPerRowScan, periodCellsFromScan, periodFromRawSql, periodScanSql, rawCubeSql, segmentScanSql, segmentsFromRawSql } from './scan-plan';
import { segmentsArtifact } from './segments';

export interface Progress {
  (fraction: number, stage: string): void;
}

/** Header, profile and resolved options: everything `analyze` checks before it scans. */
export async function prepareAnalyze(request: AnalyzeRequest, count = false) {
  return withScan(request.source, async (scan) => {
    const profile = await scan.profile();
    const resolved = resolveAnalyze(request.options, profile);
    // Counting reads every row: for a file that also proves the whole file parses.
    const rows = count ? Number((await scan.rows(`SELECT count(*) AS n FROM ${scan.relation}`))[0]?.n ?? 0) : null;
    return { label: scan.label, columns: scan.columns, profile, resolved, rows };
  });
}

/**
 * `analyze` from source to artifact: profile a sample (auto-detection), run the scan plans where
 * the data lives (one GROUP BY, and one more for a period comparison), then rank the segments.
 * Shared by every host.
 */
export async function runAnalyze(request: AnalyzeRequest, onProgress: Progress = () => {}, inputLabel?: string): Promise<AnalyzeArtifact> {
  onProgress(0, request.source.kind === 'file' ? 'Reading header' : 'Connecting');
  return withScan(request.source, async (scan) => {
    onProgress(0.05, 'Profiling columns');
    const profile = await scan.profile();
    const resolved: ResolvedAnalyze = resolveAnalyze(request.options, profile);
    const { dialect: d, relation } = scan;
    const label = inputLabel ?? scan.label;
    const scanShare = resolved.period ? 0.5 : 0.85;
    onProgress(0.1, 'Scanning rows');
    const period = resolved.period;
    if (period && !needsPerRowScan(resolved) && scan.run) {
      // One pass over the rows serves both the segments and the period comparison.
      await scan.rows(`CREATE OR REPLACE TEMP TABLE fl_raw AS ${rawCubeSql(relation, resolved, period, d)}`, (f) => onProgress(0.1 + 0.85 * f, 'Scanning rows'));
      const rows = await scan.rows(segmentsFromRawSql('fl_raw', resolved, d));
      const compare = periodCompare(periodCellsFromScan(await scan.rows(periodFromRawSql('fl_raw', resolved, period, d)), period), resolved, period);
      await scan.run('DROP TABLE fl_raw');
      onProgress(0.95, 'Ranking segments');
      const artifact = segmentsArtifact(cubeFromScan(rows, resolved), resolved, label, compare);
      onProgress(1, 'Done');
      return artifact;
    }
    // Typed numbers are summed as they are; a NaN or infinity stored in the table shows in the
    // sums, and then the plan runs again reading such values as NULL (the rule for every source).
    let rows = await scan.rows(segmentScanSql(relation, resolved, scan.fastDialect), (f) => onProgress(0.1 + scanShare * f, 'Scanning rows'));
    if (!allFinite(rows)) rows = await scan.rows(segmentScanSql(relation, resolved, d));
    let compare = null;
    if (period) {
      onProgress(0.6, 'Comparing periods');
      const periodRows = await scan.rows(periodScanSql(relation, resolved, period, d), (f) => onProgress(0.6 + 0.35 * f, 'Comparing periods'));
      compare = periodCompare(periodCellsFromScan(periodRows, period), resolved, period);
    }
    onProgress(0.95, 'Ranking segments');
    const artifact = segmentsArtifact(cubeFromScan(rows, resolved), resolved, label, compare);
    onProgress(1, 'Done');
    return artifact;
  });
}

import type { AnalyzeOptions, AnalyzeRequest } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { AppError } from '../../../src-shared/errors';
import { formatCount } from '../../../src-shared/format';
import { dayMonthOrder } from '../../sources/dates';
import { allFinite, withScan, type Scan } from '../../sources/scan';
import { stageProgress, type RunProgressReport } from '../../sources/scan-progress';
import {
  readDateColumn,
  sampleDayMonthOrder,
  unreadableDatesError,
  unreadableDatesWarning,
  unreadableExamples,
  type DateReading,
} from './date-reading';
import { periodCompare } from './period-compare';
import { namedColumns, resolveAnalyze, type ResolvedAnalyze, type ResolvedPeriod } from './resolve';
import {
  cubeFromScan,
  needsPerRowScan,
  nonFiniteCountsSql,
  periodCellsFromScan,
  periodCheckFromRawSql,
  periodCheckFromRows,
  periodFromRawSql,
  periodScanSql,
  rawCubeSql,
  segmentKeysCollide,
  segmentScanSql,
  segmentsFromRawSql,
  whereExpr,
  type PeriodCheck,
  type SegmentCube,
} from './scan-plan';
import { segmentsArtifact } from './segments';
import { sampleStats } from './auto-choice';
import { matchCountsSql } from '../../sources/column-values';

/** A fraction of the run, the stage, and rows read when a scan cannot tell its fraction (Postgres). */
export type Progress = RunProgressReport;

/**
 * The profile an analysis needs and the options resolved against it. With groups and metrics
 * given, only the columns named are profiled (a table may have thousands); an error then is
 * raised again from the full profile, so that its hint lists what the whole table offers.
 */
async function profileAndResolve(scan: Scan, options: AnalyzeOptions) {
  const named = namedColumns(options, scan.columns);
  if (named) {
    const profile = await scan.profile(named);
    try {
      return { profile, resolved: resolveAnalyze(options, profile, scan.columns) };
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
    }
  }
  const profile = await scan.profile();
  // Something is chosen automatically: the choice looks at the sample's most common values and zeros.
  const stats = await sampleStats(scan, profile);
  return { profile, resolved: resolveAnalyze(options, profile, scan.columns, stats) };
}

/**
 * A run whose filters keep no row: an error naming the filter that matches nothing (or saying
 * that each matches rows but not together), instead of an empty result.
 */
async function noRowsKeptError(scan: Scan, r: ResolvedAnalyze): Promise<AppError> {
  const [row] = await scan.rows(matchCountsSql(scan.relation, scan.dialect, r.where, r.whereIgnoreCase, null));
  const named = (w: { column: string; value: string }) => `${w.column} = '${w.value}'`;
  const empty = r.where.filter((_, i) => Number(row?.[`f${i}`] ?? 0) === 0);
  const caseHint = r.whereIgnoreCase ? '' : ' Values are compared exactly (case included); matching ignoring case may find them.';
  if (empty.length > 0)
    return new AppError(
      'NO_MATCHING_ROWS',
      `the filter ${empty.map(named).join(' and ')} matches no row of ${formatCount(Number(row?.rows ?? 0))}`,
      `Pick a value the column holds, or remove the filter.${caseHint}`,
      r.whereIgnoreCase ? ['where'] : ['where', 'whereIgnoreCase'],
    );
  return new AppError(
    'NO_MATCHING_ROWS',
    `the filters ${r.where.map(named).join(', ')} each match rows, but no row matches all of them`,
    'Remove one of the filters.',
    ['where'],
  );
}

/**
 * Header, profile and resolved options: everything `analyze` checks before it scans. With
 * `validate`, every row is read too: that counts the rows (for a file it also proves the whole
 * file parses) and, with a period comparison, reads the date column, whose unreadable cells are
 * an error here (analyze itself reports them as a warning).
 */
export async function prepareAnalyze(request: AnalyzeRequest, validate = false) {
  return withScan(request.source, async (scan) => {
    const { profile, resolved } = await profileAndResolve(scan, request.options);
    let rows: number | null = null;
    let dates: DateReading | null = null;
    if (validate && resolved.period) {
      const read = await readDateColumn(scan, resolved.period.dateColumn, whereExpr(resolved, scan.dialect));
      resolved.period.dateOrder = read.order;
      if (read.unreadable > 0) throw unreadableDatesError(read);
      rows = read.rows;
      dates = read;
    } else if (validate) rows = Number((await scan.rows(`SELECT count(*) AS n FROM ${scan.relation}`))[0]?.n ?? 0);
    if (validate && resolved.where.length > 0) {
      const [kept] = await scan.rows(matchCountsSql(scan.relation, scan.dialect, resolved.where, resolved.whereIgnoreCase, null));
      if (Number(kept?.kept ?? 0) === 0) throw await noRowsKeptError(scan, resolved);
    }
    return { label: scan.label, columns: scan.columns, notices: scan.notices, profile, resolved, rows, dates };
  });
}

/**
 * Per metric with any, the cells that are numbers but not finite (NaN, infinities, 1e309), and
 * the warning lines saying so. The scan counted the filled cells that are no number; only when
 * there are such cells does a second query tell the non-finite ones apart.
 */
async function nonFiniteCells(
  scan: Scan,
  cube: SegmentCube,
  r: ResolvedAnalyze,
): Promise<{ cells: Record<string, number>; warnings: string[] }> {
  const cells: Record<string, number> = {};
  if (cube.cells.some((c) => c.notNumbers.some((n) => n > 0))) {
    const [row] = await scan.rows(nonFiniteCountsSql(scan.relation, r, scan.dialect));
    r.metrics.forEach((m, i) => {
      const n = Number(row?.[`z${i}`] ?? 0);
      if (n > 0) cells[m] = n;
    });
  }
  const warnings = Object.entries(cells).map(
    ([m, n]) => `${m}: ${formatCount(n)} ${n === 1 ? 'cell is' : 'cells are'} NaN or infinite and ${n === 1 ? 'was' : 'were'} left out`,
  );
  return { cells, warnings };
}

/**
 * Runs a period scan, and runs it again when the whole column proves another day/month order
 * than the first rows did (the proof comes with the scan, so this costs nothing otherwise).
 */
async function withDateOrder<T>(
  period: ResolvedPeriod,
  scanWith: () => Promise<{ result: T; check: PeriodCheck }>,
): Promise<{ result: T; check: PeriodCheck }> {
  let run = await scanWith();
  const order = dayMonthOrder(run.check.proof);
  if (order !== period.dateOrder) {
    period.dateOrder = order;
    run = await scanWith();
  }
  return run;
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
    const { resolved } = await profileAndResolve(scan, request.options);
    const { dialect: d, relation } = scan;
    const label = inputLabel ?? scan.label;
    const scanShare = resolved.period ? 0.5 : 0.85;
    const period = resolved.period;
    if (period) period.dateOrder = await sampleDayMonthOrder(scan, period.dateColumn);
    onProgress(0.1, 'Scanning rows');
    let cube: SegmentCube;
    let compare = null;
    let dates: DateReading | null = null;
    if (period && !needsPerRowScan(resolved) && scan.run) {
      // One pass over the rows serves both the segments and the period comparison.
      const raw = await withDateOrder(period, async () => {
        await scan.rows(
          `CREATE OR REPLACE TEMP TABLE fl_raw AS ${rawCubeSql(relation, resolved, period, d)}`,
          stageProgress(onProgress, 0.1, 0.95, 'Scanning rows'),
        );
        return { result: null, check: periodCheckFromRows(await scan.rows(periodCheckFromRawSql('fl_raw'))) };
      });
      cube = cubeFromScan(await scan.rows(segmentsFromRawSql('fl_raw', resolved, d)), resolved);
      const cells = periodCellsFromScan(await scan.rows(periodFromRawSql('fl_raw', resolved, period, d)), period);
      await scan.run('DROP TABLE fl_raw');
      dates = await dateReading(scan, resolved, period, raw.check);
      compare = periodCompare(cells, resolved, period, dates);
    } else {
      // Typed numbers are summed as they are; a NaN or infinity stored in the table shows in the
      // sums, and then the plan runs again reading such values as NULL (the rule for every source).
      let rows = await scan.rows(
        segmentScanSql(relation, resolved, scan.fastDialect),
        stageProgress(onProgress, 0.1, 0.1 + scanShare, 'Scanning rows'),
      );
      // Quantiles grouped by raw values first: when two raw values share a segment key, the plan runs again with the key rules per row.
      const keysPerRow = segmentKeysCollide(rows, resolved);
      if (keysPerRow) rows = await scan.rows(segmentScanSql(relation, resolved, scan.fastDialect, true));
      if (!allFinite(rows)) rows = await scan.rows(segmentScanSql(relation, resolved, d, keysPerRow));
      cube = cubeFromScan(rows, resolved);
      if (period) {
        onProgress(0.6, 'Comparing periods');
        const scanned = await withDateOrder(period, async () => {
          const periodRows = await scan.rows(
            periodScanSql(relation, resolved, period, d),
            stageProgress(onProgress, 0.6, 0.95, 'Comparing periods'),
          );
          return { result: periodRows, check: periodCheckFromRows(periodRows) };
        });
        dates = await dateReading(scan, resolved, period, scanned.check);
        compare = periodCompare(periodCellsFromScan(scanned.result, period), resolved, period, dates);
      }
    }
    if (resolved.where.length > 0 && cube.cells.length === 0 && cube.excludedBlank === 0) throw await noRowsKeptError(scan, resolved);
    onProgress(0.95, 'Ranking segments');
    const nonFinite = await nonFiniteCells(scan, cube, resolved);
    const dateWarning = dates ? unreadableDatesWarning(dates) : null;
    const artifact: AnalyzeArtifact = {
      ...segmentsArtifact(cube, resolved, label, compare),
      warnings: [...scan.notices, ...nonFinite.warnings, ...(dateWarning ? [dateWarning] : [])],
      non_finite_cells: nonFinite.cells,
    };
    onProgress(1, 'Done');
    return artifact;
  });
}

/** The date column as the period scan read it, with a few unreadable cells when there are any. */
async function dateReading(scan: Scan, r: ResolvedAnalyze, p: ResolvedPeriod, check: PeriodCheck): Promise<DateReading> {
  const examples = check.unreadable > 0 ? await unreadableExamples(scan, p.dateColumn, p.dateOrder, whereExpr(r, scan.dialect)) : [];
  return { column: p.dateColumn, order: p.dateOrder, unreadable: check.unreadable, examples };
}

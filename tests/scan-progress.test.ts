import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../src-shared/analyze-options';
import { InvestigationOptionsSchema, SegmentsOptionsSchema } from '../src-shared/analysis-options';
import { runAnalyze } from '../src-main/engine/analyze/run';
import { runDrivers } from '../src-main/engine/drivers/run';
import { buildInvestigationCube } from '../src-main/engine/investigation/build-cube';
import { runSegments } from '../src-main/engine/segments/run';
import { queryRows, quoteLiteral, withConnection } from '../src-main/sources/duckdb';
import { withDuckdbProgress, type ScanProgress } from '../src-main/sources/scan-progress';
import { writeBigCsv } from './fixtures/big-csv';

/** DuckDB's progress of a real scan: a generated CSV of 3M rows (about 60 MB) in a temp folder. */
const ROWS = 3_000_000;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'factorlens-progress-'));
  file = path.join(dir, 'big.csv');
  await writeBigCsv(file, ROWS);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scan progress on a real DuckDB scan', () => {
  it('a scan query tells several increasing fractions between 0 and 1 before its rows', async () => {
    const seen: ScanProgress[] = [];
    // Polled every 10 ms (the engine polls every 150 ms), so a scan of under a second still shows its steps.
    const rows = await withConnection(async (conn) =>
      withDuckdbProgress(
        conn,
        () =>
          queryRows(
            conn,
            `SELECT region, channel, sum(TRY_CAST(revenue AS DOUBLE)) AS revenue, count(*) AS n FROM read_csv(${quoteLiteral(file)}, all_varchar = true) GROUP BY ALL`,
          ),
        (p) => seen.push(p),
        10,
      ),
    );
    expect(rows.reduce((s, r) => s + Number(r.n), 0)).toBe(ROWS);
    const fractions = seen.map((p) => ('fraction' in p ? p.fraction : NaN));
    expect(fractions.every((f) => f >= 0 && f <= 1)).toBe(true);
    expect(fractions.filter((f) => f > 0 && f < 1).length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThan(fractions[i - 1]!);
  }, 60_000);

  it('an analysis reports its scan moving through the run, before the result', async () => {
    const reports: { fraction: number; stage: string }[] = [];
    const artifact = await runAnalyze(
      {
        source: { kind: 'file', path: file },
        options: AnalyzeOptionsSchema.parse({ groupBy: ['region', 'channel'], metrics: ['revenue'] }),
      },
      (fraction, stage) => reports.push({ fraction, stage }),
    );
    expect(artifact.records).toBe(ROWS);
    const scanning = reports.filter((r) => r.stage === 'Scanning rows' && r.fraction > 0.1 && r.fraction < 0.95);
    // The engine polls every 150 ms: a fast machine scans 3M rows in a few polls, so one report mid-scan is the floor.
    expect(scanning.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < scanning.length; i++) expect(scanning[i]!.fraction).toBeGreaterThan(scanning[i - 1]!.fraction);
    // The scan's reports come before the last stages and the end.
    const lastScan = reports.lastIndexOf(scanning.at(-1)!);
    expect(reports.findIndex((r) => r.stage === 'Done')).toBeGreaterThan(lastScan);
    expect(reports.every((r) => r.fraction >= 0 && r.fraction <= 1)).toBe(true);
  }, 120_000);

  it('segments reports its cube pass moving through the run (two files: the big file against itself)', async () => {
    const reports: Report[] = [];
    const result = await runSegments(
      {
        input: file,
        source: null,
        inputNew: file,
        options: SegmentsOptionsSchema.parse({ metric: 'revenue', dimensions: ['region', 'channel'] }),
      },
      (fraction, stage) => reports.push({ fraction, stage }),
    );
    expect(result.rows).toEqual({ base: ROWS, current: ROWS });
    expect(result.change).toBe(0);
    expectScanBetween(reports, 0.1, 0.9);
  }, 60_000);

  it('the guided investigation reports its cube pass moving through the run (two files: the big file against itself)', async () => {
    const reports: Report[] = [];
    const cube = await buildInvestigationCube(
      {
        base: file,
        new: file,
        source: null,
        options: InvestigationOptionsSchema.parse({
          question: 'Why did revenue change?',
          metric: 'revenue',
          dimensions: ['region', 'channel'],
        }),
      },
      (fraction, stage) => reports.push({ fraction, stage }),
    );
    // 4 regions × 3 channels, each combination on both sides with the same rows.
    expect(cube.leaves).toHaveLength(12);
    expect(cube.leaves.reduce((n, l) => n + l.den0, 0)).toBe(ROWS);
    expectScanBetween(reports, 0.1, 0.9);
  }, 60_000);

  it('drivers reports its frame pass moving through the run (two periods of a dated file)', async () => {
    // 3M rows over January and February: revenue = orders * price on every row.
    const dated = path.join(dir, 'dated.csv');
    await withConnection((conn) =>
      queryRows(
        conn,
        `COPY (SELECT strftime(DATE '2026-01-01' + CAST(i % 59 AS INTEGER), '%Y-%m-%d') AS day, ['EU', 'US', 'APAC'][i % 3 + 1] AS region, ` +
          `i % 9 + 1 AS orders, i % 7 + 2 AS price, (i % 9 + 1) * (i % 7 + 2) AS revenue FROM range(${ROWS}) AS t(i)) TO ${quoteLiteral(dated)} (HEADER)`,
      ),
    );
    const reports: Report[] = [];
    const artifact = await runDrivers(
      {
        input: dated,
        inputNew: null,
        metric: 'revenue',
        period: {
          dateColumn: 'day',
          windows: { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } },
        },
        identity: 'revenue = orders * price',
        method: 'lmdi',
      },
      (fraction, stage) => reports.push({ fraction, stage }),
    );
    // 59 days from January 1st: 31 in January, 28 in February, each day 1/59 of the rows (±1).
    expect(artifact.base_rows + artifact.new_rows).toBe(ROWS);
    expect(Math.abs(artifact.base_rows - (ROWS * 31) / 59)).toBeLessThanOrEqual(31);
    expectScanBetween(reports, 0.1, 0.7);
  }, 60_000);
});

type Report = { fraction: number; stage: string };

/** At least one 'Scanning rows' report strictly inside [from, to], increasing, before 'Done'; no fraction ever going back. */
function expectScanBetween(reports: Report[], from: number, to: number): void {
  const scanning = reports.filter((r) => r.stage === 'Scanning rows' && r.fraction > from && r.fraction < to);
  expect(scanning.length).toBeGreaterThanOrEqual(1);
  for (let i = 1; i < scanning.length; i++) expect(scanning[i]!.fraction).toBeGreaterThan(scanning[i - 1]!.fraction);
  const lastScan = reports.lastIndexOf(scanning.at(-1)!);
  expect(reports.findIndex((r) => r.stage === 'Done')).toBeGreaterThan(lastScan);
  expect(reports.at(-1)).toEqual({ fraction: 1, stage: 'Done' });
  for (let i = 1; i < reports.length; i++) expect(reports[i]!.fraction).toBeGreaterThanOrEqual(reports[i - 1]!.fraction);
}

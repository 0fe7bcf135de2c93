import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../src-shared/analyze-options';
import { runAnalyze } from '../src-main/engine/analyze/run';
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
});

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, Run } from '../src-shared/contract';
import { openWorkbench } from '../src-main/hosts/open-workbench';
import type { Workbench } from '../src-main/services/workbench';

/**
 * An investigation of two analyze runs of the history (issue 15: "an Investigate view on a dataset
 * or two runs"), through the Workbench service: the runs' artifacts are read as the CLI reads two
 * artifact files. The demo snapshots by region: US 4,020,509.65 (29 rows) -> 13,561,697.76 (71 rows).
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-wb-inv-runs-'));
const root = path.resolve(__dirname, '..');
let wb: Workbench;

function finished(jobId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wb.on('job', (e: JobEvent) => {
      if (e.jobId !== jobId) return;
      if (e.type === 'done') resolve(e.runId);
      else if (e.type === 'failed') reject(Object.assign(new Error(e.error.message), { code: e.error.code }));
    });
  });
}

async function analyzeRun(file: string): Promise<string> {
  const dataset = await wb.addFile(path.join(root, 'data', file));
  const { jobId } = (await wb.handle('analyze.start', {
    datasetId: dataset.id,
    options: { groupBy: ['region'], metrics: ['revenue_usd'], rankBy: 'revenue_usd' },
  })) as { jobId: string };
  return finished(jobId);
}

let baseRun = '';
let newRun = '';
beforeAll(async () => {
  wb = await openWorkbench({
    workspaceFile: path.join(dir, 'w.flworkspace'),
    dataDir: dir,
    engineEntryUrl: pathToFileURL(__filename).href,
  });
  baseRun = await analyzeRun('factorlens_demo_sales.csv');
  newRun = await analyzeRun('factorlens_demo_sales_150.csv');
}, 90_000);
afterAll(() => wb?.shutdown());

describe('workbench: an investigation of two analyze runs', () => {
  it('investigates the runs by their grouping, one level, with the sums of the rows', async () => {
    const { jobId } = (await wb.handle('investigation.start', {
      baseRunId: baseRun,
      newRunId: newRun,
      question: 'Compare the two runs: what moved?',
      metric: 'revenue_usd',
    })) as { jobId: string };
    const run = wb.getRun(await finished(jobId)) as Run & { kind: 'investigation' };
    const a = run.artifact;
    expect(a.input.kind).toBe('artifacts_json');
    expect(a.mode).toBe('compare_snapshots');
    expect(a.top_dimension).toBe('region');
    expect(a.steps).toHaveLength(1);
    const us = a.steps[0]!.movers.find((m) => m.segment === 'US')!;
    expect([us.base_records, us.new_records]).toEqual([29, 71]);
    expect(us.delta_metric).toBeCloseTo(13561697.76 - 4020509.65, 2);
    expect(a.totals.delta_metric).toBeCloseTo(29976205.3 - 14381166.51, 2);
    expect(a.stopping_reason).toContain('analyze artifacts');
  });

  it('refuses a run that is not an analyze run, and a request without its data', async () => {
    const { jobId } = (await wb.handle('investigation.start', {
      baseRunId: baseRun,
      newRunId: newRun,
      question: 'q?',
      metric: 'revenue_usd',
    })) as {
      jobId: string;
    };
    const investigation = await finished(jobId);
    await expect(
      wb.handle('investigation.start', { baseRunId: investigation, newRunId: newRun, question: 'q?', metric: 'revenue_usd' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(wb.handle('investigation.start', { question: 'q?', metric: 'revenue_usd' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });
});

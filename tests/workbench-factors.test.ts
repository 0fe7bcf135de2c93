import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, Run } from '../src-shared/contract';
import { openWorkbench } from '../src-main/hosts/open-workbench';
import type { Workbench } from '../src-main/services/workbench';

/** The factor calls of the Workbench service (what the UI and the web host use), on a real SQLite file. */
const data = path.resolve(__dirname, '../data');
let wb: Workbench;
const ids: Record<string, string> = {};

function finished(jobId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const on = (e: JobEvent) => {
      if (e.jobId !== jobId) return;
      if (e.type === 'done') resolve(e.runId);
      else if (e.type === 'failed') reject(new Error(e.error.message));
    };
    wb.on('job', on);
  });
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-wb-fac-'));
  wb = await openWorkbench({
    workspaceFile: path.join(dir, 'w.flworkspace'),
    dataDir: dir,
    engineEntryUrl: pathToFileURL(__filename).href,
  });
  for (const f of ['prices.csv', 'portfolio.csv', 'holdings.csv', 'factors.csv', 'demo_revenue.csv'])
    ids[f] = (await wb.addFile(path.join(data, f))).id;
});
afterAll(() => wb?.shutdown());

describe('workbench: factor models', () => {
  it('fits with the weights of a portfolio dataset, stores the run without the standardised matrix, renames factors', async () => {
    const { jobId } = (await wb.handle('factors.start', {
      datasetId: ids['prices.csv'],
      weightsDatasetId: ids['portfolio.csv'],
      k: 2,
    })) as { jobId: string };
    const runId = await finished(jobId);
    const run = wb.getRun(runId) as Run & { kind: 'factors' };
    expect(run.title).toBe('Factor model (k = 2): prices.csv');
    expect(run.artifact.weights).toEqual({ AAA: 0.4, BBB: 0.3, CCC: 0.3 });
    expect(run.artifact.model.standardized_returns).toBeUndefined();
    expect(wb.workspace().runs[0]).toMatchObject({ kind: 'factors', records: 63, segments: 2 });
    const renamed = (await wb.handle('factors.labels', { id: runId, labels: ['Market', 'Rotation'] })) as Run & { kind: 'factors' };
    expect(renamed.artifact.factor_labels).toEqual(['Market', 'Rotation']);
    await expect(wb.handle('factors.labels', { id: runId, labels: ['Only one'] })).rejects.toMatchObject({
      message: 'this model has 2 factors; got 1 names',
    });
    const fromFile = (await wb.handle('factors.labels', {
      id: runId,
      file: { name: 'l.tsv', content: '# names\n1\tBroad market\n' },
    })) as Run & { kind: 'factors' };
    expect(fromFile.artifact.factor_labels).toEqual(['Broad market', 'Rotation']);
    const csv = wb.exportRun(runId, 'csv');
    expect(csv).toMatchObject({ filename: 'attribution_prices.csv', mime: 'text/csv' });
    expect(csv.content.split('\n')).toHaveLength(65);
    expect(wb.exportRun(runId, 'md').content).toContain('| factor_1 | Broad market | 43.97% |');
  });

  it('holdings weigh by market value; a dataset without weights is refused with what to pick', async () => {
    const { jobId } = (await wb.handle('factors.start', { datasetId: ids['prices.csv'], weightsDatasetId: ids['holdings.csv'], k: 3 })) as {
      jobId: string;
    };
    const run = wb.getRun(await finished(jobId)) as Run & { kind: 'factors' };
    // shares x price: 12,150 + 14,820 + 8,445 = 35,415.
    expect(run.artifact.weights.AAA).toBeCloseTo(12150 / 35415, 14);
    expect(run.artifact.weights.BBB).toBeCloseTo(14820 / 35415, 14);
    expect(run.artifact.weights.CCC).toBeCloseTo(8445 / 35415, 14);
    expect(run.artifact.weights_source.kind).toBe('holdings');
    await expect(
      wb.handle('factors.start', { datasetId: ids['prices.csv'], weightsDatasetId: ids['demo_revenue.csv'] }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: "demo_revenue.csv has no 'ticker' column, so it cannot give portfolio weights",
    });
  });

  it('regresses on a factor dataset with Newey-West errors, exports its residuals as CSV', async () => {
    const { jobId } = (await wb.handle('regression.start', {
      datasetId: ids['prices.csv'],
      factorsDatasetId: ids['factors.csv'],
      weightsDatasetId: ids['portfolio.csv'],
      neweyWest: 'auto',
    })) as { jobId: string };
    const run = wb.getRun(await finished(jobId)) as Run & { kind: 'regression' };
    expect(run.artifact).toMatchObject({ observations: 63, std_error_method: 'newey-west', newey_west_lags: 3 });
    expect(run.artifact.betas.SMB).toBeCloseTo(1.7624, 4);
    expect(wb.exportRun(run.id, 'csv').content.split('\n')[0]).toBe('date,portfolio_return,fitted_return,residual');
    await expect(wb.handle('factors.labels', { id: run.id, labels: ['x'] })).rejects.toMatchObject({
      message: 'only a factor model has factor names',
    });
  });
});

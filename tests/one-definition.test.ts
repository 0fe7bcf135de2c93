import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallName, CallRequest, JobEvent } from '../src-shared/contract';
import { openWorkbench } from '../src-main/hosts/open-workbench';
import type { Workbench } from '../src-main/services/workbench';

/**
 * One definition per analysis: the same options given to the CLI and to the workbench (the path
 * of the desktop app and the web host) give the same artifact, paths aside.
 */
const root = path.resolve(__dirname, '..');
const data = (f: string) => path.join(root, 'data', f);
let wb: Workbench;
let dir: string;
const ids: Record<string, string> = {};

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(root, 'bin', 'factorlens.js'), ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`factorlens ${args.join(' ')} failed: ${r.stderr}`);
}

const readJson = (file: string) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;

/** A workbench run's artifact, from the done event (the run travels with it). */
async function workbenchArtifact<N extends CallName>(call: N, request: CallRequest<N>): Promise<Record<string, unknown>> {
  const { jobId } = (await wb.handle(call, request)) as { jobId: string };
  return new Promise((resolve, reject) => {
    const on = (e: JobEvent) => {
      if (e.jobId !== jobId || e.type === 'progress') return;
      wb.off('job', on);
      if (e.type === 'done') resolve(e.run.artifact as unknown as Record<string, unknown>);
      else if (e.type === 'failed') reject(new Error(e.error.message));
    };
    wb.on('job', on);
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'fl-one-def-'));
  wb = await openWorkbench({
    workspaceFile: path.join(dir, 'w.flworkspace'),
    dataDir: dir,
    engineEntryUrl: pathToFileURL(__filename).href,
  });
  for (const f of ['demo_revenue_residual.csv', 'factorlens_demo_sales.csv', 'prices.csv', 'portfolio.csv', 'factors.csv'])
    ids[f] = (await wb.addFile(data(f))).id;
});
afterAll(() => wb?.shutdown());

describe('the CLI and the workbench run the same definition', { timeout: 120_000 }, () => {
  it('analyze (groups, metrics, a filter, percentiles and insights)', async () => {
    const flags = [
      '--group-by',
      'region,channel',
      '--metrics',
      'revenue_usd,orders',
      '--rank-by',
      'revenue_usd',
      '--percentiles',
      'p50,p90',
      '--where',
      'channel=Direct',
      '--top-insights',
      '2',
    ];
    cli(['analyze', '--input', data('factorlens_demo_sales.csv'), ...flags, '--output-format', 'json', '--out', 'analyze.json']);
    const options = {
      groupBy: ['region', 'channel'],
      metrics: ['revenue_usd', 'orders'],
      rankBy: 'revenue_usd',
      percentiles: [50, 90],
      where: [{ column: 'channel', value: 'Direct' }],
      topInsights: 2,
    };
    const viaWorkbench = await workbenchArtifact('analyze.start', { datasetId: ids['factorlens_demo_sales.csv']!, options });
    const viaCli = readJson('analyze.json');
    expect(viaCli.records).toBeGreaterThan(0);
    expect(viaWorkbench).toEqual(viaCli);
  });

  it('analyze-suggest (a random sample with a seed)', async () => {
    cli([
      'analyze-suggest',
      '--input',
      data('factorlens_demo_sales.csv'),
      '--sample-mode',
      'random',
      '--sample-rows',
      '50',
      '--sample-seed',
      '7',
      '--output-format',
      'json',
      '--out',
      'suggest.json',
    ]);
    const viaWorkbench = (await wb.handle('datasets.suggest', {
      id: ids['factorlens_demo_sales.csv']!,
      sampleMode: 'random',
      sampleRows: 50,
      sampleSeed: 7,
    })) as Record<string, unknown>;
    const { profile_path: _path, input: cliInput, ...viaCli } = readJson('suggest.json');
    const { input: wbInput, profile_path: wbPath, ...rest } = viaWorkbench;
    expect(wbPath).toBeNull();
    expect(viaCli.sampled_rows).toBe(50);
    // The CLI names the file by its path, the workbench by the dataset's name.
    expect([cliInput, wbInput]).toEqual([data('factorlens_demo_sales.csv'), 'factorlens_demo_sales.csv']);
    expect(rest).toEqual(viaCli);
  });

  it('analyze-drivers (period mode, a stated method and a bridge)', async () => {
    cli([
      'analyze-drivers',
      '--input',
      data('demo_revenue_residual.csv'),
      '--metric',
      'revenue_usd',
      '--date-column',
      'date',
      '--current-start',
      '2026-03-01',
      '--current-end',
      '2026-03-31',
      '--previous-start',
      '2026-02-01',
      '--previous-end',
      '2026-02-28',
      '--method',
      'shapley',
      '--by',
      'region',
      '--output-format',
      'json',
      '--out',
      'drivers.json',
    ]);
    const viaWorkbench = await workbenchArtifact('drivers.start', {
      datasetId: ids['demo_revenue_residual.csv']!,
      metric: 'revenue_usd',
      dateColumn: 'date',
      windows: { current: { start: '2026-03-01', end: '2026-03-31' }, previous: { start: '2026-02-01', end: '2026-02-28' } },
      method: 'shapley',
      by: 'region',
    });
    const viaCli = readJson('drivers.json');
    expect(viaCli.method).toBe('shapley');
    expect(viaWorkbench).toEqual(viaCli);
  });

  it('analyze-investigate (a preset, both contribution views)', async () => {
    cli([
      'analyze-investigate',
      '--input',
      data('demo_revenue_residual.csv'),
      '--metric',
      'revenue_usd',
      '--driver-preset',
      'amount',
      '--driver-contrib',
      'both',
      '--date-column',
      'date',
      '--anchor-date',
      '2026-04-15',
      '--output-format',
      'json',
      '--out',
      'investigate.json',
    ]);
    const viaWorkbench = await workbenchArtifact('investigate.start', {
      datasetId: ids['demo_revenue_residual.csv']!,
      metric: 'revenue_usd',
      preset: 'amount',
      contributionView: 'both',
      dateColumn: 'date',
      windows: { current: { start: '2026-03-01', end: '2026-03-31' }, previous: { start: '2026-02-01', end: '2026-02-28' } },
    });
    const viaCli = readJson('investigate.json');
    expect((viaCli.drivers as unknown[]).length).toBeGreaterThan(0);
    expect(viaWorkbench).toEqual(viaCli);
  });

  it('analyze-segments (a ratio of sums, two dimensions, two periods)', async () => {
    cli([
      'analyze-segments',
      '--input',
      data('demo_revenue_residual.csv'),
      '--metric',
      'conversion',
      '--numerator',
      'orders',
      '--denominator',
      'traffic',
      '--dimensions',
      'region,channel',
      '--max-depth',
      '2',
      '--date-column',
      'date',
      '--current-start',
      '2026-03-01',
      '--current-end',
      '2026-03-31',
      '--previous-start',
      '2026-02-01',
      '--previous-end',
      '2026-02-28',
      '--output-format',
      'json',
      '--out',
      'segments.json',
    ]);
    const viaWorkbench = await workbenchArtifact('segments.start', {
      datasetId: ids['demo_revenue_residual.csv']!,
      metric: 'conversion',
      numerator: 'orders',
      denominator: 'traffic',
      dimensions: ['region', 'channel'],
      maxDepth: 2,
      dateColumn: 'date',
      windows: { current: { start: '2026-03-01', end: '2026-03-31' }, previous: { start: '2026-02-01', end: '2026-02-28' } },
    });
    const viaCli = readJson('segments.json');
    expect(viaCli.metric_kind).toBe('ratio');
    // The workbench names the table by the dataset's path; the CLI by the path it was given (the same file).
    expect(viaWorkbench).toEqual(viaCli);
  });

  it('factors fit (weights from a portfolio; the CLI file also keeps the standardised returns)', async () => {
    cli([
      'factors',
      'fit',
      '--prices',
      data('prices.csv'),
      '--portfolio',
      data('portfolio.csv'),
      '--k',
      '3',
      '--basis',
      'covariance',
      '--out',
      'fit',
    ]);
    const viaWorkbench = await workbenchArtifact('factors.start', {
      datasetId: ids['prices.csv']!,
      weightsDatasetId: ids['portfolio.csv']!,
      k: 3,
      basis: 'covariance',
    });
    const viaCli = readJson('fit/factors.json') as { model: Record<string, unknown> };
    expect(viaCli.model.standardized_returns).toBeDefined();
    delete viaCli.model.standardized_returns;
    expect(viaWorkbench).toEqual(viaCli);
  });

  it('factors regress (Newey-West; the CLI keeps the residuals in their own file)', async () => {
    cli([
      'factors',
      'regress',
      '--prices',
      data('prices.csv'),
      '--factors',
      data('factors.csv'),
      '--portfolio',
      data('portfolio.csv'),
      '--newey-west',
      '--out',
      'reg',
    ]);
    const viaWorkbench = await workbenchArtifact('regression.start', {
      datasetId: ids['prices.csv']!,
      factorsDatasetId: ids['factors.csv']!,
      weightsDatasetId: ids['portfolio.csv']!,
      neweyWest: 'auto',
    });
    const viaCli = readJson('reg/regression.json');
    expect(viaCli.std_error_method).toBe('newey-west');
    const { residuals, ...summary } = viaWorkbench;
    expect((residuals as unknown[]).length).toBe(63);
    expect(summary).toEqual(viaCli);
  });
});

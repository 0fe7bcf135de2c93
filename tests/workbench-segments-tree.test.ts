import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent, Run } from '../src-shared/contract';
import type { SegmentSplit } from '../src-shared/segment-split';
import { openWorkbench } from '../src-main/hosts/open-workbench';
import { ProjectStore } from '../src-main/services/store/project-store';
import type { Workbench } from '../src-main/services/workbench';

/**
 * The decomposition tree through the Workbench service (what the desktop app and `factorlens
 * serve` call): a segments run keeps its cube beside the artifact, and drills down after the
 * workspace is closed and opened again.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-wb-tree-'));
const workspaceFile = path.join(dir, 'w.flworkspace');
const table = path.join(dir, 'forecast.csv');
let wb: Workbench;
let runId = '';

// Forecast (expected) against actual, by region, channel and device. Hand sums:
//   the whole: expected 1000 -> actual 1090 (+90).
//   channel=web: 600 -> 700 (+100); channel=store: 400 -> 390 (-10).
//   region: EU +65, US +25; device: mobile +60, desktop +30.
//   under web, by region: US 400 -> 430 (+30), EU 200 -> 270 (+70); under web & EU, by device: mobile +60, desktop +10.
const rows = [
  ['region', 'channel', 'device', 'expected', 'actual'],
  ['US', 'web', 'mobile', '250', '260'],
  ['US', 'web', 'desktop', '150', '170'],
  ['EU', 'web', 'mobile', '120', '180'],
  ['EU', 'web', 'desktop', '80', '90'],
  ['US', 'store', 'mobile', '100', '95'],
  ['US', 'store', 'desktop', '100', '100'],
  ['EU', 'store', 'mobile', '90', '85'],
  ['EU', 'store', 'desktop', '110', '110'],
];

function finished(jobId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wb.on('job', (e: JobEvent) => {
      if (e.jobId !== jobId) return;
      if (e.type === 'done') resolve(e.runId);
      else if (e.type === 'failed') reject(new Error(e.error.message));
    });
  });
}

const open = () => openWorkbench({ workspaceFile, dataDir: dir, engineEntryUrl: pathToFileURL(__filename).href });
const split = (node: { dimension: string; value: string }[], dimension?: string, id = runId) =>
  wb.handle('segments.split', { runId: id, node, ...(dimension ? { dimension } : {}) }) as Promise<SegmentSplit>;

beforeAll(async () => {
  writeFileSync(table, rows.map((r) => r.join(',')).join('\n') + '\n');
  wb = await open();
  const dataset = await wb.addFile(table);
  const { jobId } = (await wb.handle('segments.start', {
    datasetId: dataset.id,
    metric: 'actual',
    expected: 'expected',
    dimensions: ['region', 'channel', 'device'],
  })) as { jobId: string };
  runId = await finished(jobId);
}, 60_000);
afterAll(() => wb?.shutdown());

describe('workbench: the decomposition tree of a segments run', () => {
  it('keeps the cube beside the artifact, not in it, and splits the whole by the dimension that explains most', async () => {
    const run = wb.getRun(runId) as Run & { kind: 'segments' };
    expect(run.artifact.change).toBe(90);
    expect('cube' in run.artifact).toBe(false);
    const root = await split([]);
    expect(root.node.contribution).toBe(90);
    expect(root.ranked.map((r) => [r.dimension, r.largest])).toEqual([
      ['channel', 100],
      ['region', 65],
      ['device', 60],
    ]);
    expect(root.children.map((c) => [c.segment?.[0]?.value, c.contribution])).toEqual([
      ['web', 100],
      ['store', -10],
    ]);
  });

  it('still drills down, in the order asked, after the workspace is closed and opened again', async () => {
    wb.shutdown();
    wb = await open();
    const web = await split([{ dimension: 'channel', value: 'web' }], 'region');
    expect(web.node).toMatchObject({ base: 600, current: 700, contribution: 100 });
    expect(web.children.map((c) => [c.segment?.map((s) => `${s.dimension}=${s.value}`).join(' & '), c.contribution])).toEqual([
      ['region=EU & channel=web', 70],
      ['region=US & channel=web', 30],
    ]);
    const webEu = await split([
      { dimension: 'channel', value: 'web' },
      { dimension: 'region', value: 'EU' },
    ]);
    expect(webEu.dimension).toBe('device');
    expect(webEu.children.map((c) => [c.segment?.[2]?.value, c.base, c.current, c.contribution])).toEqual([
      ['mobile', 120, 180, 60],
      ['desktop', 80, 90, 10],
    ]);
    expect(webEu.children[0]!.share).toBeCloseTo(60 / 90, 12);
  });

  it('a segments run stored without its cube (saved before the tree) answers "run it again"', async () => {
    wb.shutdown();
    const store = ProjectStore.open(workspaceFile);
    const run = store.getRun(runId);
    store.addRun({ ...run, id: 'older-run' });
    store.close();
    wb = await open();
    await expect(split([], undefined, 'older-run')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'this run keeps no data for the decomposition tree (runs saved before the tree existed have none)',
      hint: 'Run it again: a new run keeps what the tree needs.',
    });
    // The run itself still opens; removing a run removes its cube with it.
    expect(wb.getRun('older-run').kind).toBe('segments');
    await wb.handle('runs.remove', { id: runId });
    await expect(split([])).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

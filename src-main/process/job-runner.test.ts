import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../../src-shared/analyze-options';
import { engineEntryBeside, nodeEngineLauncher } from './engine-process';
import { JobRunner } from './job-runner';

const root = path.resolve(__dirname, '../..');
const small = path.join(root, 'tests/fixtures/small.csv');
const runner = new JobRunner(nodeEngineLauncher(engineEntryBeside(pathToFileURL(__filename).href)));
const request = { source: { kind: 'file' as const, path: small }, options: AnalyzeOptionsSchema.parse({ groupBy: ['team'], metrics: ['sales'], rankBy: 'sales' }) };

describe('engine process', () => {
  it('runs a job in a separate process and reports progress', async () => {
    const stages: string[] = [];
    const fractions: number[] = [];
    const job = runner.start({ kind: 'analyze', request }, (f, s) => {
      fractions.push(f);
      stages.push(s);
    });
    const artifact = await job.result;
    expect(artifact.groups.map((g) => [g.group, g.sales])).toEqual([
      ['Blue', 1012],
      ['Red', 60],
      ['Green', 8],
    ]);
    expect(stages).toContain('Scanning rows');
    expect(fractions.at(-1)).toBe(1);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
  });

  it('cancels a job by ending its process', async () => {
    const job = runner.start({ kind: 'analyze', request });
    expect(runner.cancel(job.id)).toBe(true);
    await expect(job.result).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(runner.cancel(job.id)).toBe(false);
  });

  it('passes typed errors back from the engine', async () => {
    const job = runner.start({ kind: 'analyze', request: { ...request, options: { ...request.options, groupBy: ['nope'] } } });
    await expect(job.result).rejects.toMatchObject({ code: 'UNKNOWN_COLUMN' });
  });

  it('reports an engine that dies as a failed job, not a hung one', async () => {
    const crashing = new JobRunner(nodeEngineLauncher({ path: path.join(root, 'tests/fixtures/crash-engine.mjs'), execArgv: [] }));
    await expect(crashing.start({ kind: 'analyze', request }).result).rejects.toMatchObject({ code: 'ENGINE_CRASHED' });
  });
});

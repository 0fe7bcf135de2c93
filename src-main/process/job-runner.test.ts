import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../../src-shared/analyze-options';
import { AppError } from '../../src-shared/errors';
import type { EngineJob } from '../engine/jobs';
import { engineEntryBeside, nodeEngineLauncher } from './engine-process';
import { JobRunner } from './job-runner';

const root = path.resolve(__dirname, '../..');
const small = path.join(root, 'tests/fixtures/small.csv');
const runner = new JobRunner(nodeEngineLauncher(engineEntryBeside(pathToFileURL(__filename).href)));
const request = {
  source: { kind: 'file' as const, path: small },
  options: AnalyzeOptionsSchema.parse({ groupBy: ['team'], metrics: ['sales'], rankBy: 'sales' }),
};

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

describe('engine messages are parsed, not trusted', () => {
  const fake = { path: path.join(root, 'tests/fixtures/malformed-engine.mjs'), execArgv: [] };

  it('fails only the run whose engine sends a malformed message, with a typed error, and goes on', async () => {
    let started = 0;
    const launch = nodeEngineLauncher(fake);
    const runner = new JobRunner(() => (started++, launch()), { size: 1 });
    try {
      const cases: [string, RegExp][] = [
        ['done-without-artifact', /\(artifact: the artifact is not an object of a known kind\)/],
        ['artifact-of-another-kind', /\(an artifact of kind drivers for a run of kind analyze\)/],
        ['failed-with-unknown-code', /\(error\.code: "SOMETHING_NEW" is not an error code this build knows\)/],
        ['failed-without-error', /\(error: /],
        ['progress-as-text', /\(fraction: Invalid input: expected number, received string\)/],
        ['not-an-object', /\(Invalid input/],
        ['unknown-type', /\(type: Invalid discriminator value\. Expected 'progress' \| 'done' \| 'failed'\)/],
      ];
      for (const [label, detail] of cases) {
        const error = await runner.start({ kind: 'analyze', request, inputLabel: label }).result.then(
          () => null,
          (err: unknown) => err as AppError,
        );
        expect(error, label).toBeInstanceOf(AppError);
        expect(error!.code, label).toBe('ENGINE_CRASHED');
        expect(error!.message, label).toMatch(/^the engine sent a message that the host cannot read /);
        expect(error!.message, label).toMatch(detail);
        expect(error!.hint, label).toMatch(/different builds/);
      }
      // Each unreadable engine was replaced; the next run gets a fresh one and its artifact.
      expect(started).toBe(cases.length);
      await expect(runner.start({ kind: 'analyze', request, inputLabel: 'good' }).result).resolves.toEqual({ kind: 'analyze', groups: [] });
      expect(started).toBe(cases.length + 1);
    } finally {
      runner.close();
    }
  });

  it('fails a job the engine cannot read with a typed error from the engine', async () => {
    const broken = { kind: 'analyze', request: null } as unknown as EngineJob;
    const error = await runner.start(broken).result.then(
      () => null,
      (err: unknown) => err as AppError,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error!.code).toBe('ENGINE_CRASHED');
    expect(error!.message).toBe(
      'the host sent a message that the engine cannot read (job.request: the request is not an object), so the run was stopped',
    );
    // The same engine runs the next job.
    expect((await runner.start({ kind: 'analyze', request }).result).groups).toHaveLength(3);
  });
});

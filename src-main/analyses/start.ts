import { AppError } from '../../src-shared/errors';
import type { EngineResults } from '../engine/jobs';
import type { JobHandle, JobRunner } from '../process/job-runner';
import type { Analysis, Inputs, RunContext } from './definition';

/**
 * The one path every front door takes to run an analysis: the options parsed by its schema
 * (defaults filled), its joint rules checked, its engine job built and started. The CLI and the
 * workbench differ only in where inputs come from and what happens to the artifact.
 */
export function startAnalysis(
  jobs: JobRunner,
  def: Analysis,
  inputs: Inputs,
  options: unknown,
  context: RunContext,
  progress?: (fraction: number, stage: string, rowsRead?: number) => void,
): { handle: JobHandle<EngineResults[keyof EngineResults]>; options: unknown } {
  const parsed = def.options.parse(options);
  def.check?.(inputs, parsed);
  for (const spec of def.inputs) {
    if (spec.required && !inputs[spec.role])
      throw new AppError('BAD_ARGUMENT', `${def.command} needs its ${spec.help.split(':')[0]}`, 'Give the table to read.', [spec.role]);
  }
  const handle = jobs.start(def.job(inputs, parsed, context), progress);
  // The host's part of the run (the investigation's planner) follows the engine's.
  if (!def.finish) return { handle, options: parsed };
  const finish = def.finish.bind(def);
  return { handle: { id: handle.id, result: handle.result.then((r) => finish(r, parsed, context, progress)) }, options: parsed };
}

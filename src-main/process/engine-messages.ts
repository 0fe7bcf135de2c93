import { z } from 'zod';
import { AppError, ERROR_CODES, type ErrorInfo } from '../../src-shared/errors';
import type { EngineJob, EngineResult, FromEngine, ToEngine } from '../engine/jobs';

/**
 * The messages between a host and an engine process, parsed where they arrive: a message that
 * does not fit (an engine and a host from different builds, a broken engine) fails its job with
 * a typed error instead of reaching the code that trusts its shape. Each side checks the
 * envelope and the fields it acts on; the payloads are checked shallowly (a job's request is an
 * object the host built from parsed input; an artifact is an object of the job's kind), so a
 * large artifact costs nothing to check.
 */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const objectOf = <T>(what: string) => z.custom<T>(isObject, `${what} is not an object`);

type JobOf<K extends EngineJob['kind']> = Extract<EngineJob, { kind: K }>;

export const ENGINE_JOB_KINDS = [
  'analyze',
  'suggest',
  'drivers',
  'investigate',
  'segments',
  'investigation_cube',
  'factors',
  'regression',
] as const satisfies readonly EngineJob['kind'][];

const EngineJobSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('analyze'),
    request: objectOf<JobOf<'analyze'>['request']>('the request'),
    inputLabel: z.string().optional(),
  }),
  z.object({
    kind: z.literal('suggest'),
    file: z.string(),
    source: objectOf<NonNullable<JobOf<'suggest'>['source']>>('the source').optional(),
    options: objectOf<JobOf<'suggest'>['options']>('the options'),
    inputLabel: z.string().optional(),
  }),
  z.object({ kind: z.literal('drivers'), request: objectOf<JobOf<'drivers'>['request']>('the request') }),
  z.object({ kind: z.literal('investigate'), request: objectOf<JobOf<'investigate'>['request']>('the request') }),
  z.object({ kind: z.literal('segments'), request: objectOf<JobOf<'segments'>['request']>('the request') }),
  z.object({ kind: z.literal('investigation_cube'), request: objectOf<JobOf<'investigation_cube'>['request']>('the request') }),
  z.object({ kind: z.literal('factors'), request: objectOf<JobOf<'factors'>['request']>('the request') }),
  z.object({ kind: z.literal('regression'), request: objectOf<JobOf<'regression'>['request']>('the request') }),
]);

export const ToEngineSchema: z.ZodType<ToEngine> = z.object({ type: z.literal('run'), job: EngineJobSchema });

export const ErrorInfoSchema: z.ZodType<ErrorInfo> = z.object({
  code: z.enum(ERROR_CODES, { error: (issue) => `${JSON.stringify(issue.input)} is not an error code this build knows` }),
  message: z.string(),
  hint: z.string().optional(),
  options: z.array(z.string()).optional(),
});

const ArtifactSchema = z.custom<EngineResult>(
  (v) => isObject(v) && (ENGINE_JOB_KINDS as readonly unknown[]).includes(v.kind),
  'the artifact is not an object of a known kind',
);

export const FromEngineSchema: z.ZodType<FromEngine> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), fraction: z.number(), stage: z.string(), rowsRead: z.number().optional() }),
  z.object({ type: z.literal('done'), artifact: ArtifactSchema, rss: z.number().optional() }),
  z.object({ type: z.literal('failed'), error: ErrorInfoSchema, rss: z.number().optional() }),
]);

/** The kinds a job's artifact may have: its own; a drivers job may answer with where it changed (no identity fits). */
const ANSWERS: Partial<Record<EngineJob['kind'], readonly string[]>> = { drivers: ['drivers', 'segments'] };

/** A finished job must bring back an artifact of its own kind; what is wrong when it does not. */
export function artifactMismatch(message: FromEngine, job: EngineJob): string | null {
  return message.type === 'done' && !(ANSWERS[job.kind] ?? [job.kind]).includes(message.artifact.kind)
    ? `an artifact of kind ${message.artifact.kind} for a run of kind ${job.kind}`
    : null;
}

/** The first thing wrong with a message, in a few words: "error.code: Invalid option: …". */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'it does not fit';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/** A message one side could not read fails its job; the two sides are most likely from different builds. */
export function unreadableMessage(from: 'the engine' | 'the host', detail: string): AppError {
  return new AppError(
    'ENGINE_CRASHED',
    `${from} sent a message that ${from === 'the engine' ? 'the host' : 'the engine'} cannot read (${detail}), so the run was stopped`,
    'Run it again. If it happens again, the engine and the app are from different builds: rebuild (npm run build) or reinstall FactorLens Workbench.',
  );
}

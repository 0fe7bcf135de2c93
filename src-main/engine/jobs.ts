import type { AnalyzeRequest } from '../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../src-shared/artifacts/analyze';
import type { ErrorInfo } from '../../src-shared/errors';

/** Messages between a host and the engine process (one job per process). */
export type EngineJob = { kind: 'analyze'; request: AnalyzeRequest; inputLabel?: string };

export type ToEngine = { type: 'run'; job: EngineJob };

export type FromEngine =
  | { type: 'progress'; fraction: number; stage: string }
  | { type: 'done'; artifact: AnalyzeArtifact }
  | { type: 'failed'; error: ErrorInfo };

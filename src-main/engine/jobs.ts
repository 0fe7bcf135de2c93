import type { AnalyzeRequest, Source } from '../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../src-shared/artifacts/analyze';
import type { SuggestArtifact } from '../../src-shared/artifacts/suggest';
import type { DriversArtifact } from '../../src-shared/artifacts/drivers';
import type { DriversRequest } from './drivers/run';
import type { InvestigateArtifact } from '../../src-shared/artifacts/investigate';
import type { InvestigateRequest } from './investigate/run';
import type { SegmentsRequest, SegmentsResult } from './segments/run';
import type { InvestigationCubeRequest } from './investigation/build-cube';
import type { PackedInvestigationCube } from './investigation/investigation-cube';
import type { FactorsArtifact, RegressionArtifact } from '../../src-shared/artifacts/factors';
import type { FitRequest } from './factors/fit';
import type { RegressRequest } from './factors/run-regress';
import type { ErrorInfo } from '../../src-shared/errors';
import type { SuggestOptions } from './suggest/run';

/** Messages between a host and the engine process (one job at a time per process). */
export type EngineJob =
  | { kind: 'analyze'; request: AnalyzeRequest; inputLabel?: string }
  | { kind: 'suggest'; file: string; source?: Source; options: SuggestOptions; inputLabel?: string }
  | { kind: 'drivers'; request: DriversRequest }
  | { kind: 'investigate'; request: InvestigateRequest }
  | { kind: 'segments'; request: SegmentsRequest }
  /** A guided investigation's cube (its planner runs in the host, where a model can drive it). */
  | { kind: 'investigation_cube'; request: InvestigationCubeRequest }
  | { kind: 'factors'; request: FitRequest }
  | { kind: 'regression'; request: RegressRequest };

export interface EngineResults {
  analyze: AnalyzeArtifact;
  suggest: SuggestArtifact;
  /** A segments result when no identity fits the metric (or the identity is "none"): its fallback_reason says why. */
  drivers: DriversArtifact | SegmentsResult;
  investigate: InvestigateArtifact;
  /** With the packed cube when the workbench asked for it (kept beside the run, not in its artifact). */
  segments: SegmentsResult;
  investigation_cube: PackedInvestigationCube;
  factors: FactorsArtifact;
  regression: RegressionArtifact;
}
export type EngineResult = EngineResults[keyof EngineResults];

export type ToEngine = { type: 'run'; job: EngineJob };

export type FromEngine =
  /** rowsRead: rows a scan has read when it cannot tell the fraction (the fraction then stays at the stage's start). */
  | { type: 'progress'; fraction: number; stage: string; rowsRead?: number }
  | { type: 'done'; artifact: EngineResult; rss?: number }
  | { type: 'failed'; error: ErrorInfo; rss?: number };

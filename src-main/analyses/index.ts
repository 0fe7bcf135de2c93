import type { RunKind } from '../../src-shared/contract';
import { analyze, validate } from './analyze';
import { compare } from './compare';
import type { Analysis, CommandSurface } from './definition';
import { drivers } from './drivers';
import { explainArtifact, explainFolder } from './explain';
import { factorsFit, factorsRegress } from './factors';
import { investigate } from './investigate';
import { investigation } from './investigation';
import { report } from './report';
import { segments } from './segments';
import { suggest } from './suggest';

/**
 * The analyses that run in the engine, each defined once: the CLI builds their commands from these
 * entries, the workbench starts and exports their runs from them, and the MCP server lists them.
 */
export const ANALYSES: readonly Analysis[] = [analyze, suggest, drivers, investigate, segments, factorsFit, factorsRegress, investigation];

/** Every command of the registry, in the order of the CLI's help: the analyses and the commands built on their artifacts. */
export const COMMANDS: readonly CommandSurface[] = [
  analyze,
  validate,
  suggest,
  compare,
  drivers,
  investigate,
  investigation,
  factorsFit,
  factorsRegress,
  report,
  explainFolder,
  explainArtifact,
];

/** The definition behind a run of the workspace. */
export function analysisOfRun(kind: RunKind): Analysis | null {
  return ANALYSES.find((a) => a.runKind === kind) ?? null;
}

export {
  analyze,
  validate,
  suggest,
  compare,
  drivers,
  investigate,
  segments,
  investigation,
  factorsFit,
  factorsRegress,
  report,
  explainFolder,
  explainArtifact,
};

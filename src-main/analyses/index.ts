import type { RunKind } from '../../src-shared/contract';
import { analyze } from './analyze';
import type { Analysis } from './definition';
import { drivers } from './drivers';
import { factorsFit, factorsRegress } from './factors';
import { investigate } from './investigate';
import { suggest } from './suggest';

/** Every analysis defined once; the CLI, the workbench and the MCP server are built from this list. */
export const ANALYSES: readonly Analysis[] = [analyze, suggest, drivers, investigate, factorsFit, factorsRegress];

/** The definition behind a run of the workspace. */
export function analysisOfRun(kind: RunKind): Analysis | null {
  return ANALYSES.find((a) => a.runKind === kind) ?? null;
}

export { analyze, suggest, drivers, investigate, factorsFit, factorsRegress };

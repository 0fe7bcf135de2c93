import path from 'node:path';
import type { OutputFormat } from '../../src-shared/analyze-options';
import { outputPaths, type OutputPaths } from '../artifacts/output';
import { ANALYSES } from '../analyses';
import type { Analysis } from '../analyses/definition';

/**
 * Where a run's renderings go when the caller names no file: `<folder>/<prefix>_<stem>` (no second
 * prefix when the input's name already starts with it). A run that answered as another analysis
 * (drivers falling back to segments) is named as that one. The CLI's folder is `artifacts`
 * (relative to where it runs); the MCP server's is its first write folder.
 */
export function defaultRunBase(def: Analysis, artifactKind: unknown, stem: string, folder: string): string {
  const prefix = artifactKind === def.runKind ? def.prefix : (ANALYSES.find((a) => a.runKind === artifactKind)?.prefix ?? def.prefix);
  return path.join(folder, stem.toLowerCase().startsWith(`${prefix}_`) ? stem : `${prefix}_${stem}`);
}

/** The files of a run: the requested renderings at `out`, or beside the default base. */
export function runOutputPaths(
  def: Analysis,
  artifactKind: unknown,
  stem: string,
  folder: string,
  format: OutputFormat,
  out?: string,
): OutputPaths {
  return outputPaths(defaultRunBase(def, artifactKind, stem, folder), format, out);
}

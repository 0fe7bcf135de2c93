import { parseWhere, type AnalyzeOptions } from './analyze-options';
import { PROFILE_NAME, type ProfileValues } from './contract';

/**
 * How a profile fills analyze options, the one rule for every host: the CLI (its flags) and the
 * workbench form (its fields). A profile never overrides an option the analyst gave, even when
 * that option equals its default.
 */

/** The options a profile can fill, keyed by the AnalyzeOptions field it fills. */
export type ProfileField = 'groupBy' | 'metrics' | 'where' | 'rankBy' | 'top' | 'minRecords' | 'autoGroupK';
export const PROFILE_FIELDS: readonly ProfileField[] = ['groupBy', 'metrics', 'where', 'rankBy', 'top', 'minRecords', 'autoGroupK'];

/** Fills every option the analyst did not give from the profile. */
export function applyProfile(
  options: AnalyzeOptions,
  profile: ProfileValues,
  given: ReadonlySet<ProfileField>,
  name: string,
): AnalyzeOptions {
  const out = { ...options, profile: name };
  if (!given.has('groupBy') && profile.group_by) out.groupBy = profile.group_by;
  if (!given.has('metrics') && profile.metrics) out.metrics = profile.metrics;
  if (!given.has('where') && profile.where_clauses) out.where = profile.where_clauses.flatMap((w) => parseWhere(w));
  if (!given.has('rankBy') && profile.rank_by) out.rankBy = profile.rank_by;
  if (!given.has('top') && profile.top !== undefined) out.top = profile.top;
  if (!given.has('minRecords') && profile.min_records !== undefined) out.minRecords = profile.min_records;
  if (!given.has('autoGroupK') && profile.auto_group_k !== undefined) out.autoGroupK = profile.auto_group_k;
  return out;
}

/**
 * What is wrong with a profile name, in words for the form, or null when the backend will take it
 * (PROFILE_NAME: a TOML bare key, so a profile file always reads back the same).
 */
export function profileNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the profile a name.';
  if (trimmed.length > 64) return `At most 64 characters (this one has ${trimmed.length}).`;
  if (PROFILE_NAME.test(trimmed)) return null;
  const bad = [...new Set([...trimmed].filter((ch) => !/[A-Za-z0-9_-]/.test(ch)))];
  const shown = bad.map((ch) => (ch === ' ' ? 'spaces' : `'${ch}'`)).join(', ');
  return `Use letters, digits, - and _ only (not ${shown}); e.g. ${trimmed.replace(/[^A-Za-z0-9_-]+/g, '_')}.`;
}

import { readFile } from 'node:fs/promises';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { parseWhere } from '../../src-shared/analyze-options';
import { ProfileValuesSchema, type ProfileValues } from '../../src-shared/contract';
import { AppError } from '../../src-shared/errors';

/**
 * Analyze profiles: named defaults for the options an analyst leaves unset. Built-ins (exec,
 * segment, supplier) and TOML files with [profiles.<name>] tables, which the CLI reads and the
 * workbench writes. A profile never overrides an option the analyst gave, even when that option
 * equals its default (the seed could not tell the two apart).
 */
export const ProfileSchema = ProfileValuesSchema;
export type Profile = ProfileValues;

export const BUILTIN_PROFILES: Readonly<Record<string, Profile>> = {
  exec: { auto_group_k: 3, top: 12, min_records: 20 },
  segment: { min_records: 20 },
  supplier: { auto_group_k: 3, min_records: 10 },
};

/** The rule that fills options from a profile is shared with the workbench form. */
export { applyProfile, type ProfileField } from '../../src-shared/profile-rules';

/** Parses profile TOML text; errors name the file and what is wrong. */
export function parseProfiles(text: string, source: string): Record<string, Profile> {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${source} is not valid TOML: ${(err as Error).message.split('\n')[0]}`,
      'Fix the TOML syntax; profiles are [profiles.<name>] tables.',
    );
  }
  const tables = doc.profiles;
  if (tables === undefined) return {};
  if (typeof tables !== 'object' || tables === null || Array.isArray(tables)) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${source}: 'profiles' must be a table of [profiles.<name>] tables`,
      'Write each profile as a table: [profiles.weekly] followed by its keys, e.g. group_by = ["region"].',
    );
  }
  const out: Record<string, Profile> = {};
  for (const [name, value] of Object.entries(tables)) {
    const parsed = ProfileSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new AppError(
        'BAD_ARGUMENT',
        `${source}: profile '${name}': ${issue.path.join('.') || 'value'}: ${issue.message}`,
        'Allowed keys: group_by, metrics, where_clauses (lists of text), rank_by (text), top, min_records, auto_group_k (whole numbers).',
      );
    }
    for (const w of parsed.data.where_clauses ?? []) {
      try {
        parseWhere(w);
      } catch (err) {
        throw new AppError(
          'BAD_ARGUMENT',
          `${source}: profile '${name}': ${(err as Error).message}`,
          'Write each where clause as "col=value", e.g. where_clauses = ["channel=Direct"].',
        );
      }
    }
    out[name] = parsed.data;
  }
  return out;
}

export async function readProfilesFile(file: string): Promise<Record<string, Profile>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      `cannot read profile config ${file}: ${(err as Error).message}`,
      'Check the --profile-config path.',
    );
  }
  return parseProfiles(text, file);
}

/** Exact name, then case-insensitive, in the file first, then the built-ins. */
export function findProfile(name: string, fromFile: Record<string, Profile> = {}): Profile {
  const lower = name.toLowerCase();
  for (const table of [fromFile, BUILTIN_PROFILES]) {
    if (Object.hasOwn(table, name)) return table[name]!;
    const match = Object.keys(table).find((k) => k.toLowerCase() === lower);
    if (match) return table[match]!;
  }
  const available = [...Object.keys(fromFile), ...Object.keys(BUILTIN_PROFILES)];
  throw new AppError(
    'BAD_ARGUMENT',
    `unknown profile '${name}'. Available: ${available.join(', ')}`,
    'Built-in profiles are exec, segment and supplier; others come from --profile-config.',
  );
}

/** Problems of a profile, on its own and against a table's columns (empty: it is fine). */
export function profileProblems(value: unknown, columns?: string[]): string[] {
  const parsed = ProfileSchema.safeParse(value);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || 'profile'}: ${i.message}`);
  const p = parsed.data;
  const problems: string[] = [];
  for (const w of p.where_clauses ?? []) {
    try {
      parseWhere(w);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (
    p.rank_by &&
    p.rank_by.toLowerCase() !== 'count' &&
    p.metrics &&
    !p.metrics.some((m) => m.toLowerCase() === p.rank_by!.toLowerCase())
  ) {
    problems.push(`rank_by '${p.rank_by}' is not one of the profile's metrics (${p.metrics.join(', ')})`);
  }
  if (columns) {
    const has = (c: string) => columns.some((x) => x.toLowerCase() === c.trim().toLowerCase());
    const named: [string, string[]][] = [
      ['group_by', p.group_by ?? []],
      ['metrics', p.metrics ?? []],
      ['where_clauses', (p.where_clauses ?? []).map((w) => w.split('=')[0] ?? '')],
    ];
    for (const [key, cols] of named) for (const c of cols) if (!has(c)) problems.push(`${key}: column '${c}' is not in this dataset`);
  }
  return problems;
}

/** Profiles as TOML that `--profile-config` reads back. */
export function profilesToToml(profiles: Record<string, Profile>): string {
  return stringifyToml({ profiles });
}

import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';

/**
 * `factorlens investigate --config` / `--profile` / `--profile-config`: settings from a TOML file,
 * the original's way. The file's settings are the `[investigate]` table, else its one
 * `[profiles.<name>]` table, else its root table; `--profile <name> --profile-config <file>` picks a
 * profile by name (case-insensitively), and a `--profile` that looks like a path is read as
 * `--config`. A setting fills a flag only when the command line did not give that flag: a flag
 * given on the command line wins even when it equals its default (the original could not tell).
 */

const text = z.string().min(1);
const list = z.union([
  z.array(text),
  text.transform((t) =>
    t
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ),
]);
const whole = z.number().int();

/** The settings a file may hold, by their TOML names (the flags' names with underscores). */
const SettingsSchema = z
  .object({
    question: text,
    mode: text,
    metric: text,
    dimensions: list,
    drill_fields: list,
    max_depth: whole,
    max_branches: whole,
    min_contribution: z.number(),
    min_delta_abs: z.number(),
    min_score_improvement: z.number(),
    min_slice_rows: whole,
    top_movers: whole,
    planner: text,
    planner_backend: text,
    planner_model: text,
    verbose: z.boolean(),
    trace: z.boolean(),
    output_format: text,
    out: text,
    // The inputs: filled only when the command line names none.
    base: text,
    new: text,
    input: text,
    query: text,
    query_file: text,
    date_column: text,
    // The periods: filled only when the command line gives no period flag.
    time_grain: text,
    period: text,
    anchor_date: text,
    current_start: text,
    current_end: text,
    previous_start: text,
    previous_end: text,
  })
  .partial()
  .strict();
export type InvestigationSettings = z.infer<typeof SettingsSchema>;

export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as (keyof InvestigationSettings)[];

const INPUT_KEYS = new Set(['base', 'new', 'input', 'query', 'query_file']);
const PERIOD_KEYS = new Set(['time_grain', 'period', 'anchor_date', 'current_start', 'current_end', 'previous_start', 'previous_end']);

/** max_depth -> maxDepth: the commander attribute of the setting's flag. */
const attributeOf = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

export interface ConfigFlags {
  config?: string;
  profile?: string;
  profileConfig?: string;
}

/** The settings of a file and where they came from ("x.toml [investigate]"), or null when no file is named. */
export interface LoadedSettings {
  settings: InvestigationSettings;
  from: string;
}

/** A `--profile` value that is a file rather than a name: it holds a slash or ends in .toml. */
export const looksLikePath = (value: string): boolean => /[/\\]/.test(value) || value.toLowerCase().endsWith('.toml');

async function readTomlFile(file: string, flag: string): Promise<Record<string, unknown>> {
  let body: string;
  try {
    body = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      `cannot read the config ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
      `Check the ${flag} path.`,
    );
  }
  try {
    return parseToml(body) as Record<string, unknown>;
  } catch (err) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${file} is not valid TOML: ${(err as Error).message.split('\n')[0]}`,
      'Fix the TOML syntax: settings are key = value lines under [investigate], e.g. max_depth = 3.',
    );
  }
}

const isTable = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** The settings of one table, checked: an unknown key or a value of the wrong type is a typed error naming it. */
export function parseSettings(table: Record<string, unknown>, from: string): InvestigationSettings {
  const parsed = SettingsSchema.safeParse(table);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    throw new AppError(
      'BAD_ARGUMENT',
      `${from}: unknown key '${key}'`,
      `Remove or rename it; the settings are ${SETTING_KEYS.join(', ')}.`,
    );
  }
  const key = String(issue.path[0] ?? '');
  const expected =
    key === 'dimensions' || key === 'drill_fields'
      ? 'a list of names, e.g. ["region", "channel"]'
      : key === 'verbose' || key === 'trace'
        ? 'true or false'
        : ['max_depth', 'max_branches', 'min_slice_rows', 'top_movers'].includes(key)
          ? 'a whole number, e.g. 3'
          : ['min_contribution', 'min_delta_abs', 'min_score_improvement'].includes(key)
            ? 'a number, e.g. 1.5'
            : 'a non-empty text in quotes';
  throw new AppError('BAD_ARGUMENT', `${from}: ${key} must be ${expected}`, `Change ${key} in the file to ${expected}.`);
}

/** `--config <file>` (or a path-like `--profile`): [investigate], else the one [profiles.X], else the root table. */
function settingsOfConfig(doc: Record<string, unknown>, file: string): LoadedSettings {
  if (doc.investigate !== undefined) {
    if (!isTable(doc.investigate))
      throw new AppError('BAD_ARGUMENT', `${file}: 'investigate' must be a table`, 'Write the settings under an [investigate] line.');
    return { settings: parseSettings(doc.investigate, `${file} [investigate]`), from: `${file} [investigate]` };
  }
  if (doc.profiles !== undefined) {
    const profiles = profileTables(doc, file);
    const names = Object.keys(profiles);
    if (names.length !== 1)
      throw new AppError(
        'BAD_ARGUMENT',
        names.length === 0
          ? `${file} has a [profiles] table with no profile in it`
          : `${file} holds ${names.length} profiles (${names.join(', ')}); --config reads one`,
        names.length === 0
          ? 'Add a [profiles.<name>] table, or write the settings under [investigate].'
          : `Pick one: --profile ${names[0]} --profile-config ${file}.`,
      );
    const from = `${file} [profiles.${names[0]}]`;
    return { settings: parseSettings(profiles[names[0]!]!, from), from };
  }
  return { settings: parseSettings(doc, file), from: file };
}

function profileTables(doc: Record<string, unknown>, file: string): Record<string, Record<string, unknown>> {
  const profiles = doc.profiles;
  if (profiles === undefined) return {};
  if (!isTable(profiles) || !Object.values(profiles).every(isTable))
    throw new AppError(
      'BAD_ARGUMENT',
      `${file}: 'profiles' must hold [profiles.<name>] tables`,
      'Write each profile as a table: [profiles.weekly] followed by its settings.',
    );
  return profiles as Record<string, Record<string, unknown>>;
}

/** The settings the config flags name, checked; null when none is given. */
export async function loadSettings(f: ConfigFlags): Promise<LoadedSettings | null> {
  const profileIsPath = f.profile !== undefined && looksLikePath(f.profile);
  if (f.config !== undefined && f.profile !== undefined)
    throw new AppError(
      'BAD_ARGUMENT',
      '--config and --profile cannot be used together',
      'Keep one: --config <file> reads its [investigate] table, --profile <name> --profile-config <file> one of its profiles.',
    );
  if (f.profileConfig !== undefined && (f.profile === undefined || profileIsPath))
    throw new AppError(
      'BAD_ARGUMENT',
      f.profile === undefined
        ? '--profile-config needs --profile to say which profile to use'
        : `--profile ${f.profile} is a file, so --profile-config has nothing to pick from`,
      'Give --profile <name> with --profile-config <file>, or the file alone with --config <file>.',
    );
  if (f.config !== undefined || profileIsPath) {
    const file = f.config ?? f.profile!;
    return settingsOfConfig(await readTomlFile(file, f.config !== undefined ? '--config' : '--profile'), file);
  }
  if (f.profile === undefined) return null;
  if (f.profileConfig === undefined)
    throw new AppError(
      'BAD_ARGUMENT',
      `--profile ${f.profile} needs --profile-config <file> holding [profiles.${f.profile}]`,
      'Add --profile-config <file>, or give the file itself with --config <file>.',
    );
  const file = f.profileConfig;
  const profiles = profileTables(await readTomlFile(file, '--profile-config'), file);
  const name = Object.hasOwn(profiles, f.profile)
    ? f.profile
    : Object.keys(profiles).find((k) => k.toLowerCase() === f.profile!.toLowerCase());
  if (name === undefined)
    throw new AppError(
      'BAD_ARGUMENT',
      `no profile '${f.profile}' in ${file}${Object.keys(profiles).length ? ` (it has ${Object.keys(profiles).join(', ')})` : ' (it has no [profiles.<name>] table)'}`,
      'Check the name (case does not matter), or add a [profiles.<name>] table to the file.',
    );
  const from = `${file} [profiles.${name}]`;
  return { settings: parseSettings(profiles[name]!, from), from };
}

/** A setting as the text its flag would have had on the command line (a switch: true, or unset). */
function flagValue(value: string | number | boolean | string[]): string | true | undefined {
  if (typeof value === 'boolean') return value ? true : undefined;
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/**
 * Fills the flags the command line left unset from the settings. Inputs and periods are filled
 * as a group: only when the command line names no input (or gives no period flag), so that a file
 * never mixes its input or windows with the command line's.
 */
export function applySettings(settings: InvestigationSettings, flags: Record<string, unknown>, command: Command): string[] {
  const fromCli = (key: string) => command.getOptionValueSource(attributeOf(key)) === 'cli';
  const cliInputs = [...INPUT_KEYS, 'postgres_url'].some(fromCli);
  const cliPeriods = [...PERIOD_KEYS].some(fromCli);
  const filled: string[] = [];
  for (const [key, value] of Object.entries(settings) as [keyof InvestigationSettings, string | number | boolean | string[]][]) {
    if (fromCli(key) || (INPUT_KEYS.has(key) && cliInputs) || (PERIOD_KEYS.has(key) && cliPeriods)) continue;
    flags[attributeOf(key)] = flagValue(value);
    filled.push(key);
  }
  return filled;
}

import type { z } from 'zod';
import { AppError } from '../../../src-shared/errors';

// Whole-number flags are read by the analyses' own rule (the registry's flags use it too).
export { wholeNumber } from '../../analyses/option-fields';

/** What a failed zod check allowed, in words: "at most 20", "one of head, random". */
function allowed(issue: z.core.$ZodIssue): string {
  const size = (bound: number | bigint, unit: string) => `${String(bound)} ${unit}${Number(bound) === 1 ? '' : 's'}`;
  if (issue.code === 'too_small' && issue.origin === 'string')
    return Number(issue.minimum) === 1 ? 'a non-empty text' : `at least ${size(issue.minimum, 'character')} long`;
  if (issue.code === 'too_small' && issue.origin === 'array') return `a list of at least ${size(issue.minimum, 'item')}`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `at most ${size(issue.maximum, 'character')} long`;
  if (issue.code === 'too_small') return `${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}`;
  if (issue.code === 'too_big') return `${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
  if (issue.code === 'invalid_value') return `one of ${issue.values.map(String).join(', ')}`;
  return issue.message.toLowerCase();
}

/**
 * Flag values checked by the schema the engine uses. A value the schema refuses is a BAD_ARGUMENT
 * that names the flag (`flags` maps the schema's keys to flag names) and the range it accepts,
 * never a zod error (which would surface as an internal failure).
 */
export function parseFlagValues<S extends z.ZodType>(schema: S, values: z.input<S>, flags: Record<string, string>): z.output<S> {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const flag = flags[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const given = (values as Record<string, unknown>)[key];
  const range = allowed(issue);
  throw new AppError(
    'BAD_ARGUMENT',
    `${flag} must be ${range}${given === undefined || typeof given === 'object' ? '' : ` (got '${String(given)}')`}`,
    `Change ${flag} (it must be ${range}), or leave the flag out to use its default.`,
  );
}

/** A --port value: a whole number from 0 (a free port) to 65535; `hint` says what to give instead. */
export function portNumber(text: string, hint: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || text.trim() === '')
    throw new AppError('BAD_ARGUMENT', `--port must be a number from 0 to 65535 (got '${text}')`, hint);
  return port;
}

/** The hints of the period flags, shared by every command that compares two windows. */
export const DATE_HINT = 'Write dates as YYYY-MM-DD with four-digit year, two-digit month and day, e.g. 2026-03-15.';
export const WINDOW_HINT =
  'Either give --time-grain/--period/--anchor-date, or all four of --current-start, --current-end, --previous-start and --previous-end (YYYY-MM-DD), not a mix.';

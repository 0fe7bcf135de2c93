/**
 * How the CLI shows an error: `Error [CODE]: message` and `Hint: …` on stderr, the hint followed
 * by the flags it is about, and the exit status of the error. Every error gets a hint: one that
 * has none points at the command's --help.
 */
import type { Command } from 'commander';
import type { ErrorInfo } from '../../../src-shared/errors';

/** The exit statuses of `factorlens` (the README lists them). */
export const EXIT = {
  ok: 0,
  /** The run failed: a file, the data, the database, the engine, the model. */
  failed: 1,
  /** The command line is wrong: a flag, its value, a missing or unknown one (BAD_ARGUMENT). */
  usage: 2,
} as const;

export function exitStatus(info: ErrorInfo): number {
  return info.code === 'BAD_ARGUMENT' ? EXIT.usage : EXIT.failed;
}

/** "factorlens factors fit": the command as typed. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The command the words of a command line run: `['factors', 'fit', '--k', '3']` -> `factors fit`. */
export function commandOf(program: Command, args: readonly string[]): Command {
  let cmd = program;
  for (const word of args) {
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    cmd = sub;
  }
  return cmd;
}

/** The flag of each option key on this command (`groupBy` -> `--group-by`); a key the command has no flag for stays as it is. */
export function optionFlags(cmd: Command, keys: readonly string[]): string[] {
  const flagOf = (key: string) => {
    const option = cmd.options.find((o) => !o.negate && o.attributeName() === key);
    return option?.long ?? option?.short ?? null;
  };
  const flags = keys.flatMap((key) => {
    const found = (OPTION_GROUPS[key] ?? [key]).map(flagOf).filter((f): f is string => f !== null);
    return found.length ? found : [key];
  });
  return [...new Set(flags)];
}

/** Option keys that stand for several flags of the command line (the two windows), or for a workbench field named otherwise. */
const OPTION_GROUPS: Record<string, readonly string[]> = {
  windows: ['timeGrain', 'period', 'anchorDate', 'currentStart', 'currentEnd', 'previousStart', 'previousEnd'],
  newDatasetId: ['inputNew'],
  datasetId: ['input'],
};

/** The hint for a run of `cmd` that failed with `info`: its own (with the flags it is about), or a pointer to the command's help. */
export function hintFor(info: ErrorInfo, cmd: Command): string {
  const hint =
    info.hint?.trim() ||
    (cmd.parent ? `Run ${commandPath(cmd)} --help for the options.` : `Run ${commandPath(cmd)} --help for the commands.`);
  const flags = info.options?.length ? optionFlags(cmd, info.options) : [];
  return flags.length ? `${hint} (${flags.join(', ')})` : hint;
}

/** The two lines printed on stderr. */
export function errorText(info: ErrorInfo, cmd: Command): string {
  return `Error [${info.code}]: ${info.message}\nHint: ${hintFor(info, cmd)}\n`;
}

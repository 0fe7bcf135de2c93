/**
 * Commander's own parser errors (a missing required flag, a value not among the choices, an
 * unknown flag or command, a flag without its value, words that belong to no flag) as typed
 * BAD_ARGUMENT errors with a hint that says what to do, like every other error of the CLI.
 */
import type { Command, CommanderError, Option } from 'commander';
import { AppError } from '../../../src-shared/errors';
import { commandPath } from './error-output';

/** The option a commander message is about: "option '--agg <how>' argument 'avg' is invalid" -> --agg. */
function optionNamed(cmd: Command, message: string): Option | undefined {
  const flags = /option '([^']+)'/.exec(message)?.[1];
  if (!flags) return undefined;
  return (
    cmd.options.find((o) => o.flags === flags) ?? cmd.options.find((o) => flags.split(/[ ,|]+/).some((f) => f === o.long || f === o.short))
  );
}

/** "--agg <how>" for a flag with a value, "--count-only" for a switch. */
function usageOf(option: Option): string {
  const flag = option.long ?? option.short ?? option.flags;
  const value = /[<[][^>\]]*[>\]]/.exec(option.flags)?.[0];
  return value ? `${flag} ${value}` : flag;
}

function about(option: Option): string {
  return option.description ? ` (${option.description})` : '';
}

/**
 * The typed error for a commander error of `cmd`; null when it is no error (--help, --version:
 * they exit 0).
 */
export function usageError(cmd: Command, err: CommanderError): AppError | null {
  if (err.exitCode === 0) return null;
  const path = commandPath(cmd);
  const help = `run ${path} --help for the options and an example.`;
  // Commander adds its guess on a line of its own: "(Did you mean --top?)". It goes in the hint.
  const [said = '', guess] = err.message.replace(/^error: /, '').split(/\s*\n?\(Did you mean /);
  const message = said.trim();
  const didYouMean = guess ? `Did you mean ${guess.replace(/\)\s*$/, '')} ` : '';
  const option = optionNamed(cmd, message);
  const flag = option ? (option.long ?? option.short ?? option.flags) : '';
  switch (err.code) {
    case 'commander.missingMandatoryOptionValue':
      return new AppError(
        'BAD_ARGUMENT',
        `${path} needs ${option ? usageOf(option) : message}`,
        option ? `Add ${usageOf(option)}${about(option)}; ${help}` : `Add the missing flag; ${help}`,
      );
    case 'commander.invalidArgument':
      if (option?.argChoices) {
        const given = /argument '(.*)' is invalid/s.exec(message)?.[1];
        const choices = option.argChoices.join(', ');
        return new AppError(
          'BAD_ARGUMENT',
          `${flag} must be one of ${choices}${given === undefined ? '' : ` (got '${given}')`}`,
          `Give ${flag} one of ${choices}, e.g. ${flag} ${option.argChoices[0]}.`,
        );
      }
      return new AppError('BAD_ARGUMENT', message, `Change the value; ${help}`);
    case 'commander.optionMissingArgument':
      if (!option) return new AppError('BAD_ARGUMENT', message, 'Put the value right after its flag; quote a value that has spaces.');
      return new AppError(
        'BAD_ARGUMENT',
        `${flag} needs a value`,
        `Put the value right after the flag: ${usageOf(option)}${about(option)}; quote a value that has spaces.`,
      );
    case 'commander.unknownOption':
      return new AppError('BAD_ARGUMENT', message, `${didYouMean ? `${didYouMean}Otherwise ` : 'Check the spelling of the flag; '}${help}`);
    case 'commander.excessArguments':
      return new AppError(
        'BAD_ARGUMENT',
        message,
        `Every value goes right after its flag (e.g. --out report.md), and a value with spaces goes in quotes; ${help}`,
      );
    case 'commander.unknownCommand':
      return new AppError(
        'BAD_ARGUMENT',
        message,
        `${didYouMean ? `${didYouMean}Otherwise ` : 'Check the spelling; '}run ${path} --help for the commands.`,
      );
    case 'commander.help': {
      // A command of commands (factorlens, factors) given none: its help is already on stderr.
      const names = cmd.commands.map((c) => c.name());
      return new AppError(
        'BAD_ARGUMENT',
        `${path} needs a command: ${names.join(', ')}`,
        `Add one of them, e.g. ${path} ${names[0] ?? ''} --help to see what it does and takes.`,
      );
    }
    case 'commander.conflictingOption':
      return new AppError('BAD_ARGUMENT', message, `Give only one of the two; ${help}`);
    default:
      return new AppError('BAD_ARGUMENT', message, `Check the command line; ${help}`);
  }
}

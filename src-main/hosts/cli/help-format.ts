/**
 * How every command's `--help` lists its options: first the options that name what is read (the
 * input file, the database and its query, the artifacts), then the ones that must be given, then
 * the rest as declared; an option that must be given says "(required)".
 */
import { Help, type HelpConfiguration, type Option } from 'commander';

/** Options that name the command's input, by their key (the camelCase of the flag), in the order listed. */
export const INPUT_OPTIONS = [
  'input',
  'inputNew',
  'postgresUrl',
  'query',
  'queryFile',
  'base',
  'new',
  'prices',
  'factors',
  'artifacts',
  'analysisJson',
] as const;

function inputRank(option: Option): number {
  const rank = (INPUT_OPTIONS as readonly string[]).indexOf(option.attributeName());
  return rank === -1 ? INPUT_OPTIONS.length : rank;
}

/** Inputs first (in INPUT_OPTIONS order), then required options, then the others; the sort is stable, so ties keep their declared order. */
export function helpOrder(options: readonly Option[]): Option[] {
  return [...options].sort((a, b) => inputRank(a) - inputRank(b) || Number(b.mandatory) - Number(a.mandatory));
}

export const helpFormat: HelpConfiguration = {
  visibleOptions(cmd) {
    const shown = Help.prototype.visibleOptions.call(this, cmd);
    // The built-in --help is not one of cmd.options: it stays last.
    const own = shown.filter((o) => cmd.options.includes(o));
    return [...helpOrder(own), ...shown.filter((o) => !own.includes(o))];
  },
  optionDescription(option) {
    const text = Help.prototype.optionDescription.call(this, option);
    return option.mandatory ? `${text} (required)` : text;
  },
};

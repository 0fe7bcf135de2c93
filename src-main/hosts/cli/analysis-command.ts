import { Command, Option } from 'commander';
import type { OutputFormat } from '../../../src-shared/analyze-options';
import { PROFILE_FIELDS, type ProfileField } from '../../../src-shared/profile-rules';
import { AppError } from '../../../src-shared/errors';
import type { AnalyzeOptions } from '../../../src-shared/analyze-options';
import { writeFilesAtomically, writeRenderings } from '../../artifacts/output';
import type { Analysis, CommandSurface, FlagSpec, Inputs } from '../../analyses/definition';
import { defaultText, optionField, type OptionField } from '../../analyses/option-fields';
import { startAnalysis } from '../../analyses/start';
import { runOutputPaths } from '../run-files';
import type { JobRunner } from '../../process/job-runner';
import { applyProfile, findProfile, readProfilesFile } from '../../services/profiles';
import { inspectCsv } from '../../sources/csv';
import { parseList } from '../../../src-shared/analyze-syntax';
import { parseFlagValues, wholeNumber } from './args';
import { addPeriodFlags, periodOptionsFromFlags, windowsFromFlags, type PeriodFlags } from './period-flags';
import { progressReporter } from './progress';
import { addSourceFlags, sourceFromFlags, sourceStem, type SourceFlags } from './source-flags';

type Flags = Record<string, string | true | undefined> &
  SourceFlags &
  PeriodFlags & { outputFormat?: OutputFormat; out?: string; profile?: string; profileConfig?: string };

/** The camelCase key commander gives a flag's value ('--top-drivers <n>' -> topDrivers). */
const attributeOf = (flag: string) => new Option(flag).attributeName();
const flagNameOf = (spec: FlagSpec) => spec.flag.split(/[ <[]/)[0]!;

/** Examples under the help, as every command shows them. */
export function addExamples(cmd: Command, examples: readonly string[]): Command {
  return cmd.addHelpText('after', `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  ${e}`).join('\n')}`);
}

/** A flag's text as the option's value, by the schema's type (whole numbers within the schema's bounds). */
function valueFromText(field: OptionField, flag: string, text: string | true): unknown {
  switch (field.type) {
    case 'switch':
      return text === true ? true : text === 'true';
    case 'number':
      return wholeNumber(flag, String(text), field.min ?? 0, field.max ?? undefined);
    case 'list':
      return parseList(String(text));
    default:
      return text;
  }
}

/** The inputs, then the options of a definition (type, choices, default and whether required come from its schema). */
export function addAnalysisFlags(cmd: Command, def: CommandSurface): Command {
  for (const input of def.inputs) {
    // --input also takes a Postgres query (--postgres-url with --query); other inputs are files.
    if (input.flag === '--input') addSourceFlags(cmd, input.help);
    else cmd.addOption(Object.assign(new Option(`${input.flag} <${input.arg ?? 'file'}>`, input.help), { mandatory: input.required }));
  }
  if (def.profiles) {
    cmd.option('--profile <name>', 'fill unset options from a profile: exec, segment, supplier, or one in --profile-config');
    cmd.option('--profile-config <toml>', 'TOML file with [profiles.<name>] tables');
  }
  for (const spec of def.flags) {
    if (spec.flag === 'period') addPeriodFlags(cmd);
    else if (spec.flag === 'period-options') addPeriodFlags(cmd, true);
    else {
      const field = optionField(def.options, spec.key);
      const shown = defaultText(field);
      const option = new Option(spec.flag, shown && field.type !== 'switch' ? `${spec.help} (default: ${shown})` : spec.help);
      const choices = spec.choices ?? (field.type === 'choice' ? field.choices : []);
      if (choices.length > 0) option.choices([...choices]);
      if (field.required) option.makeOptionMandatory();
      if (spec.conflicts) option.conflicts(spec.conflicts.map((key) => attributeOf(def.flags.find((f) => f.key === key)!.flag)));
      cmd.addOption(option);
    }
  }
  return cmd;
}

/** The run's inputs and options from the command line, checked by the definition's schema. */
export async function analysisFromFlags(def: CommandSurface, f: Flags, command: Command): Promise<{ inputs: Inputs; options: unknown }> {
  const values: Record<string, unknown> = {};
  const flagNames: Record<string, string> = {};
  for (const spec of def.flags) {
    if (spec.flag === 'period') {
      values[spec.key] = windowsFromFlags(f);
      continue;
    }
    if (spec.flag === 'period-options') {
      values[spec.key] = periodOptionsFromFlags(f);
      continue;
    }
    const flag = flagNameOf(spec);
    flagNames[spec.key] = flag;
    const text = f[attributeOf(spec.flag)];
    if (text === undefined) continue;
    values[spec.key] = spec.parse ? spec.parse(text, flag) : valueFromText(optionField(def.options, spec.key), flag, text);
  }
  let options: unknown = parseFlagValues(def.options, values as never, flagNames);
  if (def.profiles) options = await withProfile(def, options as AnalyzeOptions, f, command);
  const inputs: Inputs = {};
  for (const input of def.inputs) {
    const file = f[attributeOf(input.flag)];
    if (input.flag === '--input') {
      // An optional table (investigate's --input, an alternative to --base/--new) is read only when a table flag is given.
      const given = [f.input, f.query, f.queryFile, f.postgresUrl].some((v) => v !== undefined);
      if (input.required || given) inputs[input.role] = sourceFromFlags(f);
    } else if (typeof file === 'string') inputs[input.role] = { kind: 'file', path: file };
  }
  return { inputs, options };
}

/** A profile fills the options the command line did not give (an explicit flag wins, even when it equals the default). */
async function withProfile(def: CommandSurface, options: AnalyzeOptions, f: Flags, command: Command): Promise<AnalyzeOptions> {
  if (f.profileConfig && !f.profile)
    throw new AppError(
      'BAD_ARGUMENT',
      '--profile-config needs --profile to say which profile to use',
      'Add --profile <name> with the name of a [profiles.<name>] table of that file.',
    );
  if (!f.profile) return options;
  const fromFile = f.profileConfig ? await readProfilesFile(f.profileConfig) : {};
  const flagOf = (field: ProfileField) => def.flags.find((s) => s.key === field);
  const given = new Set<ProfileField>(
    PROFILE_FIELDS.filter((field) => flagOf(field) && command.getOptionValueSource(attributeOf(flagOf(field)!.flag)) === 'cli'),
  );
  return applyProfile(options, findProfile(f.profile, fromFile), given, f.profile);
}

/**
 * A command built from an analysis's definition: inputs first, then options, the output flags
 * and the examples. It runs through startAnalysis, the path the workbench takes too, and writes
 * the definition's renderings.
 */
export function analysisCommand(def: Analysis, runner: () => JobRunner, name = def.command): Command {
  const cmd = addAnalysisFlags(new Command(name).description(def.summary), def);
  for (const alias of def.aliases ?? []) cmd.alias(alias);
  if (def.folder) cmd.requiredOption('--out <dir>', 'folder for the artifacts (created)');
  else {
    cmd.addOption(
      new Option('--output-format <fmt>', 'what to write (default: both, Markdown and JSON)').choices([
        'md',
        'json',
        'both',
        ...(def.render.html ? ['html'] : []),
      ]),
    );
    cmd.option('--out <file>', `output path (default: artifacts/${def.prefix}_<input>.md|.json)`);
  }
  addExamples(cmd, def.examples);
  return cmd.action(async (f: Flags, command: Command) => {
    const { inputs, options } = await analysisFromFlags(def, f, command);
    // A file's header is read before the engine starts, so a wrong path or a file that is no table fails at once.
    const input = inputs.input;
    if (input?.kind === 'file') await inspectCsv(input.path);
    const progress = progressReporter();
    let artifact;
    try {
      artifact = await startAnalysis(runner(), def, inputs, options, { labels: {}, names: {}, forFiles: true }, progress.update).handle
        .result;
    } finally {
      progress.done();
    }
    let written: string[];
    if (def.folder) {
      const files = def.folder(artifact, f.out!);
      await writeFilesAtomically(files);
      written = files.map((x) => x.path);
    } else {
      const paths = runOutputPaths(def, artifact.kind, sourceStem(inputs.input!, f), 'artifacts', f.outputFormat ?? 'both', f.out);
      written = await writeRenderings(paths, (format) => def.render[format]!(artifact));
    }
    process.stdout.write(def.report(artifact, written));
  });
}

import { Command, Option } from 'commander';
import path from 'node:path';
import type { InvestigationOptions } from '../../../src-shared/analysis-options';
import type { OutputFormat } from '../../../src-shared/analyze-options';
import type { InvestigationArtifact } from '../../../src-shared/artifacts/investigation';
import { AppError } from '../../../src-shared/errors';
import { outputPaths, writeRenderings } from '../../artifacts/output';
import { investigationConsole } from '../../artifacts/render-investigation';
import { investigation, isJsonFile } from '../../analyses/investigation';
import { startAnalysis } from '../../analyses/start';
import type { Planner } from '../../engine/investigation/planner';
import { createModelPlanner, PLANNER_MODEL_ENV, type ModelPlanner } from '../../explain/investigation-planner';
import type { JobRunner } from '../../process/job-runner';
import { inspectCsv } from '../../sources/csv';
import { addAnalysisFlags, addExamples, analysisFromFlags } from './analysis-command';
import { applySettings, loadSettings, type ConfigFlags } from './investigation-config';
import { progressReporter } from './progress';

const OUTPUT_FORMATS = ['md', 'json', 'both', 'html'] as const;
/** SPEC 2.6: artifacts/investigate_workflow.md|.json|.html. */
const DEFAULT_BASE = path.join('artifacts', 'investigate_workflow');

type Flags = Record<string, unknown> & ConfigFlags & { outputFormat?: string; out?: string };

/**
 * The model planner the options ask for (null: the deterministic rule). Opened before the engine
 * runs, so a missing model is said at once; a model named by a config file is named as such.
 */
export function openPlanner(o: InvestigationOptions, modelFrom: string | null): ModelPlanner | null {
  if (o.planner !== 'llm') return null;
  try {
    return createModelPlanner({ backend: o.plannerBackend, model: o.plannerModel });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'MODEL_MISSING' || modelFrom === null) throw err;
    throw new AppError(
      'MODEL_MISSING',
      `the planner model ${path.resolve(o.plannerModel!)} (planner_model in ${modelFrom}) does not exist`,
      `Set planner_model to a GGUF file that exists (or remove it and set ${PLANNER_MODEL_ENV.join(' or ')}), or add --planner deterministic to run without a model.`,
      ['plannerModel'],
    );
  }
}

/**
 * `factorlens investigate`, from its registry entry (src-main/analyses/investigation.ts): the
 * entry's flags plus the config flags, settings from a TOML file where the command line is silent,
 * the cube built in the engine, the steps planned here (a model planner runs in this process),
 * the renderings written.
 */
export function investigationCommand(runner: () => JobRunner): Command {
  const def = investigation;
  const cmd = addAnalysisFlags(new Command(def.command).description(def.summary), def)
    .option('--config <toml>', 'settings from a TOML file: its [investigate] table, its one [profiles.<name>], or its root table')
    .option('--profile <name|toml>', 'a profile of --profile-config (any case); a path (holding / or ending .toml) is read like --config')
    .option('--profile-config <toml>', 'TOML file with [profiles.<name>] tables')
    .addOption(new Option('--output-format <fmt>', 'what to write (default: both, Markdown and JSON)').choices([...OUTPUT_FORMATS]))
    .option('--out <file>', 'output path (default: artifacts/investigate_workflow.md|.json|.html)');
  // The question and the metric may come from a config file: the command checks them once the file is read.
  for (const option of cmd.options) if (option.long === '--question' || option.long === '--metric') option.mandatory = false;
  cmd.addHelpText(
    'after',
    '\n--question and --metric are required, on the command line or in the config file. Flags given on the\ncommand line win over the config file; the file fills only the flags left out.\n' +
      '--min-contribution is in share points of records for concentration_drivers, in percent of the whole change otherwise.',
  );
  addExamples(cmd, def.examples);
  return cmd.action(async (f: Flags, command: Command) => {
    const loaded = await loadSettings(f);
    const filled = loaded ? applySettings(loaded.settings, f, command) : [];
    if (f.outputFormat !== undefined && !(OUTPUT_FORMATS as readonly string[]).includes(f.outputFormat))
      throw new AppError(
        'BAD_ARGUMENT',
        `output_format in ${loaded?.from ?? 'the config'} must be one of ${OUTPUT_FORMATS.join(', ')} (got '${f.outputFormat}')`,
        'Change output_format in the file, or give --output-format.',
      );
    if (f.question === undefined)
      throw new AppError(
        'BAD_ARGUMENT',
        'investigate needs a question',
        'Add --question "Why did revenue change?", or question = "…" in the --config file.',
        ['question'],
      );
    if (f.metric === undefined)
      throw new AppError(
        'BAD_ARGUMENT',
        'investigate needs the metric column',
        'Add --metric <col>, or metric = "…" in the --config file.',
        ['metric'],
      );
    const { inputs, options } = await analysisFromFlags(def, f as never, command);
    const o = options as InvestigationOptions;
    investigation.check?.(inputs, o);
    // Tables are read before the engine starts, so a wrong path or a file that is no table fails at once.
    for (const source of [inputs.input, inputs.base, inputs.new])
      if (source?.kind === 'file' && !isJsonFile(source.path)) await inspectCsv(source.path);
    const planner: Planner | null = openPlanner(o, filled.includes('planner_model') ? loaded!.from : null);
    const progress = progressReporter();
    let artifact: InvestigationArtifact;
    try {
      const run = startAnalysis(
        runner(),
        def,
        inputs,
        o,
        { labels: {}, names: {}, forFiles: true, ...(planner ? { planner } : {}) },
        progress.update,
      );
      artifact = (await run.handle.result) as unknown as InvestigationArtifact;
      // What went wrong with a model on the way (a failed call, the fallback model taking over) is said in the report.
      if (planner) artifact.warnings.push(...(planner as ModelPlanner).warnings.filter((w) => !artifact.warnings.includes(w)));
    } finally {
      progress.done();
      await (planner as ModelPlanner | null)?.close();
    }
    const written = await writeRenderings(outputPaths(DEFAULT_BASE, (f.outputFormat ?? 'both') as OutputFormat, f.out), (format) =>
      def.render[format]!(artifact as never),
    );
    process.stdout.write(investigationConsole(artifact, written, { verbose: o.verbose, trace: o.trace }));
  });
}

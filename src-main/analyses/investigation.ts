import path from 'node:path';
import { INVESTIGATION_MODES, InvestigationOptionsSchema } from '../../src-shared/analysis-options';
import { parseWhere } from '../../src-shared/analyze-options';
import { parseList } from '../../src-shared/analyze-syntax';
import type { InvestigationArtifact } from '../../src-shared/artifacts/investigation';
import { AppError } from '../../src-shared/errors';
import { investigationConsole, investigationHtml, investigationMarkdown } from '../artifacts/render-investigation';
import { unpackInvestigationCube } from '../engine/investigation/investigation-cube';
import { checkBranchLimit, deterministicPlanner, runInvestigation } from '../engine/investigation/run';
import type { PackedCube } from '../engine/segments/packed-cube';
import { defineAnalysis, json, type Inputs } from './definition';
import { written } from './parse-flag';
import { expectedSteps, stepFraction, stepLabel } from './investigation-progress';

/** A snapshot given as an analyze JSON artifact rather than a table. */
export const isJsonFile = (file: string): boolean => path.extname(file).toLowerCase() === '.json';

/** `change-drivers` reads as `change_drivers` (the original accepted both). */
const modeOf = (text: string | true) => String(text).trim().toLowerCase().replaceAll('-', '_');

/** A list of names, the second spelling of a name (any case) dropped. */
function namesOf(text: string | true): string[] {
  const seen = new Set<string>();
  return parseList(String(text)).filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A decimal flag value (the thresholds are not whole numbers: --min-contribution 1.5). */
function decimal(text: string | true, flag: string): number {
  const trimmed = String(text).trim();
  const n = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(n))
    throw new AppError(
      'BAD_ARGUMENT',
      `${flag} must be a number (got '${String(text)}')`,
      `Give ${flag} a number written with digits, e.g. ${flag} 1.5.`,
    );
  return n;
}

/** Which inputs a run has: one table (two periods of it), or two snapshots (tables or analyze artifacts). */
function checkInputs(inputs: Inputs): void {
  const { input, base, new: next } = inputs;
  if ((base === undefined) !== (next === undefined))
    throw new AppError(
      'BAD_ARGUMENT',
      `--${base ? 'base' : 'new'} needs --${base ? 'new' : 'base'}: an investigation compares two snapshots`,
      'Give both --base <file> and --new <file>, or one table with --input and --date-column.',
      [base ? 'new' : 'base'],
    );
  if (input !== undefined && base !== undefined)
    throw new AppError(
      'BAD_ARGUMENT',
      'choose one input: --base with --new, or one table (--input, or --postgres-url with --query) split by --date-column',
      'Drop --input (or the Postgres flags), or drop --base and --new.',
    );
  if (input === undefined && base === undefined)
    throw new AppError(
      'BAD_ARGUMENT',
      'no input: give --base and --new (CSV files or analyze JSON artifacts), or --postgres-url with --query and --date-column',
      'For example: --base data/factorlens_demo_sales.csv --new data/factorlens_demo_sales_150.csv.',
      ['base', 'new'],
    );
  if (base?.kind === 'file' && next?.kind === 'file' && isJsonFile(base.path) !== isJsonFile(next.path))
    throw new AppError(
      'BAD_ARGUMENT',
      `--base and --new must be the same kind of file: ${base.path} is ${isJsonFile(base.path) ? 'an analyze JSON artifact' : 'a table'}, ${next.path} is ${isJsonFile(next.path) ? 'an analyze JSON artifact' : 'a table'}`,
      'Give two CSV files (the drill-down reads their rows) or two analyze JSON artifacts (one dimension, no drill-down).',
      ['base', 'new'],
    );
}

export const investigation = defineAnalysis<'investigation_cube', typeof InvestigationOptionsSchema, InvestigationArtifact>({
  command: 'investigate',
  runKind: 'investigation',
  summary:
    'Guided investigation: from a question, the top dimension of a change and a drill-down into its strongest segments (deterministic, or planned by a model)',
  inputs: [
    { role: 'base', flag: '--base', arg: 'csv|json', required: false, help: 'the base snapshot: a CSV file, or an analyze JSON artifact' },
    { role: 'new', flag: '--new', arg: 'csv|json', required: false, help: 'the new snapshot (the same kind of file as --base)' },
    {
      role: 'input',
      flag: '--input',
      table: true,
      required: false,
      help: 'instead of --base/--new: one table holding both periods, split by --date-column',
    },
  ],
  options: InvestigationOptionsSchema,
  flags: [
    {
      key: 'question',
      flag: '--question <text>',
      help: 'what to find out, e.g. "Why did revenue change?" (it picks the mode unless --mode is given)',
    },
    {
      key: 'mode',
      flag: '--mode <mode>',
      help: `${INVESTIGATION_MODES.join(', ')} (hyphens accepted; default: routed from the question's words)`,
      // The hyphenated names are accepted too, so commander does not check the choices: the schema does.
      choices: [],
      parse: modeOf,
    },
    { key: 'metric', flag: '--metric <col>', help: 'the metric column (summed)' },
    { key: 'dateColumn', flag: '--date-column <col>', help: 'date column splitting one table or query into the two periods' },
    { key: 'windows', flag: 'period', help: 'the two periods compared (one table or a query)' },
    {
      key: 'dimensions',
      flag: '--dimensions <cols>',
      help: 'comma-separated dimensions: the first is the top dimension, the rest the drill fields (default: inferred)',
      parse: namesOf,
    },
    {
      key: 'where',
      flag: '--where <filters>',
      help: 'investigate only the rows where col=value (comma-separated, all must hold), e.g. the segment of a recommended next question',
      parse: (t) =>
        written(
          () => parseWhere(String(t)),
          'where',
          'Write filters as col=value pairs separated by commas, e.g. region=US,channel=Direct.',
        ),
    },
    {
      key: 'drillFields',
      flag: '--drill-fields <cols>',
      help: 'the drill-down order (default: the dimensions after the first)',
      parse: namesOf,
    },
    { key: 'maxDepth', flag: '--max-depth <n>', help: 'steps on a path, the top-level step included' },
    { key: 'maxBranches', flag: '--max-branches <n>', help: 'segments each step drills into' },
    {
      key: 'minContribution',
      flag: '--min-contribution <x>',
      help: "a branch's score at least: share points of records (concentration_drivers), else percent of the whole change",
      parse: decimal,
    },
    {
      key: 'minDeltaAbs',
      flag: '--min-delta-abs <x>',
      help: "a branch's metric change at least this, in the metric's units",
      parse: decimal,
    },
    {
      key: 'minScoreImprovement',
      flag: '--min-score-improvement <x>',
      help: "a child step's top score must beat its branch's score by this much",
      parse: decimal,
    },
    { key: 'minSliceRows', flag: '--min-slice-rows <n>', help: 'a branch holds at least this many rows on one side' },
    { key: 'topMovers', flag: '--top-movers <n>', help: 'movers kept per step' },
    {
      key: 'planner',
      flag: '--planner <kind>',
      help: 'who picks each step: the deterministic rule, or a language model (checked against the rule)',
    },
    { key: 'plannerBackend', flag: '--planner-backend <name>', help: 'the model planner: a local GGUF model, or AWS Bedrock' },
    {
      key: 'plannerModel',
      flag: '--planner-model <path|id>',
      help: 'a GGUF file (local; default: FACTORLENS_PLANNER_LOCAL_MODEL, else FACTORLENS_LOCAL_MODEL) or a Bedrock model id',
    },
    { key: 'verbose', flag: '--verbose', help: 'print every step and its largest movers' },
    { key: 'trace', flag: '--trace', help: "print the planner's decisions" },
  ],
  examples: [
    'factorlens investigate --question "Why did revenue change?" --metric revenue_usd \\\n    --base data/factorlens_demo_sales.csv --new data/factorlens_demo_sales_150.csv',
    'factorlens investigate --config data/investigate.example.toml --planner deterministic \\\n    --base data/factorlens_demo_sales.csv --new data/factorlens_demo_sales_150.csv',
    'factorlens investigate --question "Where did orders get more concentrated?" --metric orders \\\n    --input data/factorlens_demo_sales_150.csv --date-column order_date --anchor-date 2026-03-15 --period current',
  ],
  check(inputs, o) {
    checkInputs(inputs);
    checkBranchLimit(o);
  },
  job: (inputs, o) => {
    // Two snapshots are compared whole: the windows are for one table's (or a query's) two periods.
    const snapshots = inputs.new !== undefined;
    const table = inputs.input ?? inputs.base;
    return {
      kind: 'investigation_cube',
      request: {
        base: table?.kind === 'file' ? table.path : null,
        new: inputs.new?.kind === 'file' ? inputs.new.path : null,
        source: table?.kind === 'postgres' ? table : null,
        options: snapshots ? { ...o, windows: null } : o,
      },
    };
  },
  finish: async (result, options, context, progress) => {
    const cube = unpackInvestigationCube(result);
    const planner = context.planner ?? deterministicPlanner;
    const expected = expectedSteps(options.maxDepth, options.maxBranches, cube.dimensions.length, planner.kind !== 'deterministic');
    let taken = 0;
    const artifact = await runInvestigation(cube, options, planner, (step) => {
      taken++;
      progress?.(stepFraction(taken, expected), stepLabel(taken, step, cube.where));
    });
    // A stored run keeps the cube beside its artifact (the workbench strips it off) for the
    // decomposition tree; files never carry it, and analyze artifacts have no rows to drill into.
    if (context.forFiles || !cube.drillable) return artifact;
    const kept: InvestigationArtifact & { cube: PackedCube } = { ...artifact, cube: result.cube };
    return kept;
  },
  title: (a) => `Investigate: ${a.question}`,
  render: { md: investigationMarkdown, html: investigationHtml, json },
  prefix: 'investigate',
  fileName: (_a, format) => `investigate_workflow.${format}`,
  report: (a, written) => investigationConsole(a, written),
});

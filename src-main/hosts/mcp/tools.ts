import { readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { InvestigationOptions } from '../../../src-shared/analysis-options';
import type { AnalyzeOptions, OutputFormat, Source } from '../../../src-shared/analyze-options';
import type { InvestigationArtifact } from '../../../src-shared/artifacts/investigation';
import type { SuggestArtifact } from '../../../src-shared/artifacts/suggest';
import { AppError } from '../../../src-shared/errors';
import { PROFILE_FIELDS } from '../../../src-shared/profile-rules';
import { readFactorFolder } from '../../artifacts/factor-folder';
import { outputPaths, writeFilesAtomically, writeRenderings } from '../../artifacts/output';
import { investigationStory } from '../../artifacts/render-investigation';
import { suggestedProfile } from '../../artifacts/render-suggest';
import { ANALYSES, compare, investigation, report, suggest, validate } from '../../analyses';
import type { Analysis, CommandSurface, Inputs } from '../../analyses/definition';
import { isJsonFile } from '../../analyses/investigation';
import type { ReportOptionsSchema } from '../../analyses/report';
import { startAnalysis } from '../../analyses/start';
import type { ModelPlanner } from '../../explain/investigation-planner';
import type { JobRunner } from '../../process/job-runner';
import type { FileAccess } from '../../services/file-access';
import { applyProfile, findProfile, profilesToToml, readProfilesFile } from '../../services/profiles';
import { inspectCsv } from '../../sources/csv';
import { parseFlagValues } from '../cli/args';
import { validationReport } from '../cli/analyze-command';
import { readSnapshot } from '../cli/compare-command';
import { openPlanner } from '../cli/investigation-command';
import { periodOptionsFromFlags, windowsFromFlags, type PeriodFlags } from '../cli/period-flags';
import { sourceFromFlags, sourceStem, type SourceFlags } from '../cli/source-flags';
import { defaultRunBase } from '../run-files';
import { commandParams, objectSchema, paramOfFlag, toolNameOf, type JsonSchema, type ToolParam } from './tool-schema';

/** What every tool call may use: the engines, the folders it may read and write, its time limit. */
export interface ToolContext {
  runner: JobRunner;
  /** Files a tool may read: the read folders and the write folders. */
  read: FileAccess;
  /** Files a tool may write. */
  write: FileAccess;
  readDirs: string[];
  writeDirs: string[];
  /** A call's time limit when it gives no timeout_sec, in seconds. */
  timeoutSec: number;
  version: string;
  sdkVersion: string;
  transport: 'stdio' | 'http';
}

/** One call: its cancel signal and where its progress goes. */
export interface CallContext {
  signal: AbortSignal;
  progress: (fraction: number, stage: string, rowsRead?: number) => void;
}

/** What a tool gives back: text for the assistant, the files written, structured data. */
export interface ToolOutput {
  text: string;
  files: string[];
  data: Record<string, unknown>;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchema;
  /** Parameter names, for error messages that name a CLI flag (`--group-by` is said `group_by`). */
  params: string[];
  /** Whether it only reads (the helpers) or also writes files (the analyses; the same call writes the same files). */
  readOnly: boolean;
  run(args: Record<string, unknown>, ctx: ToolContext, call: CallContext): Promise<ToolOutput>;
}

type Args = Record<string, unknown>;

/** The Markdown sent back in a result is capped: the whole rendering is in the file written. */
const MAX_TEXT = 60_000;
const capText = (text: string, file?: string) =>
  text.length <= MAX_TEXT
    ? text
    : `${text.slice(0, MAX_TEXT)}\n\n… (cut at ${MAX_TEXT} characters; the whole report is ${file ?? 'in the files written'})`;

const OUTPUT_PARAMS = (def: { render: { html?: unknown } }, defaultText: string): ToolParam[] => [
  {
    name: 'output_format',
    schema: {
      type: 'string',
      enum: formatsOf(def),
      default: 'both',
      description: 'what to write: Markdown, JSON or both',
    },
    required: false,
  },
  { name: 'out', schema: { type: 'string', description: `output path inside a write folder (default: ${defaultText})` }, required: false },
];

const TIMEOUT_PARAM: ToolParam = {
  name: 'timeout_sec',
  schema: {
    type: 'number',
    exclusiveMinimum: 0,
    description: 'stop the run after this many seconds (default: the server’s --timeout-sec)',
  },
  required: false,
};

const camel = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The arguments as the CLI's flag values (snake_case → camelCase), for the shared source and period rules. */
function asFlags(args: Args): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [camel(k), v]));
}

const stringArg = (args: Args, name: string): string | undefined => {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.trim() === '')
    throw new AppError('BAD_ARGUMENT', `${name} must be a non-empty text`, `Give ${name} as a path or a value, or leave it out.`);
  return v;
};

/** A parameter that is one of a few words (the server does not check the schema's enums itself). */
function choiceArg<T extends string>(args: Args, name: string, choices: readonly T[], fallback: T): T {
  const v = args[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
  throw new AppError(
    'BAD_ARGUMENT',
    `${name} must be one of ${choices.join(', ')} (got '${String(v)}')`,
    `Give ${name} as one of ${choices.join(', ')}, or leave it out (${fallback}).`,
  );
}

/** A whole-number parameter within bounds. */
function wholeArg(args: Args, name: string, min: number, max: number, fallback: number): number {
  const v = args[name];
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  throw new AppError(
    'BAD_ARGUMENT',
    `${name} must be a whole number from ${min} to ${max} (got '${String(v)}')`,
    `Give ${name} such as ${fallback}, or leave it out.`,
  );
}

/** The output formats a command writes. */
const formatsOf = (def: { render: { html?: unknown } }): OutputFormat[] => [
  'md',
  'json',
  'both',
  ...(def.render.html ? (['html'] as const) : []),
];

/** The read check of every file a call names, before anything reads it. */
async function readable(ctx: ToolContext, args: Args, name: string, what: string): Promise<string | undefined> {
  const file = stringArg(args, name);
  return file === undefined ? undefined : ctx.read.allow(file, what);
}

/** The table input: a file (read-checked) or a Postgres query, by the CLI's one rule. */
async function tableSource(ctx: ToolContext, args: Args): Promise<{ source: Source; flags: SourceFlags } | null> {
  const checked: Args = { ...args };
  checked.input = await readable(ctx, args, 'input', 'the input file');
  checked.query_file = await readable(ctx, args, 'query_file', 'the query file');
  for (const name of ['postgres_ca_file', 'postgres_cert_file', 'postgres_key_file'])
    checked[name] = await readable(ctx, args, name, `the ${name.replace(/_/g, ' ').replace('postgres ', 'Postgres ')}`);
  const given = ['input', 'query', 'query_file', 'postgres_url'].some((k) => checked[k] !== undefined);
  if (!given) return null;
  const flags = asFlags(checked) as unknown as SourceFlags;
  flags.statementTimeout = String(args.statement_timeout ?? 300);
  return { source: sourceFromFlags(flags), flags };
}

/** A command's inputs from the arguments: every file read-checked, the table by the CLI's source rule. */
async function inputsOf(def: CommandSurface, args: Args, ctx: ToolContext): Promise<{ inputs: Inputs; flags: SourceFlags | null }> {
  const inputs: Inputs = {};
  let flags: SourceFlags | null = null;
  for (const input of def.inputs) {
    if (input.flag === '--input') {
      const table = await tableSource(ctx, args);
      if (table) {
        inputs[input.role] = table.source;
        flags = table.flags;
      } else if (input.required)
        throw new AppError(
          'BAD_ARGUMENT',
          `${toolNameOf(def.command)} needs a table`,
          'Give input (a file path), or query with postgres_url.',
          ['input'],
        );
      continue;
    }
    const name = paramOfFlag(input.flag);
    const file = await readable(ctx, args, name, `the ${name} file`);
    if (file !== undefined) inputs[input.role] = { kind: 'file', path: file };
    else if (input.required)
      throw new AppError('BAD_ARGUMENT', `${toolNameOf(def.command)} needs ${name}: ${input.help}`, `Give ${name}.`, [name]);
  }
  return { inputs, flags };
}

/** A command's options from the arguments, checked by its schema; a profile fills what the call left out. */
async function optionsOf(def: CommandSurface, args: Args, ctx: ToolContext): Promise<unknown> {
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  const period = asFlags(args) as PeriodFlags;
  for (const spec of def.flags) {
    if (spec.flag === 'period') values[spec.key] = windowsFromFlags(period);
    else if (spec.flag === 'period-options') values[spec.key] = periodOptionsFromFlags(period);
    else {
      const name = paramOfFlag(spec.flag);
      names[spec.key] = name;
      if (args[name] !== undefined) values[spec.key] = args[name];
    }
  }
  let options = parseFlagValues(def.options, values as never, names);
  const profile = stringArg(args, 'profile');
  const config = await readable(ctx, args, 'profile_config', 'the profile file');
  if (def.profiles && config !== undefined && profile === undefined)
    throw new AppError(
      'BAD_ARGUMENT',
      'profile_config needs profile to say which profile to use',
      'Add profile with the name of a [profiles.<name>] table.',
    );
  if (def.profiles && profile !== undefined) {
    const fromFile = config !== undefined ? await readProfilesFile(config) : {};
    const given = new Set(
      PROFILE_FIELDS.filter((field) => def.flags.some((s) => s.key === field && args[paramOfFlag(s.flag)] !== undefined)),
    );
    options = applyProfile(options as AnalyzeOptions, findProfile(profile, fromFile), given, profile);
  }
  return options;
}

/** Refuses a parameter the tool does not have (a typo would otherwise be ignored silently). */
function checkNames(tool: { name: string; params: string[] }, args: Args): void {
  const unknown = Object.keys(args).filter((k) => !tool.params.includes(k));
  if (unknown.length > 0)
    throw new AppError(
      'BAD_ARGUMENT',
      `${tool.name} has no parameter ${unknown.join(', ')}`,
      `Its parameters are: ${tool.params.join(', ')}.`,
      tool.params,
    );
}

/** A write path inside the write folders (checked on its real path), or the default in the first one. */
async function writable(ctx: ToolContext, file: string): Promise<string> {
  return ctx.write.allow(file, 'the output path');
}

async function checkOutputs(ctx: ToolContext, files: string[]): Promise<string[]> {
  return Promise.all(files.map((f) => writable(ctx, f)));
}

/**
 * The run itself: started on the shared engines, cancelled when the client cancels the call,
 * stopped when it passes its time limit. The guided investigation's planning, which follows the
 * engine's part in this process, is cut off the same way.
 */
async function runWithin<T>(
  ctx: ToolContext,
  call: CallContext,
  args: Args,
  start: () => { handle: { id: string; result: Promise<T> } },
): Promise<T> {
  const limit = args.timeout_sec === undefined ? ctx.timeoutSec : Number(args.timeout_sec);
  if (!(limit > 0))
    throw new AppError(
      'BAD_ARGUMENT',
      `timeout_sec must be a number of seconds above 0 (got '${String(args.timeout_sec)}')`,
      'Give timeout_sec such as 600, or leave it out.',
    );
  const { handle } = start();
  let stop: (err: AppError) => void = () => {};
  const stopped = new Promise<never>((_resolve, reject) => (stop = reject));
  // The reason is settled first, so the run's own CANCELLED (from the cancel below) does not win the race.
  const timer = setTimeout(() => {
    stop(
      new AppError(
        'RUN_TIMEOUT',
        `the run was stopped after ${limit} s, its time limit`,
        'Give timeout_sec a larger number of seconds, narrow the input (where, a smaller query), or start the server with a larger --timeout-sec.',
      ),
    );
    ctx.runner.cancel(handle.id);
  }, limit * 1000);
  const onAbort = () => {
    stop(new AppError('CANCELLED', 'the call was cancelled by the client', 'Call the tool again to run it.'));
    ctx.runner.cancel(handle.id);
  };
  if (call.signal.aborted) onAbort();
  call.signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([handle.result, stopped]);
  } finally {
    clearTimeout(timer);
    call.signal.removeEventListener('abort', onAbort);
    handle.result.catch(() => {});
  }
}

const investigationBase = 'investigate_workflow';

/** A tool per analysis of the registry: its inputs and options, run on the engines, its renderings written. */
function analysisTool(def: Analysis): Tool {
  const folder = def.folder !== undefined;
  const defaultOut =
    def === investigation
      ? `${investigationBase}.md|.json in the first write folder`
      : folder
        ? `${def.prefix}_<input> folder in the first write folder`
        : `${def.prefix}_<input>.md|.json in the first write folder`;
  const params = [
    ...commandParams(def),
    ...(folder
      ? [
          {
            name: 'out',
            schema: { type: 'string', description: `folder for the artifacts, inside a write folder (default: ${defaultOut})` },
            required: false,
          },
        ]
      : OUTPUT_PARAMS(def, defaultOut)),
    ...(def === suggest
      ? [
          {
            name: 'out_profile',
            schema: { type: 'string', description: 'the suggested profile’s TOML file (default: beside out)' },
            required: false,
          },
        ]
      : []),
    TIMEOUT_PARAM,
  ];
  const tool: Tool = {
    name: toolNameOf(def.command),
    title: def.command,
    description: `${def.summary}. Reads the files named (inside the server's read folders) or a Postgres query; writes its report (Markdown and JSON by default) inside a write folder and returns the Markdown. Same options and defaults as \`factorlens ${def.command}\`.`,
    inputSchema: objectSchema(params),
    params: params.map((p) => p.name),
    readOnly: false,
    async run(args, ctx, call) {
      checkNames(tool, args);
      const { inputs, flags } = await inputsOf(def, args, ctx);
      const options = await optionsOf(def, args, ctx);
      // A table file's header is read before the engine starts: a file that is no table fails at once.
      for (const source of [inputs.input, inputs.base, inputs.new])
        if (source?.kind === 'file' && !(def === investigation && isJsonFile(source.path))) await inspectCsv(source.path);
      // Output names follow the table read, else the first file given (factors_prices, investigate's base).
      const first = inputs.input ?? Object.values(inputs).find((source) => source?.kind === 'file');
      const stem = first ? sourceStem(first, flags ?? ({} as SourceFlags)) : 'run';
      const out = stringArg(args, 'out');
      const format = choiceArg(args, 'output_format', formatsOf(def), 'both');
      if (out !== undefined) await writable(ctx, out);
      let planner: ModelPlanner | null = null;
      if (def === investigation) {
        investigation.check?.(inputs, options as never);
        planner = openPlanner(options as InvestigationOptions, null);
      }
      let artifact;
      try {
        artifact = await runWithin(ctx, call, args, () =>
          startAnalysis(
            ctx.runner,
            def,
            inputs,
            options,
            { labels: {}, names: {}, forFiles: true, ...(planner ? { planner } : {}) },
            call.progress,
          ),
        );
        if (planner) {
          const a = artifact as unknown as InvestigationArtifact;
          a.warnings.push(...planner.warnings.filter((w) => !a.warnings.includes(w)));
        }
      } finally {
        await planner?.close();
      }
      const kind = (artifact as { kind?: unknown }).kind;
      let written: string[];
      if (def.folder) {
        const dir = out ?? defaultRunBase(def, kind, stem, ctx.writeDirs[0]!);
        const files = def.folder(artifact, await writable(ctx, dir));
        await checkOutputs(
          ctx,
          files.map((f) => f.path),
        );
        await writeFilesAtomically(files);
        written = files.map((f) => f.path);
      } else {
        const base =
          def === investigation ? path.join(ctx.writeDirs[0]!, investigationBase) : defaultRunBase(def, kind, stem, ctx.writeDirs[0]!);
        const paths = outputPaths(base, format, out);
        await checkOutputs(ctx, Object.values(paths) as string[]);
        const extra: { path: string; content: string }[] = [];
        let shown: unknown = artifact;
        if (def === suggest) {
          const o = options as { profileName: string; autoGroupK: number };
          const at =
            stringArg(args, 'out_profile') ??
            path.join(path.dirname(paths.md ?? paths.json!), `${path.parse(paths.md ?? paths.json!).name}.toml`);
          extra.push({
            path: await writable(ctx, at),
            content: profilesToToml({ [o.profileName]: suggestedProfile(artifact as SuggestArtifact, o.autoGroupK) }),
          });
          shown = { ...(artifact as SuggestArtifact), profile_path: at };
        }
        written = await writeRenderings(paths, (f) => def.render[f]!(shown as never), extra);
      }
      const md = def.render.md(artifact as never);
      return {
        text: `${capText(
          md,
          written.find((w) => w.endsWith('.md')),
        )}\n\nFiles written:\n${written.map((w) => `- ${w}`).join('\n')}\n`,
        files: written,
        data: { ok: true, tool: tool.name, kind, files: written },
      };
    },
  };
  return tool;
}

/** analyze-validate: what analyze would use on the input; writes nothing. */
function validateTool(): Tool {
  const params = [...commandParams(validate), TIMEOUT_PARAM];
  const tool: Tool = {
    name: toolNameOf(validate.command),
    title: validate.command,
    description: `${validate.summary}. Writes nothing.`,
    inputSchema: objectSchema(params),
    params: params.map((p) => p.name),
    readOnly: true,
    async run(args, ctx) {
      checkNames(tool, args);
      const { inputs } = await inputsOf(validate, args, ctx);
      const options = (await optionsOf(validate, args, ctx)) as AnalyzeOptions;
      const text = await validationReport(inputs, options);
      return { text, files: [], data: { ok: true, tool: tool.name } };
    },
  };
  return tool;
}

/** analyze-compare: two analyze JSON artifacts, the movers. */
function compareTool(): Tool {
  const params = [...commandParams(compare), ...OUTPUT_PARAMS(compare, `${compare.defaultBase}.md|.json in the first write folder`)];
  const tool: Tool = {
    name: toolNameOf(compare.command),
    title: compare.command,
    description: `${compare.summary}. base and new are analyze JSON artifacts (written by the analyze tool). Writes the comparison inside a write folder and returns its Markdown.`,
    inputSchema: objectSchema(params),
    params: params.map((p) => p.name),
    readOnly: false,
    async run(args, ctx) {
      checkNames(tool, args);
      const { inputs } = await inputsOf(compare, args, ctx);
      const options = await optionsOf(compare, args, ctx);
      const basePath = (inputs.base as { path: string }).path;
      const newPath = (inputs.new as { path: string }).path;
      const base = await readSnapshot('base', basePath);
      const next = await readSnapshot('new', newPath);
      const c = compare.compute(base, next, { base: basePath, new: newPath }, options as never);
      const out = stringArg(args, 'out');
      const paths = outputPaths(
        path.join(ctx.writeDirs[0]!, compare.defaultBase),
        choiceArg(args, 'output_format', formatsOf(compare), 'both'),
        out,
      );
      await checkOutputs(ctx, Object.values(paths) as string[]);
      const written = await writeRenderings(paths, (format) => compare.render[format](c));
      return {
        text: `${capText(compare.render.md(c))}\n\nFiles written:\n${written.map((w) => `- ${w}`).join('\n')}\n`,
        files: written,
        data: { ok: true, tool: tool.name, files: written, movers: c.movers.length },
      };
    },
  };
  return tool;
}

/** report: Markdown or HTML from a factors fit or regress folder. */
function reportTool(): Tool {
  const params = [
    ...commandParams(report),
    {
      name: 'out',
      schema: {
        type: 'string',
        description: 'report file inside a write folder (default: report.md or report.html in the artifacts folder)',
      },
      required: false,
    },
  ];
  const tool: Tool = {
    name: toolNameOf(report.command),
    title: report.command,
    description: `${report.summary}. artifacts is the folder the factors_fit or factors_regress tool wrote.`,
    inputSchema: objectSchema(params),
    params: params.map((p) => p.name),
    readOnly: false,
    async run(args, ctx) {
      checkNames(tool, args);
      const { inputs } = await inputsOf(report, args, ctx);
      const options = (await optionsOf(report, args, ctx)) as z.output<typeof ReportOptionsSchema>;
      const dir = (inputs.input as { path: string }).path;
      const html = options.format === 'html';
      const a = await readFactorFolder(dir);
      const out = await writable(ctx, stringArg(args, 'out') ?? path.join(dir, html ? 'report.html' : 'report.md'));
      const content = report.render(a, html);
      await writeFilesAtomically([{ path: out, content }]);
      return {
        text: `${html ? `HTML report written to ${out}` : capText(content, out)}\n\nFiles written:\n- ${out}\n`,
        files: [out],
        data: { ok: true, tool: tool.name, files: [out] },
      };
    },
  };
  return tool;
}

/** read_artifact: the text of a file inside the read or write folders. */
function readArtifactTool(): Tool {
  const params: ToolParam[] = [
    {
      name: 'path',
      schema: { type: 'string', description: 'the file to read (an artifact a tool wrote, a profile, a CSV)' },
      required: true,
    },
    {
      name: 'max_chars',
      schema: { type: 'integer', minimum: 1, maximum: 2_000_000, default: 200_000, description: 'the most characters returned' },
      required: false,
    },
  ];
  const tool: Tool = {
    name: 'read_artifact',
    title: 'read artifact',
    description:
      'Reads a text file inside the server’s read or write folders (an artifact a tool wrote, a profile, a CSV), up to max_chars characters.',
    inputSchema: objectSchema(params),
    params: params.map((p) => p.name),
    readOnly: true,
    async run(args, ctx) {
      checkNames(tool, args);
      const file = (await readable(ctx, args, 'path', 'the file'))!;
      const max = wholeArg(args, 'max_chars', 1, 2_000_000, 200_000);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile())
        throw new AppError(
          'FILE_NOT_FOUND',
          `no file ${String(args.path)}`,
          'Give the path of a file a tool wrote (listed in its result).',
        );
      const content = await readFile(file, 'utf8');
      const truncated = content.length > max;
      const text = truncated ? content.slice(0, max) : content;
      return { text, files: [], data: { ok: true, path: file, truncated, max_chars: max, chars: content.length } };
    },
  };
  return tool;
}

/** summarize_investigation: the story of a guided investigation's JSON artifact. */
function summarizeInvestigationTool(): Tool {
  const params: ToolParam[] = [
    { name: 'analysis_json', schema: { type: 'string', description: 'the JSON artifact the investigate tool wrote' }, required: true },
    {
      name: 'top_major_changes',
      schema: { type: 'integer', minimum: 0, maximum: 50, default: 3, description: 'major changes listed' },
      required: false,
    },
    {
      name: 'top_follow_up_steps',
      schema: { type: 'integer', minimum: 0, maximum: 50, default: 5, description: 'follow-up steps listed' },
      required: false,
    },
  ];
  const tool: Tool = {
    name: 'summarize_investigation',
    title: 'summarize investigation',
    description:
      'Summarises a guided investigation (the investigate tool’s JSON artifact): the totals, the strongest segment, the major changes, the steps that followed, why it stopped and the next question.',
    inputSchema: objectSchema(params),
    params: params.map((p) => p.name),
    readOnly: true,
    async run(args, ctx) {
      checkNames(tool, args);
      const file = (await readable(ctx, args, 'analysis_json', 'the investigation artifact'))!;
      let a: InvestigationArtifact;
      try {
        a = JSON.parse(await readFile(file, 'utf8')) as InvestigationArtifact;
      } catch (err) {
        throw new AppError(
          'BAD_ARGUMENT',
          `${file} is not a readable JSON artifact (${(err as Error).message})`,
          'Give the .json file the investigate tool wrote.',
        );
      }
      if (a?.kind !== 'investigation' || !Array.isArray(a.steps))
        throw new AppError(
          'BAD_ARGUMENT',
          `${file} is not a guided investigation artifact`,
          'Give the .json file the investigate tool wrote (kind "investigation").',
        );
      const majors = wholeArg(args, 'top_major_changes', 0, 50, 3);
      const follow = wholeArg(args, 'top_follow_up_steps', 0, 50, 5);
      const summary = {
        question: a.question,
        mode: a.mode,
        metric: a.metric,
        totals: a.totals,
        strongest_segment: a.coverage.strongest_segment,
        major_changes: a.major_global_changes
          .slice(0, majors)
          .map((m) => ({ dimension: m.dimension, segment: m.mover.segment, change: m.mover })),
        follow_up_steps: a.steps.slice(1, 1 + follow).map((s) => ({ id: s.id, dimension: s.dimension, scope: s.scope })),
        stopping_reason: a.stopping_reason,
        recommended_next_question: a.recommended_next_question,
      };
      return { text: `${investigationStory(a).join('\n')}\n`, files: [], data: { ok: true, summary } };
    },
  };
  return tool;
}

/** server_info: versions and the folders and time limit the tools work under. */
function serverInfoTool(): Tool {
  return {
    name: 'server_info',
    title: 'server info',
    description:
      'The server’s name and versions, its transport, the folders tools may read and write, and the default time limit of a call.',
    inputSchema: objectSchema([]),
    params: [],
    readOnly: true,
    async run(_args, ctx) {
      const data = {
        ok: true,
        mcp_server_name: 'factorlens',
        factorlens_version: ctx.version,
        mcp_sdk_version: ctx.sdkVersion,
        node_version: process.versions.node,
        transport: ctx.transport,
        read_dirs: ctx.readDirs,
        write_dirs: ctx.writeDirs,
        timeout_sec: ctx.timeoutSec,
        tools: toolList().map((t) => t.name),
      };
      return { text: `${JSON.stringify(data, null, 2)}\n`, files: [], data };
    },
  };
}

/** healthcheck: a real run on the engines (a three-row table), timed. */
function healthcheckTool(): Tool {
  const params: ToolParam[] = [{ ...TIMEOUT_PARAM, schema: { ...TIMEOUT_PARAM.schema, default: 20 } }];
  const tool: Tool = {
    name: 'healthcheck',
    title: 'health check',
    description: 'Runs a small analysis on the engines (DuckDB in the engine process) and says whether it answered and how fast.',
    inputSchema: objectSchema(params),
    params: params.map((p) => p.name),
    readOnly: true,
    async run(args, ctx, call) {
      checkNames(tool, args);
      const { writeFile, mkdtemp, rm } = await import('node:fs/promises');
      const dir = await mkdtemp(path.join(os.tmpdir(), 'factorlens-health-'));
      const file = path.join(dir, 'health.csv');
      await writeFile(file, 'region,amount\nnorth,1\nsouth,2\nnorth,3\n');
      const started = Date.now();
      try {
        const def = ANALYSES.find((a) => a.command === 'analyze')!;
        const artifact = (await runWithin(ctx, call, { timeout_sec: args.timeout_sec ?? 20 }, () =>
          startAnalysis(
            ctx.runner,
            def,
            { input: { kind: 'file', path: file } },
            { groupBy: ['region'], metrics: ['amount'] },
            { labels: {}, names: {}, forFiles: false },
          ),
        )) as { records?: number };
        const ms = Date.now() - started;
        if (artifact.records !== 3)
          throw new AppError(
            'INTERNAL',
            `the health check's three-row table came back with ${String(artifact.records)} records`,
            'Reinstall FactorLens Workbench; if it persists, report it.',
          );
        const data = { ok: true, engine: 'answered', elapsed_ms: ms, records: artifact.records };
        return { text: `Healthy: the engine ran a three-row analysis in ${ms} ms.\n`, files: [], data };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
  return tool;
}

let tools: Tool[] | null = null;

/**
 * Every tool: one per analysis of the registry (analyze, analyze_suggest, analyze_drivers,
 * analyze_investigate, analyze_segments, factors_fit, factors_regress, investigate), the
 * commands built on artifacts (analyze_validate, analyze_compare, report) and the helpers.
 */
export function toolList(): Tool[] {
  tools ??= [
    ...ANALYSES.map(analysisTool),
    validateTool(),
    compareTool(),
    reportTool(),
    readArtifactTool(),
    summarizeInvestigationTool(),
    serverInfoTool(),
    healthcheckTool(),
  ];
  return tools;
}

import type { z } from 'zod';
import type { Source } from '../../src-shared/analyze-options';
import type { ExportFormat, RunKind } from '../../src-shared/contract';
import type { Planner } from '../engine/investigation/planner';
import type { EngineJob, EngineResults } from '../engine/jobs';

/**
 * One definition per analysis: what it reads, its options (a zod schema, the only place their
 * defaults live), the engine job it runs, the title of its run, its renderings and its command
 * line. The CLI (hosts/cli/analysis-command.ts), the workbench (services/workbench.ts) and the
 * MCP server are built from these entries, so an option, a default or a rendering is written once.
 */

/** The tables and files an analysis reads, by role. */
export type InputRole = 'input' | 'inputNew' | 'prices' | 'factors' | 'portfolio' | 'holdings' | 'labels' | 'base' | 'new';

export interface InputSpec {
  role: InputRole;
  required: boolean;
  /** What the analyst gives, in words (the CLI's help line). */
  help: string;
  /** The command line's flag; `table` inputs also take the Postgres flags (--postgres-url with --query). */
  flag: string;
  /** A table that may come from a file or a Postgres query; otherwise a file. */
  table?: boolean;
  /** How the value is shown in the help (`--prices <csv>`); default `file`. */
  arg?: string;
}

/** The inputs of one run, resolved by the host: the CLI from its flags, the workbench from datasets. */
export type Inputs = Partial<Record<InputRole, Source>>;

/** How one option is given on the command line. Its type, choices, default and whether it is required come from the schema. */
export interface FlagSpec {
  /** The option's key in the schema (camelCase). */
  key: string;
  /** The flag as commander writes it: '--top-drivers <n>', '--k-auto', '--newey-west [lags]'. */
  flag: string;
  help: string;
  /** Turns the flag's text into the option's value; by default from the schema's type (number, list, choice, switch). */
  parse?: (text: string | true, flag: string) => unknown;
  /** Choices shown and checked by the parser when the schema's type has none (text switches such as true|false). */
  choices?: readonly string[];
  /** Keys of options this one cannot be given with (the parser refuses both at once). */
  conflicts?: readonly string[];
}

export interface RunContext {
  /** How the inputs are named in artifacts (a dataset's path; unset: the file's path, or "query"). */
  labels: Partial<Record<InputRole, string>>;
  /** How the inputs are named in run titles (a dataset's name; unset: the file's name). */
  names: Partial<Record<InputRole, string>>;
  /** The CLI writes files that keep the whole artifact (the seed's factors.json); stored runs leave bulky parts out. */
  forFiles: boolean;
  /** The guided investigation's planner, opened by the host (a model planner); unset: the deterministic rule. */
  planner?: Planner;
}

/** The renderings a run has (every run: Markdown and JSON; HTML for runs of the history; CSV where it has a table). */
export type Renderings<A> = { md(a: A): string; json(a: A): string; html?(a: A): string; csv?(a: A): string };

/** What every entry of the registry has: its command line and its options. */
export interface CommandSurface<S extends z.ZodType = z.ZodType> {
  /** The command's name: `analyze-drivers`, `factors fit`. */
  command: string;
  /** Other names of the command (`analyze-period`). */
  aliases?: readonly string[];
  /** One line: what it answers. */
  summary: string;
  inputs: readonly InputSpec[];
  options: S;
  /**
   * The command line of each option, in help order. Two flag groups stand for several flags:
   * 'period' (the windows: --time-grain, --period, --anchor-date or the four explicit dates) and
   * 'period-options' (analyze's optional comparison, which also takes --date-column).
   */
  flags: readonly FlagSpec[];
  /** Named profiles (--profile, --profile-config) fill the options the analyst did not give. */
  profiles?: boolean;
  /** Command lines that run on the demo data (shown under --help). */
  examples: readonly string[];
}

export interface Analysis<
  K extends keyof EngineResults = keyof EngineResults,
  S extends z.ZodType = z.ZodType,
  A = EngineResults[K],
> extends CommandSurface<S> {
  /** The kind of its runs in a workspace (null: it makes no run, e.g. analyze-suggest). */
  runKind: RunKind | null;
  /** Rules that join options and inputs (the schema checks each option alone). */
  check?(inputs: Inputs, options: z.output<S>): void;
  job(inputs: Inputs, options: z.output<S>, context: RunContext): EngineJob & { kind: K };
  /**
   * Work the host does on the engine's result before it is the run's artifact: the guided
   * investigation plans its steps on the cube the engine built (its model planner runs in the host).
   * Without it the engine's result is the artifact.
   */
  finish?(
    result: EngineResults[K],
    options: z.output<S>,
    context: RunContext,
    progress?: (fraction: number, stage: string) => void,
  ): Promise<A>;
  title(artifact: NoInfer<A>, context: RunContext): string;
  render: Renderings<NoInfer<A>>;
  /** The start of its files' names: `drivers` (artifacts/drivers_<input>.md). */
  prefix: string;
  /** File names of an exported or written rendering. */
  fileName(artifact: NoInfer<A>, format: ExportFormat): string;
  /** What the CLI prints when the files are written. */
  report(artifact: NoInfer<A>, written: string[]): string;
  /** The CLI writes the seed's folder of files (--out <dir>); without it, renderings by --output-format and --out. */
  folder?(artifact: NoInfer<A>, dir: string): { path: string; content: string | Iterable<string> }[];
}

export const json = (a: unknown): string => `${JSON.stringify(a, null, 2)}\n`;

/** A table's label: a file's path, or "query". */
export const tableLabel = (source: Source | undefined): string =>
  source === undefined ? '' : source.kind === 'file' ? source.path : 'query';

/** The shape the factor engine takes for a table: a file's path, or the Postgres source. */
export const tableOf = (source: Source | undefined): string | (Source & { kind: 'postgres' }) | null =>
  source === undefined ? null : source.kind === 'file' ? source.path : source;

/** A definition with its types checked, stored with the registry's looser type. */
export function defineAnalysis<K extends keyof EngineResults, S extends z.ZodType, A = EngineResults[K]>(def: Analysis<K, S, A>): Analysis {
  return def as unknown as Analysis;
}

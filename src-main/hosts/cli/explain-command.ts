import { Command, Option } from 'commander';
import path from 'node:path';
import { ExplainSettingsSchema, RUN_KINDS, type Run } from '../../../src-shared/contract';
import { AppError } from '../../../src-shared/errors';
import type { FactorsArtifact } from '../../../src-shared/artifacts/factors';
import { explainRun, type ExplainAnswer } from '../../explain/answer';
import { openBackend } from '../../explain/backends';
import type { ChatBackend } from '../../explain/chat';
import { nodeModelLauncher } from '../../explain/local/local-model';
import { evidenceSummary } from '../../explain/prompt';
import { CITATION } from '../../explain/fact-check';
import { applyLabelsFile } from '../../engine/factors/labels';
import { readFactorFolder } from '../../artifacts/factor-folder';
import { workerEntryBeside } from '../../process/engine-process';
import { parseFlagValues, wholeNumber } from './args';
import { readTextFile } from './read-text';
import type { z } from 'zod';
import { explainArtifact, explainFolder, type ExplainArtifactOptionsSchema, type ExplainFolderOptionsSchema } from '../../analyses/explain';
import { addAnalysisFlags, addExamples, analysisFromFlags } from './analysis-command';

interface BackendFlags {
  backend: 'local' | 'bedrock';
  model: string;
  region?: string;
  awsProfile?: string;
  bedrockEndpoint?: string;
  contextSize?: string;
  threads?: string;
  maxTokens?: string;
  temperature?: string;
}

/** The flags every explain command shares: which model answers, and how. */
function addBackendFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option('--backend <name>', 'who answers: a local GGUF model, or AWS Bedrock').choices(['local', 'bedrock']).default('local'),
    )
    .requiredOption('--model <path|id>', 'a GGUF model file (local) or a Bedrock model id')
    .option('--region <region>', 'AWS region for Bedrock (default: AWS_REGION or the profile)')
    .option('--aws-profile <name>', 'AWS profile for Bedrock (default: the SDK credential chain)')
    .option('--bedrock-endpoint <url>', 'Bedrock endpoint override (a VPC endpoint)')
    .option('--context-size <tokens>', 'local model context size (default: picked for this machine)')
    .option('--threads <n>', 'local model CPU threads (default: picked for this machine)')
    .option('--max-tokens <n>', `longest answer, in tokens (default: ${SETTINGS_DEFAULTS.maxTokens})`)
    .option('--temperature <t>', `sampling temperature (default: ${SETTINGS_DEFAULTS.temperature})`);
}

/** The settings' defaults (the workbench's Explain settings start from the same schema). */
const SETTINGS_DEFAULTS = ExplainSettingsSchema.parse({});

function backendSettings(f: BackendFlags) {
  const temperature = f.temperature === undefined ? undefined : Number(f.temperature);
  if (temperature !== undefined && (!Number.isFinite(temperature) || temperature < 0 || temperature > 2)) {
    throw new AppError(
      'BAD_ARGUMENT',
      `--temperature must be between 0 and 2 (got '${f.temperature}')`,
      'Give a number from 0 (most predictable) to 2, e.g. --temperature 0.2.',
    );
  }
  return parseFlagValues(
    ExplainSettingsSchema,
    {
      backend: f.backend,
      localModel: f.backend === 'local' ? path.resolve(f.model) : null,
      contextSize: f.contextSize ? wholeNumber('--context-size', f.contextSize, 256, 131072) : null,
      threads: f.threads ? wholeNumber('--threads', f.threads, 1, 256) : null,
      bedrock: {
        modelId: f.backend === 'bedrock' ? f.model : '',
        region: f.region ?? '',
        profile: f.awsProfile ?? '',
        endpoint: f.bedrockEndpoint ?? '',
      },
      maxTokens: f.maxTokens === undefined ? undefined : wholeNumber('--max-tokens', f.maxTokens, 16, 4096),
      temperature,
    },
    { localModel: '--model', bedrock: '--model' },
  );
}

/** Streams the answer to stdout (Ctrl-C ends the command; the model process ends with it). */
async function ask(
  entryUrl: string,
  f: BackendFlags,
  artifact: Run['artifact'],
  question: string,
  extra: { focus?: number[] | null; maxBullets?: number | null },
): Promise<ExplainAnswer> {
  const settings = backendSettings(f);
  const backend: ChatBackend = await openBackend(settings, nodeModelLauncher(workerEntryBeside(entryUrl, 'model')));
  try {
    const answer = await explainRun(
      backend,
      { artifact, question, maxTokens: settings.maxTokens, temperature: settings.temperature, ...extra },
      (t) => process.stdout.write(t),
    );
    process.stdout.write('\n');
    return answer;
  } finally {
    await backend.close();
  }
}

/** The check of every number, then the evidence lines (what the answer may cite). */
function printCheck(answer: ExplainAnswer, strict: boolean, maxBullets: number): void {
  const unverified = answer.checks.filter((c) => !c.verified);
  const verified = answer.checks.length - unverified.length;
  const out: string[] = [''];
  if (answer.truncated) out.push(`(The answer reached --max-tokens and may end mid-sentence.)`);
  out.push(
    answer.checks.length === 0
      ? 'Numbers: the answer states none.'
      : `Numbers: ${verified} verified${
          verified
            ? ` (${answer.checks
                .filter((c) => c.verified)
                .map((c) => `${c.text} [${c.evidence.join(', ')}]`)
                .join('; ')})`
            : ''
        }, ${unverified.length} UNVERIFIED${unverified.length ? ` (${unverified.map((c) => c.text).join('; ')})` : ''}.`,
  );
  if (strict && !answer.grounded) {
    const why = !CITATION.test(answer.text) ? 'it cites no evidence line' : 'it states numbers that are not in the evidence';
    out.push(
      '',
      `Strict facts: the answer above is not grounded (${why}); the evidence instead:`,
      evidenceSummary(answer.evidence, maxBullets),
    );
  }
  if (answer.omitted > 0)
    out.push('', `(${answer.omitted} lower-ranked evidence lines did not fit the model's context and were left out.)`);
  if (answer.instructions !== 'full') {
    out.push(
      '',
      `(The model's context is small: it was given ${answer.instructions === 'short' ? 'short instructions' : 'no instructions, only the evidence and the question'}; a larger --context-size gives better answers.)`,
    );
  }
  out.push('', 'Evidence:', ...answer.evidence.map((e) => `[${e.id}] ${e.text}`));
  process.stdout.write(`${out.join('\n')}\n`);
}

/** `--focus-factors f1,f2`: factor_1, factor_1_contrib or 1, to 0-based indexes. */
export function parseFocus(text: string | undefined, k: number): number[] | null {
  if (!text) return null;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(?:factor_)?(\d+)(?:_contrib)?$/i.exec(s);
      const n = m ? Number(m[1]) : NaN;
      if (!Number.isInteger(n) || n < 1 || n > k)
        throw new AppError(
          'BAD_ARGUMENT',
          `--focus-factors: '${s}' is not a factor of this model (1..${k})`,
          'Use factor_1, factor_1_contrib or 1.',
        );
      return n - 1;
    });
}

async function readAnalysisJson(file: string): Promise<Run['artifact']> {
  const text = await readTextFile(
    '--analysis-json',
    file,
    'Pass a JSON artifact written by factorlens (analyze, analyze-compare, analyze-drivers, analyze-investigate).',
  );
  let value: { kind?: string };
  try {
    value = JSON.parse(text) as { kind?: string };
  } catch (err) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${file} is not valid JSON: ${(err as Error).message}`,
      'Pass the .json artifact, not the Markdown report.',
    );
  }
  if (!value || typeof value !== 'object' || !(RUN_KINDS as readonly string[]).includes(value.kind ?? '')) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${file} is not an analysis artifact of this version (no known "kind")`,
      'Run the analysis again with --output-format json (or both) and pass its .json file.',
    );
  }
  return value as Run['artifact'];
}

export function explainCommand(entryUrl: string): Command {
  const cmd = addBackendFlags(addAnalysisFlags(new Command(explainFolder.command).description(explainFolder.summary), explainFolder));
  addExamples(cmd, explainFolder.examples);
  return cmd.action(async (flags, command: Command) => {
    const f = flags as BackendFlags & { artifacts: string; factorLabels?: string };
    const { options } = await analysisFromFlags(explainFolder, flags, command);
    const { question, focusFactors } = options as z.output<typeof ExplainFolderOptionsSchema>;
    const artifact = await readFactorFolder(f.artifacts);
    let focus: number[] | null = null;
    if (artifact.kind === 'factors') {
      focus = parseFocus(focusFactors ?? undefined, artifact.model.k);
      if (f.factorLabels) {
        const text = await readTextFile('--factor-labels', f.factorLabels, 'Pass a factor-labels CSV or TSV (factor,label rows).');
        (artifact as FactorsArtifact).factor_labels = applyLabelsFile(artifact.factor_labels, text, f.factorLabels);
      }
    } else if (focusFactors || f.factorLabels) {
      throw new AppError(
        'BAD_ARGUMENT',
        '--focus-factors and --factor-labels are for a factors fit folder',
        'Point --artifacts at a factors fit folder, or leave these flags out.',
      );
    }
    const answer = await ask(entryUrl, f, artifact, question, { focus });
    printCheck(answer, false, 5);
  });
}

export function explainAnalyzeCommand(entryUrl: string): Command {
  const cmd = addBackendFlags(addAnalysisFlags(new Command(explainArtifact.command).description(explainArtifact.summary), explainArtifact));
  addExamples(cmd, explainArtifact.examples);
  return cmd.action(async (flags, command: Command) => {
    const f = flags as BackendFlags & { analysisJson: string };
    const { options } = await analysisFromFlags(explainArtifact, flags, command);
    const { question, strictFacts, maxBullets } = options as z.output<typeof ExplainArtifactOptionsSchema>;
    const artifact = await readAnalysisJson(f.analysisJson);
    const answer = await ask(entryUrl, f, artifact, question, { maxBullets });
    printCheck(answer, strictFacts, maxBullets);
  });
}

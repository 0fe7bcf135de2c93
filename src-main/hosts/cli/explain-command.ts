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

interface BackendFlags {
  backend: 'local' | 'bedrock';
  model: string;
  region?: string;
  awsProfile?: string;
  bedrockEndpoint?: string;
  contextSize?: string;
  threads?: string;
  maxTokens: string;
  temperature: string;
}

/** The flags every explain command shares: which model answers, and how. */
function addBackendFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--backend <name>', 'who answers: a local GGUF model, or AWS Bedrock').choices(['local', 'bedrock']).default('local'))
    .requiredOption('--model <path|id>', 'a GGUF model file (local) or a Bedrock model id')
    .option('--region <region>', 'AWS region for Bedrock (default: AWS_REGION or the profile)')
    .option('--aws-profile <name>', 'AWS profile for Bedrock (default: the SDK credential chain)')
    .option('--bedrock-endpoint <url>', 'Bedrock endpoint override (a VPC endpoint)')
    .option('--context-size <tokens>', 'local model context size (default: picked for this machine)')
    .option('--threads <n>', 'local model CPU threads (default: picked for this machine)')
    .option('--max-tokens <n>', 'longest answer, in tokens', '700')
    .option('--temperature <t>', 'sampling temperature', '0.2');
}

function backendSettings(f: BackendFlags) {
  const temperature = Number(f.temperature);
  if (!Number.isFinite(temperature) || temperature < 0 || temperature > 2) throw new AppError('BAD_ARGUMENT', `--temperature must be between 0 and 2 (got '${f.temperature}')`, 'Give a number from 0 (most predictable) to 2, e.g. --temperature 0.2.');
  return parseFlagValues(ExplainSettingsSchema, {
    backend: f.backend,
    localModel: f.backend === 'local' ? path.resolve(f.model) : null,
    contextSize: f.contextSize ? wholeNumber('--context-size', f.contextSize, 256, 131072) : null,
    threads: f.threads ? wholeNumber('--threads', f.threads, 1, 256) : null,
    bedrock: { modelId: f.backend === 'bedrock' ? f.model : '', region: f.region ?? '', profile: f.awsProfile ?? '', endpoint: f.bedrockEndpoint ?? '' },
    maxTokens: wholeNumber('--max-tokens', f.maxTokens, 16, 4096),
    temperature,
  }, { localModel: '--model', bedrock: '--model' });
}

/** Streams the answer to stdout (Ctrl-C ends the command; the model process ends with it). */
async function ask(entryUrl: string, f: BackendFlags, artifact: Run['artifact'], question: string, extra: { focus?: number[] | null; maxBullets?: number | null }): Promise<ExplainAnswer> {
  const settings = backendSettings(f);
  const backend: ChatBackend = await openBackend(settings, nodeModelLauncher(workerEntryBeside(entryUrl, 'model')));
  try {
    const answer = await explainRun(backend, { artifact, question, maxTokens: settings.maxTokens, temperature: settings.temperature, ...extra }, (t) => process.stdout.write(t));
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
      : `Numbers: ${verified} verified${verified ? ` (${answer.checks.filter((c) => c.verified).map((c) => `${c.text} [${c.evidence.join(', ')}]`).join('; ')})` : ''}, ${unverified.length} UNVERIFIED${unverified.length ? ` (${unverified.map((c) => c.text).join('; ')})` : ''}.`,
  );
  if (strict && !answer.grounded) {
    const why = !CITATION.test(answer.text) ? 'it cites no evidence line' : 'it states numbers that are not in the evidence';
    out.push('', `Strict facts: the answer above is not grounded (${why}); the evidence instead:`, evidenceSummary(answer.evidence, maxBullets));
  }
  if (answer.omitted > 0) out.push('', `(${answer.omitted} lower-ranked evidence lines did not fit the model's context and were left out.)`);
  if (answer.instructions !== 'full') {
    out.push('', `(The model's context is small: it was given ${answer.instructions === 'short' ? 'short instructions' : 'no instructions, only the evidence and the question'}; a larger --context-size gives better answers.)`);
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
      if (!Number.isInteger(n) || n < 1 || n > k) throw new AppError('BAD_ARGUMENT', `--focus-factors: '${s}' is not a factor of this model (1..${k})`, 'Use factor_1, factor_1_contrib or 1.');
      return n - 1;
    });
}

async function readAnalysisJson(file: string): Promise<Run['artifact']> {
  const text = await readTextFile('--analysis-json', file, 'Pass a JSON artifact written by factorlens (analyze, analyze-compare, analyze-drivers, analyze-investigate).');
  let value: { kind?: string };
  try {
    value = JSON.parse(text) as { kind?: string };
  } catch (err) {
    throw new AppError('BAD_ARGUMENT', `${file} is not valid JSON: ${(err as Error).message}`, 'Pass the .json artifact, not the Markdown report.');
  }
  if (!value || typeof value !== 'object' || !(RUN_KINDS as readonly string[]).includes(value.kind ?? '')) {
    throw new AppError('BAD_ARGUMENT', `${file} is not an analysis artifact of this version (no known "kind")`, 'Run the analysis again with --output-format json (or both) and pass its .json file.');
  }
  return value as Run['artifact'];
}

export function explainCommand(entryUrl: string): Command {
  return addBackendFlags(new Command('explain').description('Ask a language model about a factor model folder (factors fit / factors regress); every number of the answer is checked'))
    .requiredOption('--artifacts <dir>', 'the folder factors fit or factors regress wrote')
    .requiredOption('--question <text>', 'what to ask')
    .option('--focus-factors <list>', 'factors to focus on: factor_1,factor_2 (or 1,2)')
    .option('--factor-labels <csv|tsv>', 'factor names (factor,label rows) replacing the generated ones')
    .addHelpText(
      'after',
      `
Examples:
  factorlens factors fit --prices data/prices.csv --portfolio data/portfolio.csv --out artifacts/fit
  factorlens explain --model models/qwen2.5-1.5b-instruct-q4_k_m.gguf --artifacts artifacts/fit \\
    --question "What drove the largest drawdown?" --focus-factors factor_1,factor_2 --factor-labels data/factor_labels.csv
  factorlens explain --backend bedrock --model anthropic.claude-3-haiku-20240307-v1:0 --region us-east-1 \\
    --artifacts artifacts/fit --question "Which factor carries the most risk?"`,
    )
    .action(async (f: BackendFlags & { artifacts: string; question: string; focusFactors?: string; factorLabels?: string }) => {
      const artifact = await readFactorFolder(f.artifacts);
      let focus: number[] | null = null;
      if (artifact.kind === 'factors') {
        focus = parseFocus(f.focusFactors, artifact.model.k);
        if (f.factorLabels) {
          const text = await readTextFile('--factor-labels', f.factorLabels, 'Pass a factor-labels CSV or TSV (factor,label rows).');
          (artifact as FactorsArtifact).factor_labels = applyLabelsFile(artifact.factor_labels, text, f.factorLabels);
        }
      } else if (f.focusFactors || f.factorLabels) {
        throw new AppError('BAD_ARGUMENT', '--focus-factors and --factor-labels are for a factors fit folder', 'Point --artifacts at a factors fit folder, or leave these flags out.');
      }
      const answer = await ask(entryUrl, f, artifact, f.question, { focus });
      printCheck(answer, false, 5);
    });
}

export function explainAnalyzeCommand(entryUrl: string): Command {
  return addBackendFlags(new Command('explain-analyze').description('Ask a language model about an analysis JSON artifact; every number is checked, and strict facts fall back to the evidence'))
    .requiredOption('--analysis-json <file>', 'a JSON artifact of analyze, analyze-compare, analyze-drivers or analyze-investigate')
    .requiredOption('--question <text>', 'what to ask')
    .addOption(new Option('--strict-facts <bool>', 'replace an ungrounded answer with the evidence').choices(['true', 'false']).default('true'))
    .option('--max-bullets <n>', 'bullets to ask for (and evidence lines to fall back to)', '5')
    .addHelpText(
      'after',
      `
Examples:
  factorlens analyze --input data/factorlens_demo_sales.csv --group-by region --metrics revenue_usd --output-format json --out artifacts/sales.json
  factorlens explain-analyze --model models/qwen2.5-1.5b-instruct-q4_k_m.gguf --analysis-json artifacts/sales.json \\
    --question "Which region leads?"
  factorlens explain-analyze --backend bedrock --model anthropic.claude-3-haiku-20240307-v1:0 --region us-east-1 \\
    --analysis-json artifacts/sales.json --question "Which region leads?" --max-bullets 3`,
    )
    .action(async (f: BackendFlags & { analysisJson: string; question: string; strictFacts: 'true' | 'false'; maxBullets: string }) => {
      const maxBullets = wholeNumber('--max-bullets', f.maxBullets, 1);
      const artifact = await readAnalysisJson(f.analysisJson);
      const answer = await ask(entryUrl, f, artifact, f.question, { maxBullets });
      printCheck(answer, f.strictFacts === 'true', maxBullets);
    });
}

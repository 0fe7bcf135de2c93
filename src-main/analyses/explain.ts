import { z } from 'zod';
import type { CommandSurface } from './definition';

/**
 * The explain commands: a question about an artifact, answered by a language model whose every
 * number is checked against the artifact's evidence lines. The model never computes; which model
 * answers is the backend's settings (ExplainSettingsSchema), shared with the workbench's pane.
 */

export const ExplainFolderOptionsSchema = z.object({
  question: z.string().trim().min(1).max(2000),
  /** Factor models: the factors the answer is about (factor_1, factor_1_contrib or 1). */
  focusFactors: z.string().min(1).nullable().default(null),
});

export const ExplainArtifactOptionsSchema = z.object({
  question: z.string().trim().min(1).max(2000),
  /** Replace an answer that is not grounded with the evidence itself. */
  strictFacts: z.boolean().default(true),
  /** Bullets to ask for, and evidence lines to fall back to. */
  maxBullets: z.number().int().min(1).default(5),
});

export const explainFolder = {
  command: 'explain',
  summary: 'Ask a language model about a factor model folder (factors fit / factors regress); every number of the answer is checked',
  inputs: [
    { role: 'input', flag: '--artifacts', arg: 'dir', required: true, help: 'the folder factors fit or factors regress wrote' },
    {
      role: 'labels',
      flag: '--factor-labels',
      arg: 'csv|tsv',
      required: false,
      help: 'factor names (factor,label rows) replacing the generated ones',
    },
  ],
  options: ExplainFolderOptionsSchema,
  flags: [
    { key: 'question', flag: '--question <text>', help: 'what to ask' },
    { key: 'focusFactors', flag: '--focus-factors <list>', help: 'factors to focus on: factor_1,factor_2 (or 1,2)' },
  ],
  examples: [
    'factorlens factors fit --prices data/prices.csv --portfolio data/portfolio.csv --out artifacts/fit',
    'factorlens explain --model models/qwen2.5-1.5b-instruct-q4_k_m.gguf --artifacts artifacts/fit \\\n    --question "What drove the largest drawdown?" --focus-factors factor_1,factor_2 --factor-labels data/factor_labels.csv',
    'factorlens explain --backend bedrock --model anthropic.claude-3-haiku-20240307-v1:0 --region us-east-1 \\\n    --artifacts artifacts/fit --question "Which factor carries the most risk?"',
  ],
} satisfies CommandSurface;

export const explainArtifact = {
  command: 'explain-analyze',
  summary: 'Ask a language model about an analysis JSON artifact; every number is checked, and strict facts fall back to the evidence',
  inputs: [
    {
      role: 'input',
      flag: '--analysis-json',
      arg: 'file',
      required: true,
      help: 'a JSON artifact of analyze, analyze-compare, analyze-drivers or analyze-investigate',
    },
  ],
  options: ExplainArtifactOptionsSchema,
  flags: [
    { key: 'question', flag: '--question <text>', help: 'what to ask' },
    {
      key: 'strictFacts',
      flag: '--strict-facts <bool>',
      help: 'replace an ungrounded answer with the evidence',
      choices: ['true', 'false'],
    },
    { key: 'maxBullets', flag: '--max-bullets <n>', help: 'bullets to ask for (and evidence lines to fall back to)' },
  ],
  examples: [
    'factorlens analyze --input data/factorlens_demo_sales.csv --group-by region --metrics revenue_usd --output-format json --out artifacts/sales.json',
    'factorlens explain-analyze --model models/qwen2.5-1.5b-instruct-q4_k_m.gguf --analysis-json artifacts/sales.json \\\n    --question "Which region leads?"',
    'factorlens explain-analyze --backend bedrock --model anthropic.claude-3-haiku-20240307-v1:0 --region us-east-1 \\\n    --analysis-json artifacts/sales.json --question "Which region leads?" --max-bullets 3',
  ],
} satisfies CommandSurface;

import path from 'node:path';
import { SuggestOptionsSchema } from '../../src-shared/suggest-options';
import { suggestMarkdown } from '../artifacts/render-suggest';
import { defineAnalysis, json, tableLabel } from './definition';

export const suggest = defineAnalysis({
  command: 'analyze-suggest',
  runKind: null,
  summary: 'Profile a sample of a new table and suggest group columns, metrics and a date column; write a starter profile',
  inputs: [{ role: 'input', flag: '--input', table: true, required: true, help: 'CSV or TSV file to profile' }],
  options: SuggestOptionsSchema,
  flags: [
    { key: 'profileName', flag: '--profile-name <name>', help: 'name of the suggested profile' },
    { key: 'autoGroupK', flag: '--auto-group-k <n>', help: 'suggested group columns at most' },
    { key: 'maxMetrics', flag: '--max-metrics <n>', help: 'suggested metrics at most' },
    { key: 'sampleRows', flag: '--sample-rows <n>', help: 'rows to sample' },
    { key: 'sampleMode', flag: '--sample-mode <mode>', help: 'head: the first rows; random: rows picked by --sample-seed' },
    { key: 'sampleSeed', flag: '--sample-seed <n>', help: 'seed of the random sample (the same seed picks the same rows)' },
  ],
  examples: [
    'factorlens analyze-suggest --input data/factorlens_demo_sales_150.csv --out artifacts/demo_suggest.md --profile-name demo_exec --auto-group-k 4',
  ],
  job: (inputs, options, context) => {
    const label = context.names.input ?? (inputs.input?.kind === 'file' ? inputs.input.path : undefined);
    return { kind: 'suggest', file: tableLabel(inputs.input), source: inputs.input!, options, ...(label ? { inputLabel: label } : {}) };
  },
  title: (s, context) => `Suggested profile: ${context.names.input ?? path.basename(s.input)}`,
  render: { md: suggestMarkdown, json },
  prefix: 'suggest',
  fileName: (s, format) => `suggest_${path.parse(s.input).name}.${format}`,
  report: (s, written) =>
    [
      `Suggested for ${s.input} (${s.sampled_rows} sampled rows, ${s.sample_mode}):`,
      `- group by: ${s.suggested_group_by.join(', ') || 'none'}\n- metrics: ${s.suggested_metrics.join(', ') || 'none'}\n- rank by: ${s.suggested_rank_by ?? 'count'}\n- date column: ${s.suggested_date_column ?? 'none'}`,
      ...s.warnings.map((w) => `Warning: ${w}`),
      `Written:\n${written.map((w) => `- ${w}`).join('\n')}`,
      '',
    ].join('\n'),
});

import path from 'node:path';
import { SegmentsOptionsSchema } from '../../src-shared/analysis-options';
import { segmentsConsole, segmentsHtml, segmentsMarkdown } from '../artifacts/render-segments';
import { requireFileSnapshots } from '../engine/snapshots';
import { defineAnalysis, json, tableLabel } from './definition';

export const segments = defineAnalysis({
  command: 'analyze-segments',
  runKind: 'segments',
  summary:
    'Where a metric changed: the segments (up to three dimension = value pairs) that add up to the change exactly, and its split by each dimension',
  inputs: [
    {
      role: 'input',
      flag: '--input',
      table: true,
      required: true,
      help: 'CSV or TSV file (both periods, or the base snapshot with --input-new)',
    },
    { role: 'inputNew', flag: '--input-new', required: false, help: 'the current snapshot (two-file mode; same columns as --input)' },
  ],
  options: SegmentsOptionsSchema,
  flags: [
    {
      key: 'metric',
      flag: '--metric <col>',
      help: 'the metric: a column (summed, or its mean with --aggregate mean), or the name of a ratio given by --numerator and --denominator',
    },
    { key: 'aggregate', flag: '--aggregate <how>', help: 'sum or mean of the metric column' },
    { key: 'numerator', flag: '--numerator <col>', help: 'ratio metric: the column summed above the line (e.g. orders)' },
    { key: 'denominator', flag: '--denominator <col>', help: 'ratio metric: the column summed below the line (e.g. sessions)' },
    {
      key: 'dimensions',
      flag: '--dimensions <cols>',
      help: 'comma-separated dimensions (default: the low-cardinality text and code columns, at most 7)',
    },
    { key: 'maxDepth', flag: '--max-depth <n>', help: 'dimensions a segment may combine' },
    { key: 'top', flag: '--top <n>', help: 'named segments in the bridge (the rest is "everything else")' },
    {
      key: 'expected',
      flag: '--expected <col>',
      help: 'forecast against actual: the column of expected values (the metric is the actual)',
    },
    { key: 'dateColumn', flag: '--date-column <col>', help: 'date column (period mode)' },
    { key: 'windows', flag: 'period', help: 'the two periods compared' },
  ],
  examples: [
    'factorlens analyze-segments --input data/factorlens_demo_sales_150.csv --metric revenue_usd \\\n    --date-column order_date --anchor-date 2026-03-15 --period current',
    'factorlens analyze-segments --input data/factorlens_demo_sales_150.csv --metric order_value --numerator revenue_usd \\\n    --denominator orders --dimensions region,channel --date-column order_date --anchor-date 2026-03-15 --period current',
  ],
  // Refused before the run starts (the engine checks it too).
  check: (inputs) => requireFileSnapshots(inputs.input, inputs.inputNew !== undefined),
  job: (inputs, options, context) => ({
    kind: 'segments',
    request: {
      input: context.labels.input ?? tableLabel(inputs.input),
      source: inputs.input ?? null,
      inputNew: inputs.inputNew?.kind === 'file' ? inputs.inputNew.path : null,
      options,
      // Stored runs keep the cube beside the artifact for the decomposition tree; files never carry it.
      keepCube: !context.forFiles,
    },
  }),
  title: (a, context) => `Where ${a.metric} changed: ${context.names.input ?? path.basename(a.input)}`,
  render: { md: segmentsMarkdown, html: segmentsHtml, json },
  prefix: 'segments',
  fileName: (a, format) => `segments_${path.parse(a.input).name}.${format}`,
  report: segmentsConsole,
});

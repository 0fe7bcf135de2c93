import path from 'node:path';
import { DriversOptionsSchema } from '../../src-shared/analysis-options';
import { AppError } from '../../src-shared/errors';
import { driversConsole, driversHtml, driversMarkdown } from '../artifacts/render-drivers';
import { requireFileSnapshots } from '../engine/snapshots';
import { defineAnalysis, json, tableLabel } from './definition';

export const drivers = defineAnalysis({
  command: 'analyze-drivers',
  runKind: 'drivers',
  summary:
    "Explain a metric's change by the drivers of its identity (revenue = orders * price), with an exact closure and where the residual lives",
  inputs: [
    {
      role: 'input',
      flag: '--input',
      table: true,
      required: true,
      help: 'CSV or TSV file (both periods, or the base snapshot with --input-new)',
    },
    { role: 'inputNew', flag: '--input-new', required: false, help: 'the new snapshot (two-file mode; same columns as --input)' },
  ],
  options: DriversOptionsSchema,
  flags: [
    { key: 'metric', flag: '--metric <col>', help: 'the metric to explain' },
    { key: 'by', flag: '--by <col>', help: 'add a mix/rate bridge by this dimension (volume, mix and rate effects per segment)' },
    {
      key: 'identity',
      flag: '--identity <expr>',
      help: 'state the identity instead of inferring it, e.g. "revenue_usd = orders * avg_price_usd"',
    },
    {
      key: 'method',
      flag: '--method <m>',
      help: 'lmdi (exact, log-mean Divisia), shapley (exact, average over orders), seed (the original tool’s log-share split)',
    },
    { key: 'dateColumn', flag: '--date-column <col>', help: 'date column (period mode; required without --input-new)' },
    { key: 'windows', flag: 'period', help: 'the two periods compared' },
  ],
  examples: [
    'factorlens analyze-drivers --input data/demo_revenue_residual.csv --metric revenue_usd \\\n    --date-column date --time-grain month --period last --anchor-date 2026-04-15 --method seed',
    'factorlens analyze-drivers --input data/demo_revenue.csv --metric revenue_usd --date-column date \\\n    --anchor-date 2026-04-15 --by region',
  ],
  check(inputs, o) {
    requireFileSnapshots(inputs.input, inputs.inputNew !== undefined);
    if (!inputs.inputNew && (!o.dateColumn || !o.windows)) {
      throw new AppError(
        'BAD_ARGUMENT',
        'a change needs two periods of one table (a date column and two windows) or a second snapshot to compare with',
        'Name the date column and the periods, or give the new snapshot.',
        ['dateColumn', 'inputNew'],
      );
    }
  },
  job: (inputs, o, context) => ({
    kind: 'drivers',
    request: {
      input: context.labels.input ?? tableLabel(inputs.input),
      source: inputs.input ?? null,
      inputNew: inputs.inputNew?.kind === 'file' ? inputs.inputNew.path : null,
      metric: o.metric,
      period: inputs.inputNew ? null : { dateColumn: o.dateColumn!, windows: o.windows! },
      identity: o.identity,
      method: o.method,
      by: o.by,
    },
  }),
  title: (a, context) => `Why ${a.metric} changed: ${context.names.input ?? path.basename(a.input)}`,
  render: { md: driversMarkdown, html: driversHtml, json },
  prefix: 'drivers',
  fileName: (a, format) => `drivers_${path.parse(a.input).name}.${format}`,
  report: driversConsole,
});

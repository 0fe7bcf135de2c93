import path from 'node:path';
import { DriversOptionsSchema } from '../../src-shared/analysis-options';
import { AppError } from '../../src-shared/errors';
import type { DriversArtifact } from '../../src-shared/artifacts/drivers';
import type { SegmentsArtifact } from '../../src-shared/artifacts/segments';
import { driversConsole, driversHtml, driversMarkdown } from '../artifacts/render-drivers';
import { segmentsConsole, segmentsHtml, segmentsMarkdown } from '../artifacts/render-segments';
import { requireFileSnapshots } from '../engine/snapshots';
import { defineAnalysis, json, tableLabel } from './definition';

/** A drivers run answers with where the metric changed when no identity fits (its artifact says why): each is rendered as itself. */
const either =
  <T extends unknown[], R>(ofDrivers: (a: DriversArtifact, ...rest: T) => R, ofSegments: (a: SegmentsArtifact, ...rest: T) => R) =>
  (a: DriversArtifact | SegmentsArtifact, ...rest: T): R =>
    a.kind === 'segments' ? ofSegments(a, ...rest) : ofDrivers(a, ...rest);

export const drivers = defineAnalysis({
  command: 'analyze-drivers',
  runKind: 'drivers',
  summary:
    "Explain a metric's change by the drivers of its identity (revenue = orders * price, or online + store), with an exact closure and where the residual lives; without one, where it changed",
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
      help: 'state the identity instead of inferring it, e.g. "revenue_usd = orders * avg_price_usd" or "revenue = online + store"; none: show where the metric changed (its segments) instead',
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
      // Stored runs that fall back to where it changed keep its cube (the decomposition tree); files never carry it.
      keepCube: !context.forFiles,
    },
  }),
  title: (a, context) => `${a.kind === 'segments' ? 'Where' : 'Why'} ${a.metric} changed: ${context.names.input ?? path.basename(a.input)}`,
  render: { md: either(driversMarkdown, segmentsMarkdown), html: either(driversHtml, segmentsHtml), json },
  prefix: 'drivers',
  fileName: (a, format) => `${a.kind === 'segments' ? 'segments' : 'drivers'}_${path.parse(a.input).name}.${format}`,
  report: either(driversConsole, segmentsConsole),
});

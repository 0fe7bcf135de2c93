import path from 'node:path';
import { InvestigateOptionsSchema } from '../../src-shared/analysis-options';
import { parseList } from '../../src-shared/analyze-syntax';
import { AppError } from '../../src-shared/errors';
import { investigateConsole, investigateHtml, investigateMarkdown } from '../artifacts/render-investigate';
import { defineAnalysis, json, tableLabel } from './definition';

/** Splits "sum(a),avg(b),count(*)" on the commas outside parentheses. */
export function splitDriverExprs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      if (cur.trim()) out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  if (depth !== 0)
    throw new AppError(
      'BAD_ARGUMENT',
      `unbalanced parentheses in the driver expressions '${text}'`,
      'Close every parenthesis, e.g. "sum(orders),avg(price),count(*)".',
      ['drivers'],
    );
  return out;
}

const list = (text: string | true) => parseList(String(text));

export const investigate = defineAnalysis({
  command: 'analyze-investigate',
  runKind: 'investigate',
  summary: 'Decompose a metric change between two periods onto driver aggregates (regression with diagnostics, or a labelled heuristic)',
  inputs: [{ role: 'input', flag: '--input', table: true, required: true, help: 'CSV or TSV file' }],
  options: InvestigateOptionsSchema,
  flags: [
    { key: 'metric', flag: '--metric <col>', help: 'the metric to explain' },
    {
      key: 'drivers',
      flag: '--drivers <exprs>',
      help: 'driver expressions: sum(col), avg(col), count(col), count(*), count_distinct(col), or a bare column (a sum)',
      parse: (t) => splitDriverExprs(String(t)),
    },
    { key: 'include', flag: '--driver-include <list>', help: 'keep only these drivers (label or column)', parse: list },
    { key: 'exclude', flag: '--driver-exclude <list>', help: 'drop these drivers (label or column)', parse: list },
    { key: 'preset', flag: '--driver-preset <preset>', help: 'automatic drivers: id, amount, category or mixed', conflicts: ['drivers'] },
    { key: 'auto', flag: '--auto-drivers <how>', help: 'automatic selection without a preset' },
    {
      key: 'dedup',
      flag: '--dedup-drivers <bool>',
      help: 'skip a numeric driver 95%+ correlated with one already chosen',
      choices: ['true', 'false'],
      parse: (t) => t === 'true',
    },
    { key: 'contributionView', flag: '--driver-contrib <view>', help: 'what each driver line shows' },
    { key: 'topDrivers', flag: '--top-drivers <n>', help: 'drivers to keep' },
    { key: 'maxId', flag: '--max-id-drivers <n>', help: 'id-like drivers at most' },
    { key: 'maxCat', flag: '--max-cat-drivers <n>', help: 'categorical drivers at most' },
    { key: 'maxNum', flag: '--max-num-drivers <n>', help: 'numeric drivers at most' },
    { key: 'dateColumn', flag: '--date-column <col>', help: 'date column (default: auto-detected)' },
    { key: 'windows', flag: 'period', help: 'the two periods compared' },
  ],
  examples: [
    'factorlens analyze-investigate --input data/demo_revenue_residual.csv --metric revenue_usd \\\n    --driver-preset amount --driver-contrib both --date-column date --anchor-date 2026-04-15',
    'factorlens analyze-investigate --input data/demo_revenue_residual.csv --metric revenue_usd \\\n    --drivers "sum(orders),avg(avg_price_usd)" --date-column date --anchor-date 2026-04-15',
  ],
  check(_inputs, o) {
    if (o.preset !== null && o.drivers.length > 0)
      throw new AppError(
        'BAD_ARGUMENT',
        'a driver preset and a list of drivers cannot be used together',
        'Keep one: the preset picks drivers for you, the list names them.',
        ['preset', 'drivers'],
      );
  },
  job: (inputs, o, context) => ({
    kind: 'investigate',
    request: {
      input: tableLabel(inputs.input),
      source: inputs.input ?? null,
      metric: o.metric,
      dateColumn: o.dateColumn,
      windows: o.windows,
      drivers: o.drivers,
      include: o.include,
      exclude: o.exclude,
      select: {
        preset: o.preset,
        auto: o.auto,
        dedup: o.dedup,
        topDrivers: o.topDrivers,
        maxId: o.maxId,
        maxCat: o.maxCat,
        maxNum: o.maxNum,
      },
      contributionView: o.contributionView,
      ...(context.labels.input ? { label: context.labels.input } : {}),
    },
  }),
  title: (a, context) => `Regression on drivers of ${a.metric}: ${context.names.input ?? path.basename(a.input)}`,
  render: { md: investigateMarkdown, html: investigateHtml, json },
  prefix: 'investigate',
  fileName: (a, format) => `investigate_${path.parse(a.input).name}.${format}`,
  report: investigateConsole,
});

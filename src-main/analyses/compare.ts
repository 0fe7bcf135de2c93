import { CompareOptionsSchema, type CompareOptionsValues } from '../../src-shared/analysis-options';
import type { CompareArtifact } from '../../src-shared/artifacts/compare';
import { compareHtml, compareMarkdown } from '../artifacts/render-compare';
import { compareSnapshots, type Snapshot } from '../engine/compare/compare';
import { json, type CommandSurface, type Renderings } from './definition';

/**
 * analyze-compare: two analyze snapshots, the segments that moved. It runs in the host (two small
 * artifacts, no table to scan): the CLI reads the snapshots from JSON files, the workbench from
 * its stored analyze runs or uploaded artifacts.
 */
export const compare = {
  command: 'analyze-compare',
  summary: 'Compare two analyze snapshots: biggest movers by record share and the executive delta',
  inputs: [
    { role: 'base', flag: '--base', arg: 'json', required: true, help: 'the earlier analyze JSON artifact' },
    { role: 'new', flag: '--new', arg: 'json', required: true, help: 'the later analyze JSON artifact' },
  ],
  options: CompareOptionsSchema,
  flags: [{ key: 'topMovers', flag: '--top-movers <n>', help: 'movers to list' }],
  examples: [
    'factorlens analyze --input data/factorlens_demo_sales.csv --group-by region --output-format json --out artifacts/base.json',
    'factorlens analyze --input data/factorlens_demo_sales_150.csv --group-by region --output-format json --out artifacts/new.json',
    'factorlens analyze-compare --base artifacts/base.json --new artifacts/new.json --top-movers 5',
  ],
  compute: (base: Snapshot, next: Snapshot, labels: { base: string; new: string }, options: CompareOptionsValues): CompareArtifact =>
    compareSnapshots(base, next, labels, options.topMovers),
  title: (a: CompareArtifact) => `Compare: ${a.base} → ${a.new}`,
  render: { md: compareMarkdown, html: compareHtml, json } satisfies Renderings<CompareArtifact>,
  fileName: (_a: CompareArtifact, format: string) => `analysis_compare.${format}`,
  /** The CLI's default output: artifacts/analysis_compare.md|.json. */
  defaultBase: 'analysis_compare',
  report: (a: CompareArtifact, written: string[]) =>
    `Compared ${a.base} → ${a.new}: ${a.movers.length} movers\nWritten:\n${written.map((w) => `- ${w}`).join('\n')}\n`,
} satisfies CommandSurface & Record<string, unknown>;

import { Command, Option } from 'commander';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors';
import { outputPaths, writeRenderings } from '../../artifacts/output';
import { compareHtml, compareMarkdown } from '../../artifacts/render-compare';
import { compareSnapshots, parseSnapshot } from '../../engine/compare/compare';
import type { OutputFormat } from '../../../src-shared/analyze-options';
import { wholeNumber } from './args';
import { readTextFile } from './read-text';
import { CompareOptionsSchema } from '../../../src-shared/analysis-options';

async function readSnapshot(flag: string, file: string) {
  const text = await readTextFile(flag, file, 'Pass the .json artifacts that factorlens analyze wrote (--output-format json or both).');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new AppError('BAD_ARGUMENT', `${file} is not valid JSON: ${(err as Error).message}`, 'Pass the .json artifact, not the Markdown report.');
  }
  return parseSnapshot(value, file);
}

export function compareCommand(): Command {
  return new Command('analyze-compare')
    .description('Compare two analyze snapshots: biggest movers by record share and the executive delta')
    .requiredOption('--base <json>', 'the earlier analyze JSON artifact')
    .requiredOption('--new <json>', 'the later analyze JSON artifact')
    .option('--top-movers <n>', `movers to list (default: ${CompareOptionsSchema.parse({}).topMovers})`)
    .addOption(new Option('--output-format <fmt>', 'what to write').choices(['md', 'html', 'json', 'both']).default('both'))
    .option('--out <file>', 'output path (default: artifacts/analysis_compare.md|.json|.html)')
    .addHelpText(
      'after',
      `
Examples:
  factorlens analyze --input data/factorlens_demo_sales.csv --group-by region --output-format json --out artifacts/base.json
  factorlens analyze --input data/factorlens_demo_sales_150.csv --group-by region --output-format json --out artifacts/new.json
  factorlens analyze-compare --base artifacts/base.json --new artifacts/new.json --top-movers 5`,
    )
    .action(async (f: { base: string; new: string; topMovers?: string; outputFormat: OutputFormat; out?: string }) => {
      // The default lives in the schema the workbench's compare uses too.
      const n = CompareOptionsSchema.parse({ topMovers: f.topMovers === undefined ? undefined : wholeNumber('--top-movers', f.topMovers, 1, 500) }).topMovers;
      const [base, next] = await Promise.all([readSnapshot('--base', f.base), readSnapshot('--new', f.new)]);
      const c = compareSnapshots(base, next, { base: f.base, new: f.new }, n);
      const written = await writeRenderings(outputPaths(path.join('artifacts', 'analysis_compare'), f.outputFormat, f.out), (format) =>
        format === 'md' ? compareMarkdown(c) : format === 'html' ? compareHtml(c) : `${JSON.stringify(c, null, 2)}\n`,
      );
      process.stdout.write(`Compared ${f.base} → ${f.new}: ${c.movers.length} movers\nWritten:\n${written.map((w) => `- ${w}`).join('\n')}\n`);
    });
}

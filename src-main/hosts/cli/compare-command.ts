import { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors';
import { outputPaths, writeRenderings } from '../../artifacts/output';
import { compareHtml, compareMarkdown } from '../../artifacts/render-compare';
import { compareSnapshots, parseSnapshot } from '../../engine/compare/compare';
import type { OutputFormat } from '../../../src-shared/analyze-options';
import { wholeNumber } from './args';

async function readSnapshot(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`, 'Pass the JSON artifacts that factorlens analyze wrote.');
  }
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
    .option('--top-movers <n>', 'movers to list', '10')
    .addOption(new Option('--output-format <fmt>', 'what to write').choices(['md', 'html', 'json', 'both']).default('both'))
    .option('--out <file>', 'output path (default: artifacts/analysis_compare.md|.json|.html)')
    .action(async (f: { base: string; new: string; topMovers: string; outputFormat: OutputFormat; out?: string }) => {
      const n = wholeNumber('--top-movers', f.topMovers, 1);
      const [base, next] = await Promise.all([readSnapshot(f.base), readSnapshot(f.new)]);
      const c = compareSnapshots(base, next, { base: f.base, new: f.new }, n);
      const written = await writeRenderings(outputPaths(path.join('artifacts', 'analysis_compare'), f.outputFormat, f.out), (format) =>
        format === 'md' ? compareMarkdown(c) : format === 'html' ? compareHtml(c) : `${JSON.stringify(c, null, 2)}\n`,
      );
      process.stdout.write(`Compared ${f.base} → ${f.new}: ${c.movers.length} movers\nWritten:\n${written.map((w) => `- ${w}`).join('\n')}\n`);
    });
}

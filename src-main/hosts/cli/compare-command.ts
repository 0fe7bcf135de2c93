import { Command, Option } from 'commander';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors';
import { outputPaths, writeRenderings } from '../../artifacts/output';
import { parseSnapshot } from '../../engine/compare/compare';
import { compare } from '../../analyses/compare';
import { addAnalysisFlags, addExamples, analysisFromFlags } from './analysis-command';
import type { OutputFormat } from '../../../src-shared/analyze-options';
import { readTextFile } from './read-text';
import type { CompareOptionsValues } from '../../../src-shared/analysis-options';

export async function readSnapshot(flag: string, file: string) {
  const text = await readTextFile(flag, file, 'Pass the .json artifacts that factorlens analyze wrote (--output-format json or both).');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${file} is not valid JSON: ${(err as Error).message}`,
      'Pass the .json artifact, not the Markdown report.',
    );
  }
  return parseSnapshot(value, file);
}

/** analyze-compare, from its definition: two snapshot files, the movers, the renderings. */
export function compareCommand(): Command {
  const cmd = addAnalysisFlags(new Command(compare.command).description(compare.summary), compare)
    .addOption(new Option('--output-format <fmt>', 'what to write').choices(['md', 'html', 'json', 'both']).default('both'))
    .option('--out <file>', `output path (default: artifacts/${compare.defaultBase}.md|.json|.html)`);
  addExamples(cmd, compare.examples);
  return cmd.action(async (flags, command: Command) => {
    const f = flags as { base: string; new: string; outputFormat: OutputFormat; out?: string };
    const { options } = await analysisFromFlags(compare, flags, command);
    // One after the other, so a problem with both files is always told about --base first.
    const base = await readSnapshot('--base', f.base);
    const next = await readSnapshot('--new', f.new);
    const c = compare.compute(base, next, { base: f.base, new: f.new }, options as CompareOptionsValues);
    const written = await writeRenderings(outputPaths(path.join('artifacts', compare.defaultBase), f.outputFormat, f.out), (format) =>
      compare.render[format](c),
    );
    process.stdout.write(compare.report(c, written));
  });
}

import { Command } from 'commander';
import type { z } from 'zod';
import path from 'node:path';
import { readFactorFolder } from '../../artifacts/factor-folder';
import { writeFilesAtomically } from '../../artifacts/output';
import { factorsFit, factorsRegress } from '../../analyses';
import type { JobRunner } from '../../process/job-runner';
import { report, type ReportOptionsSchema } from '../../analyses/report';
import { addAnalysisFlags, addExamples, analysisCommand, analysisFromFlags } from './analysis-command';
/** `factors fit` and `factors regress`: factor models of price returns (the seed's artifacts), built from their definitions. */
export function factorsCommand(runner: () => JobRunner): Command {
  return new Command('factors')
    .description('Factor models of price returns: statistical factors (PCA) or known-factor regression')
    .addCommand(analysisCommand(factorsFit, runner, 'fit'))
    .addCommand(analysisCommand(factorsRegress, runner, 'regress'));
}

/** `report`: Markdown or standalone HTML from a `factors fit` or `factors regress` folder (its definition: analyses/report.ts). */
export function reportCommand(): Command {
  const cmd = addAnalysisFlags(new Command(report.command).description(report.summary), report).option(
    '--out <file>',
    'report file (default: <artifacts>/report.md or report.html)',
  );
  addExamples(cmd, report.examples);
  return cmd.action(async (flags, command: Command) => {
    const f = flags as { artifacts: string; out?: string };
    const { options } = await analysisFromFlags(report, flags, command);
    const html = (options as z.output<typeof ReportOptionsSchema>).format === 'html';
    const a = await readFactorFolder(f.artifacts);
    const out = f.out ?? path.join(f.artifacts, html ? 'report.html' : 'report.md');
    await writeFilesAtomically([{ path: out, content: report.render(a, html) }]);
    process.stdout.write(
      `Report (${a.kind === 'factors' ? 'factor model' : 'known-factor regression'}, ${html ? 'HTML' : 'Markdown'}) written to ${out}\n`,
    );
  });
}

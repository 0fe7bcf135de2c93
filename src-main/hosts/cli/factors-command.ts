import { Command, Option } from 'commander';
import path from 'node:path';
import { readFactorFolder } from '../../artifacts/factor-folder';
import { writeFilesAtomically } from '../../artifacts/output';
import { factorsHtml, factorsMarkdown, regressionHtml, regressionMarkdown } from '../../artifacts/render-factors';
import { factorsFit, factorsRegress } from '../../analyses';
import type { JobRunner } from '../../process/job-runner';
import { analysisCommand } from './analysis-command';
/** `factors fit` and `factors regress`: factor models of price returns (the seed's artifacts), built from their definitions. */
export function factorsCommand(runner: () => JobRunner): Command {
  return new Command('factors')
    .description('Factor models of price returns: statistical factors (PCA) or known-factor regression')
    .addCommand(analysisCommand(factorsFit, runner, 'fit'))
    .addCommand(analysisCommand(factorsRegress, runner, 'regress'));
}

/** `report`: Markdown or standalone HTML from a `factors fit` or `factors regress` folder. */
export function reportCommand(): Command {
  return new Command('report')
    .description('Markdown or standalone HTML report (with charts) from a factors fit or factors regress artifact folder')
    .requiredOption('--artifacts <dir>', 'the --out folder of factors fit or factors regress')
    .addOption(new Option('--format <fmt>', 'markdown or html').choices(['markdown', 'md', 'html']).default('markdown'))
    .option('--out <file>', 'report file (default: <artifacts>/report.md or report.html)')
    .addHelpText('after', '\nExamples:\n  factorlens report --artifacts artifacts/factors_demo\n  factorlens report --artifacts artifacts/regress_demo --format html --out artifacts/regress_demo.html')
    .action(async (f: { artifacts: string; format: 'markdown' | 'md' | 'html'; out?: string }) => {
      const a = await readFactorFolder(f.artifacts);
      const html = f.format === 'html';
      const content = a.kind === 'factors' ? (html ? factorsHtml(a) : factorsMarkdown(a)) : html ? regressionHtml(a) : regressionMarkdown(a);
      const out = f.out ?? path.join(f.artifacts, html ? 'report.html' : 'report.md');
      await writeFilesAtomically([{ path: out, content }]);
      process.stdout.write(`Report (${a.kind === 'factors' ? 'factor model' : 'known-factor regression'}, ${html ? 'HTML' : 'Markdown'}) written to ${out}\n`);
    });
}

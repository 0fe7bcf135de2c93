import { z } from 'zod';
import type { FactorsArtifact, RegressionArtifact } from '../../src-shared/artifacts/factors';
import type { CommandSurface } from './definition';
import { factorsFit, factorsRegress } from './factors';

export const ReportOptionsSchema = z.object({
  format: z.enum(['markdown', 'md', 'html']).default('markdown'),
});

/** report: the Markdown or HTML rendering of a factors fit or factors regress folder, by that analysis's own renderings. */
export const report = {
  command: 'report',
  summary: 'Markdown or standalone HTML report (with charts) from a factors fit or factors regress artifact folder',
  inputs: [{ role: 'input', flag: '--artifacts', arg: 'dir', required: true, help: 'the --out folder of factors fit or factors regress' }],
  options: ReportOptionsSchema,
  flags: [{ key: 'format', flag: '--format <fmt>', help: 'markdown or html' }],
  examples: [
    'factorlens report --artifacts artifacts/factors_demo',
    'factorlens report --artifacts artifacts/regress_demo --format html --out artifacts/regress_demo.html',
  ],
  render(a: FactorsArtifact | RegressionArtifact, html: boolean): string {
    if (a.kind === 'factors') return html ? factorsFit.render.html!(a) : factorsFit.render.md(a);
    return html ? factorsRegress.render.html!(a) : factorsRegress.render.md(a);
  },
} satisfies CommandSurface & Record<string, unknown>;

import { Command, Option } from 'commander';
import path from 'node:path';
import type { SuggestArtifact } from '../../../src-shared/artifacts/suggest';
import type { SuggestOptions } from '../../../src-shared/suggest-options';
import { outputPaths, writeRenderings } from '../../artifacts/output';
import { suggestedProfile } from '../../artifacts/render-suggest';
import { suggest } from '../../analyses';
import { startAnalysis } from '../../analyses/start';
import type { JobRunner } from '../../process/job-runner';
import { profilesToToml } from '../../services/profiles';
import { addAnalysisFlags, addExamples, analysisFromFlags } from './analysis-command';
import { progressReporter } from './progress';

interface SuggestOutputFlags {
  out: string;
  outProfile?: string;
  profileFormat: 'toml' | 'json';
  outputFormat: 'md' | 'json' | 'both';
}

/** The profile's default path: beside --out, never on top of a report file. */
export function defaultProfilePath(out: string, format: 'toml' | 'json'): string {
  const parsed = path.parse(out);
  return path.join(parsed.dir, `${parsed.name}${format === 'toml' ? '.toml' : '.profile.json'}`);
}

/** analyze-suggest: its definition's inputs and options, plus the report and the starter profile it writes. */
export function suggestCommand(runner: () => JobRunner): Command {
  const cmd = addAnalysisFlags(new Command(suggest.command).description(suggest.summary), suggest)
    .requiredOption('--out <file>', 'report path (Markdown; the JSON report goes beside it)')
    .option('--out-profile <file>', 'profile path (default: beside --out, .toml or .profile.json)')
    .addOption(new Option('--profile-format <fmt>', 'profile file format').choices(['toml', 'json']).default('toml'))
    .addOption(new Option('--output-format <fmt>', 'report format').choices(['md', 'json', 'both']).default('both'));
  addExamples(cmd, suggest.examples);
  return cmd.action(async (flags, command: Command) => {
    const f = flags as SuggestOutputFlags;
    const { inputs, options: parsed } = await analysisFromFlags(suggest, flags, command);
    const options = parsed as SuggestOptions;
    const progress = progressReporter();
    let s: SuggestArtifact;
    try {
      s = (await startAnalysis(runner(), suggest, inputs, options, { labels: {}, names: {}, forFiles: true }, progress.update).handle
        .result) as SuggestArtifact;
    } finally {
      progress.done();
    }
    const profilePath = f.outProfile ?? defaultProfilePath(f.out, f.profileFormat);
    const profile = suggestedProfile(s, options.autoGroupK);
    const profileText =
      f.profileFormat === 'toml'
        ? profilesToToml({ [options.profileName]: profile })
        : `${JSON.stringify({ profiles: { [options.profileName]: profile } }, null, 2)}\n`;
    const artifact = { ...s, profile_path: profilePath };
    const written = await writeRenderings(outputPaths(f.out, f.outputFormat, f.out), (format) => suggest.render[format]!(artifact), [
      { path: profilePath, content: profileText },
    ]);
    process.stdout.write(suggest.report(artifact, written));
  });
}

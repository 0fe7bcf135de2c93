import { Command, Option } from 'commander';
import path from 'node:path';
import { outputPaths, writeRenderings } from '../../artifacts/output';
import { suggestedProfile, suggestMarkdown } from '../../artifacts/render-suggest';
import type { JobRunner } from '../../process/job-runner';
import { profilesToToml } from '../../services/profiles';
import { SuggestOptionsSchema } from '../../../src-shared/suggest-options';
import { parseFlagValues, wholeNumber } from './args';
import { progressReporter } from './progress';
import { addSourceFlags, sourceFromFlags, type SourceFlags } from './source-flags';

interface SuggestFlags extends SourceFlags {
  out: string;
  profileName: string;
  autoGroupK: string;
  maxMetrics: string;
  sampleRows: string;
  sampleMode: 'head' | 'random';
  sampleSeed: string;
  outProfile?: string;
  profileFormat: 'toml' | 'json';
  outputFormat: 'md' | 'json' | 'both';
}

/** The profile's default path: beside --out, never on top of a report file. */
export function defaultProfilePath(out: string, format: 'toml' | 'json'): string {
  const parsed = path.parse(out);
  return path.join(parsed.dir, `${parsed.name}${format === 'toml' ? '.toml' : '.profile.json'}`);
}

export function suggestCommand(runner: () => JobRunner): Command {
  return addSourceFlags(
    new Command('analyze-suggest').description('Profile a sample of a new table and suggest group columns, metrics and a date column; write a starter profile'),
    'CSV or TSV file to profile',
  )
    .requiredOption('--out <file>', 'report path (Markdown; the JSON report goes beside it)')
    .option('--profile-name <name>', 'name of the suggested profile', 'suggested')
    .option('--auto-group-k <n>', 'suggested group columns at most', '3')
    .option('--max-metrics <n>', 'suggested metrics at most', '3')
    .option('--sample-rows <n>', 'rows to sample', '2000')
    .addOption(new Option('--sample-mode <mode>', 'head: the first rows; random: rows picked by --sample-seed').choices(['head', 'random']).default('head'))
    .option('--sample-seed <n>', 'seed of the random sample (the same seed picks the same rows)', '42')
    .option('--out-profile <file>', 'profile path (default: beside --out, .toml or .profile.json)')
    .addOption(new Option('--profile-format <fmt>', 'profile file format').choices(['toml', 'json']).default('toml'))
    .addOption(new Option('--output-format <fmt>', 'report format').choices(['md', 'json', 'both']).default('both'))
    .addHelpText('after', '\nExample:\n  factorlens analyze-suggest --input data/factorlens_demo_sales_150.csv --out artifacts/demo_suggest.md --profile-name demo_exec --auto-group-k 4')
    .action(async (f: SuggestFlags) => {
      const autoGroupK = wholeNumber('--auto-group-k', f.autoGroupK, 1, 20);
      const options = parseFlagValues(SuggestOptionsSchema, {
        profileName: f.profileName,
        autoGroupK,
        maxMetrics: wholeNumber('--max-metrics', f.maxMetrics, 1, 20),
        sampleRows: wholeNumber('--sample-rows', f.sampleRows, 1),
        sampleMode: f.sampleMode,
        sampleSeed: wholeNumber('--sample-seed', f.sampleSeed, 0),
      }, { profileName: '--profile-name', sampleMode: '--sample-mode' });
      const progress = progressReporter();
      let s;
      try {
        const source = sourceFromFlags(f);
        s = await runner().start({ kind: 'suggest', file: source.kind === 'file' ? source.path : 'query', source, options, ...(source.kind === 'file' ? { inputLabel: source.path } : {}) }, progress.update).result;
      } finally {
        progress.done();
      }
      const profilePath = f.outProfile ?? defaultProfilePath(f.out, f.profileFormat);
      const profile = suggestedProfile(s, autoGroupK);
      const profileText = f.profileFormat === 'toml' ? profilesToToml({ [f.profileName]: profile }) : `${JSON.stringify({ profiles: { [f.profileName]: profile } }, null, 2)}\n`;
      const artifact = { ...s, profile_path: profilePath };
      const written = await writeRenderings(
        outputPaths(f.out, f.outputFormat, f.out),
        (format) => (format === 'json' ? `${JSON.stringify(artifact, null, 2)}\n` : suggestMarkdown(artifact)),
        [{ path: profilePath, content: profileText }],
      );
      const o = process.stdout;
      o.write(`Suggested for ${f.input} (${s.sampled_rows} sampled rows, ${s.sample_mode}):\n`);
      o.write(`- group by: ${s.suggested_group_by.join(', ') || 'none'}\n- metrics: ${s.suggested_metrics.join(', ') || 'none'}\n- rank by: ${s.suggested_rank_by ?? 'count'}\n- date column: ${s.suggested_date_column ?? 'none'}\n`);
      for (const w of s.warnings) o.write(`Warning: ${w}\n`);
      o.write(`Written:\n${written.map((w) => `- ${w}`).join('\n')}\n`);
    });
}

import type { SuggestArtifact } from '../../src-shared/artifacts/suggest';
import { formatNumber } from '../../src-shared/format';
import type { ProfileValues as Profile } from '../../src-shared/contract';
import { markdownName, markdownSentence, markdownText } from './markdown-escape';
import { markdownTable } from './render-markdown';

/** The profile a suggestion stands for (the seed's fixed top 15 and min_records 10). */
export function suggestedProfile(s: SuggestArtifact, autoGroupK: number): Profile {
  return {
    group_by: s.suggested_group_by,
    metrics: s.suggested_metrics,
    ...(s.suggested_rank_by ? { rank_by: s.suggested_rank_by } : {}),
    top: 15,
    min_records: 10,
    auto_group_k: autoGroupK,
  };
}

export function suggestMarkdown(s: SuggestArtifact): string {
  const out = ['# Analyze Suggest Report', ''];
  out.push(`- Input: ${markdownName(s.input)} (${formatNumber(s.rows, 0)} rows)`);
  out.push(`- Sampled rows: ${formatNumber(s.sampled_rows, 0)} (${s.sample_mode}${s.sample_mode === 'random' ? `, seed ${s.sample_seed}` : ''})`);
  out.push(`- Profile: ${markdownText(s.profile_name)}${s.profile_path ? ` (${markdownName(s.profile_path)})` : ''}`);
  out.push('', '## Suggested Columns', '');
  const names = (list: string[]) => list.map(markdownText).join(', ') || 'none';
  out.push(`- Group by: ${names(s.suggested_group_by)}`);
  out.push(`- Metrics: ${names(s.suggested_metrics)}`);
  out.push(`- Rank by: ${s.suggested_rank_by ? markdownText(s.suggested_rank_by) : 'count'}`);
  out.push(`- Date column: ${s.suggested_date_column ? markdownText(s.suggested_date_column) : 'none'}`);
  out.push('', '## Warnings', '', ...(s.warnings.length ? s.warnings.map((w) => `- ${markdownSentence(w)}`) : ['- none']));
  out.push('', '## Column Profile', '');
  out.push(
    ...markdownTable(
      [
        { label: 'Column', align: 'left', format: (c) => c.name },
        { label: 'Role', align: 'left', format: (c) => c.inferred_role },
        { label: 'Fill %', align: 'right', format: (c) => formatNumber(c.fill_pct, 1) },
        { label: 'Distinct', align: 'right', format: (c) => formatNumber(c.distinct_count, 0) },
        { label: 'Numeric Ratio', align: 'right', format: (c) => formatNumber(c.numeric_ratio, 2) },
        { label: 'Date Ratio', align: 'right', format: (c) => formatNumber(c.date_ratio, 2) },
        { label: 'Top Values', align: 'left', format: (c) => c.top_values.map(([v, n]) => `${v} (${n})`).join(', ') },
      ],
      s.columns,
    ),
    '',
  );
  return out.join('\n');
}

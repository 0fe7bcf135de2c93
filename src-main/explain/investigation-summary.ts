import type { InvestigationArtifact, InvestigationStep } from '../../src-shared/artifacts/investigation';
import type { ChatResult } from './chat';
import { quoted, type Evidence } from './evidence';
import { checkNumbers } from './fact-check';

/**
 * The model's closing summary of an investigation, and the checks it must pass to be shown: the
 * evidence is built from the artifact's steps, and every number of the summary must be one of
 * theirs (the Explain pane's number check). A summary that fails is replaced by the deterministic
 * one, and the reason is kept for the report.
 */
export type InvestigationForSummary = Omit<InvestigationArtifact, 'final_summary'> & { final_summary?: unknown };

const r2 = (v: number) => Number(v.toFixed(2));
const scopeText = (s: InvestigationStep) =>
  s.scope.length ? s.scope.map((c) => `${quoted(c.dimension)}=${quoted(c.value)}`).join(' and ') : 'the whole table';

class Lines {
  readonly items: Evidence[] = [];
  add(text: string, values: (number | null)[]): void {
    this.items.push({ id: `E${this.items.length + 1}`, text, values: values.filter((v): v is number => v !== null && Number.isFinite(v)) });
  }
}

/** Numbered evidence lines from the artifact: the totals, each step's scope and its largest movers, the coverage. */
export function investigationEvidence(a: InvestigationForSummary, moversPerStep = 5): Evidence[] {
  const l = new Lines();
  const t = a.totals;
  l.add(
    `metric=${quoted(a.metric)} base=${r2(t.base_metric)} new=${r2(t.new_metric)} change=${r2(t.delta_metric)}${t.delta_pct === null ? '' : ` (${r2(t.delta_pct)}%)`} records base=${t.base_records} new=${t.new_records}`,
    [t.base_metric, t.new_metric, t.delta_metric, t.delta_pct, t.base_records, t.new_records],
  );
  const depths = new Set(a.steps.map((s) => s.depth)).size;
  l.add(
    `steps=${a.steps.length} levels=${depths} max_depth=${a.config.max_depth} dimensions=${[a.top_dimension, ...a.drill_fields].map(quoted).join(',')}`,
    [a.steps.length, depths, a.config.max_depth],
  );
  for (const s of a.steps) {
    l.add(
      `step ${s.id} depth=${s.depth} split by ${quoted(s.dimension)} within ${scopeText(s)}: metric base=${r2(s.base_metric)} new=${r2(s.new_metric)} change=${r2(s.delta_metric)}; records base=${s.base_records} new=${s.new_records}; ${s.concentration.segments} segments, top-1 share ${r2(s.concentration.top1_share_pct.base)}% -> ${r2(s.concentration.top1_share_pct.new)}%, top-5 share ${r2(s.concentration.top5_share_pct.base)}% -> ${r2(s.concentration.top5_share_pct.new)}%; left out by the listed movers ${r2(s.residual_abs)}`,
      [
        s.depth,
        s.base_metric,
        s.new_metric,
        s.delta_metric,
        s.base_records,
        s.new_records,
        s.concentration.segments,
        s.concentration.top1_share_pct.base,
        s.concentration.top1_share_pct.new,
        s.concentration.top1_share_pct.delta_pp,
        s.concentration.top5_share_pct.base,
        s.concentration.top5_share_pct.new,
        s.concentration.top5_share_pct.delta_pp,
        s.residual_abs,
        s.score_improvement,
      ],
    );
    for (const m of s.movers.slice(0, moversPerStep))
      l.add(
        `  ${quoted(s.dimension)}=${quoted(m.segment)} (step ${s.id}): metric ${r2(m.base_metric)} -> ${r2(m.new_metric)} (change ${r2(m.delta_metric)}${m.delta_pct_of_total === null ? '' : `, ${r2(m.delta_pct_of_total)}% of the total change`}); records ${m.base_records} -> ${m.new_records}; share ${r2(m.base_share_pct)}% -> ${r2(m.new_share_pct)}% (${r2(m.delta_share_pp)} pp); score ${r2(m.score)}`,
        [
          m.base_metric,
          m.new_metric,
          m.delta_metric,
          m.delta_pct_of_total,
          m.base_records,
          m.new_records,
          m.new_records - m.base_records,
          m.base_share_pct,
          m.new_share_pct,
          m.delta_share_pp,
          m.score,
        ],
      );
  }
  const c = a.coverage;
  if (c.top_level_reported_pct !== null)
    l.add(`the top-level movers cover ${r2(c.top_level_reported_pct)}% of the change`, [c.top_level_reported_pct]);
  if (c.strongest_segment)
    l.add(
      `strongest segment ${quoted(c.strongest_segment.dimension)}=${quoted(c.strongest_segment.segment)}: ${r2(c.strongest_segment.share_of_abs_change_pct)}% of the absolute change`,
      [c.strongest_segment.share_of_abs_change_pct],
    );
  return l.items;
}

export const SUMMARY_SYSTEM = [
  'You summarise a finished drill-down investigation for an analyst.',
  'Write 2 to 4 short lines of plain text, one finding per line: what changed overall, which segments drove it, and where the drill-down led.',
  'Use only numbers that appear in the evidence, rounded as they are written there (at most 2 decimals). Do not compute new numbers.',
  'No code, no JSON, no headings, no evidence ids.',
].join('\n');

export function summaryPrompt(question: string, evidence: Evidence[]): string {
  return `Question: ${question}\nEvidence:\n${evidence.map((e) => e.text).join('\n')}\nWrite the 2 to 4 line summary.`;
}

/** Chat-template tokens, role labels and echoes of the prompt: signs the model did not write a summary. */
const PROMPT_TOKENS = [
  /<\|[^|>\n]{1,40}\|>/,
  /<\/?s>/,
  /\[\/?(?:SYSTEM|USER|INST|ASSISTANT)\]/i,
  /^\s*(?:system|user|assistant|human)\s*:/im,
  /^\s*(?:question|evidence)\s*:/im,
  /"(?:available_dimensions|required_metric|last_result|action)"\s*:/,
  /\bstep d\d+:/,
];

/** The summary's lines: bullet and number markers dropped, one paragraph split into its sentences. */
function summaryLines(text: string): string[] {
  let lines = text
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•]|\d{1,2}[.)])\s+/, '').trim())
    .filter(Boolean);
  if (lines.length === 1) lines = lines[0]!.split(/(?<=[.!?])\s+(?=[A-Z"'(])/).map((s) => s.trim());
  return lines;
}

/** The model's summary, accepted as lines, or the reason it is not used. */
export function checkSummary(result: ChatResult, evidence: Evidence[]): { text: string[] } | { rejected: string } {
  // Evidence ids are for the model's reading; the report does not show them.
  const text = result.text.replace(/\s*\[E\d+(?:\s*,\s*E\d+)*\]/g, '').trim();
  if (result.stopped) return { rejected: 'the summary was stopped before the model finished it' };
  if (!text) return { rejected: 'the model returned no summary' };
  if (result.truncated) return { rejected: 'the summary reached the token limit and may end mid-sentence (truncated)' };
  if (text.includes('```')) return { rejected: 'the summary contains a code fence' };
  const token = PROMPT_TOKENS.map((p) => text.match(p)?.[0]).find(Boolean);
  if (token) return { rejected: `the summary contains prompt text (${token.trim()})` };
  const lines = summaryLines(text);
  if (lines.length < 2 || lines.length > 4)
    return { rejected: `the summary has ${lines.length} line${lines.length === 1 ? '' : 's'}; 2 to 4 were asked for` };
  const long = text.match(/\d+\.\d{3,}/);
  if (long) return { rejected: `the summary states a number with more than 2 decimals (${long[0]})` };
  const unverified = checkNumbers(lines.join('\n'), evidence).filter((n) => !n.verified);
  if (unverified.length > 0)
    return {
      rejected: `the summary states ${unverified.length === 1 ? 'a number' : 'numbers'} not found in the steps: ${unverified.map((n) => n.text.trim()).join(', ')}`,
    };
  return { text: lines };
}

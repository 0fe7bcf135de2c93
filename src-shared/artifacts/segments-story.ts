import { formatNumber } from '../format';
import { periodSpan } from '../period-name';
import { shortAmount } from '../short-amount';
import type { SegmentCondition, SegmentsArtifact } from './segments';

/** A segment as the analyst reads it in a table: "region = US & channel = Online", or "everything else". */
export function segmentName(p: { segment: SegmentCondition[] | null }): string {
  return p.segment ? p.segment.map((c) => `${c.dimension} = ${c.value}`).join(' & ') : 'everything else';
}

/** A share of the change in a table: 0.625 -> "62.5%" (blank when the whole did not change). */
export const shareText = (v: number | null): string => (v === null ? '' : `${(v * 100).toFixed(1)}%`);

/** A segment in a sentence: "region US", "region US and channel Online". */
const segmentWords = (segment: SegmentCondition[]) => segment.map((c) => `${c.dimension} ${c.value}`).join(' and ');

/** An amount for people, as the drivers story writes them: 880172.44 -> "880K"; a ratio's small values keep three significant digits. */
function amount(a: SegmentsArtifact, v: number): string {
  if (a.metric_kind === 'sum') return shortAmount(Math.abs(v));
  return Number(Math.abs(v).toPrecision(3)).toString();
}

/** The whole's change in percent: one decimal below 100% ("16.4%"), none above. */
const percent = (v: number) => `${Math.abs(v) < 100 ? Math.abs(v).toFixed(1) : Math.abs(v).toFixed(0)}%`;
/** A part's share of the change: a whole percent. */
const sharePercent = (v: number) => `${Math.abs(v).toFixed(0)}%`;

/** The two sides in a sentence: "from February to March 2026", "from base.csv to new.csv", "against the expected forecast". */
function span(a: SegmentsArtifact, word: 'from' | 'between'): string {
  if (a.comparison.mode === 'expected') return `against the expected ${a.comparison.expected_column}`;
  if (a.comparison.mode === 'period') {
    const text = periodSpan(a.comparison.windows.previous, a.comparison.windows.current);
    return word === 'from' ? text : text.replace(/^from (.*) to (.*)$/, 'between $1 and $2');
  }
  return word === 'from' ? `from ${a.base_label} to ${a.current_label}` : `between ${a.base_label} and ${a.current_label}`;
}

/**
 * Two to four plain sentences from the artifact alone, for a manager: what moved and by how much,
 * which segments carry it, and whether it is concentrated or spread. Every number is one the
 * artifact holds (rounded for reading), so the Explain pane's check finds each of them.
 */
export function segmentsStory(a: SegmentsArtifact): string[] {
  const out: string[] = [];
  const direction = a.change > 0 ? 'rose' : a.change < 0 ? 'fell' : 'did not change';
  const from = span(a, 'from');
  if (a.change === 0) out.push(`${a.metric} did not change ${from}.`);
  else if (a.metric_kind === 'sum')
    out.push(`${a.metric} ${direction}${a.change_pct === null ? '' : ` ${percent(a.change_pct)}`} (${a.change < 0 ? '-' : '+'}${amount(a, a.change)}) ${from}.`);
  else {
    const between = span(a, 'between');
    out.push(`${a.metric} ${direction}${a.change_pct === null ? '' : ` ${percent(a.change_pct)}`}, from ${formatNumber(a.base_value, 4)} to ${formatNumber(a.current_value, 4)}, ${between}.`);
  }
  if (a.change === 0) return out;
  const named = a.bridge.filter((p) => p.segment !== null && p.share !== null && Math.abs(p.share) >= 0.05).slice(0, 3);
  if (named.length > 0) {
    const parts = named.map((p) => `${segmentWords(p.segment!)} ${p.contribution < 0 ? '-' : '+'}${amount(a, p.contribution)} (${sharePercent(p.share! * 100)} ${p.share! < 0 ? 'against it' : 'of it'})`);
    out.push(`The largest parts: ${parts.join('; ')}.`);
  }
  if (a.root_causes.length > 0) {
    const causes = a.root_causes.slice(0, 3).map((c) => segmentWords(c.segment));
    out.push(`It is concentrated in ${causes.length === 1 ? causes[0] : `${causes.slice(0, -1).join(', ')} and ${causes.at(-1)}`}: ${a.root_causes.length === 1 ? 'its rows moved' : 'their rows moved'} apart from the rest of the table.`);
  } else out.push('No segment moved apart from the rest: the change is spread over the table.');
  if (a.metric_kind !== 'sum') {
    const rate = a.bridge.reduce((s, p) => s + p.rate, 0);
    const mix = a.change - rate;
    out.push(Math.abs(rate) >= Math.abs(mix) ? 'Mostly the segments\' own ratios moved (rate), more than their weights (mix).' : 'Mostly the weights of the segments moved (mix), more than their own ratios (rate).');
  }
  return out.slice(0, 4);
}

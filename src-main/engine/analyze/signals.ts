import type { AlertRule } from '../../../src-shared/analyze-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { formatNumber, formatPercent } from '../../../src-shared/format';
import type { ResolvedAnalyze } from './resolve';
import { BLANK, type SegmentCell } from './scan-plan';

/** Alerts, top insights and word frequencies: what the analyst should look at first. */

type AlertFacts = Pick<AnalyzeArtifact, 'top5_record_share_pct' | 'blank_share_pct' | 'segments' | 'records'>;

const TOLERANCE = 1e-9;

function holds(actual: number, rule: AlertRule): boolean {
  switch (rule.operator) {
    case '>=':
      return actual >= rule.threshold;
    case '<=':
      return actual <= rule.threshold;
    case '>':
      return actual > rule.threshold;
    case '<':
      return actual < rule.threshold;
    case '=':
      return Math.abs(actual - rule.threshold) <= TOLERANCE;
    case '!=':
      return Math.abs(actual - rule.threshold) > TOLERANCE;
  }
}

export function evaluateAlerts(facts: AlertFacts, r: ResolvedAnalyze): Pick<AnalyzeArtifact, 'alerts' | 'alert_rule_results'> {
  const alerts: string[] = [];
  if (r.alertTop5Share !== null && facts.top5_record_share_pct >= r.alertTop5Share) {
    alerts.push(
      `Top-5 record share is ${formatPercent(facts.top5_record_share_pct, 1)}, at or above the ${formatNumber(r.alertTop5Share, 1)}% threshold.`,
    );
  }
  if (r.alertBlankShare !== null && facts.blank_share_pct >= r.alertBlankShare) {
    alerts.push(
      `Blank-group share is ${formatPercent(facts.blank_share_pct, 1)}, at or above the ${formatNumber(r.alertBlankShare, 1)}% threshold.`,
    );
  }
  const alert_rule_results = r.alertRules.map((rule) => {
    const actual = facts[rule.metric];
    const triggered = holds(actual, rule);
    if (triggered) alerts.push(`Rule \`${rule.rule}\` triggered: ${rule.metric} = ${formatNumber(actual, 2)}.`);
    return { rule: rule.rule, metric: rule.metric, operator: rule.operator, threshold: rule.threshold, actual, triggered };
  });
  return { alerts, alert_rule_results };
}

interface Ranked {
  cell: SegmentCell;
  key: string;
}

const isBlank = (c: SegmentCell) => c.values.every((v) => v === BLANK);

/** Risks: the segments holding most records; opportunities: the best primary metric per record. */
export function topInsights(
  kept: Ranked[],
  records: number,
  totalPrimary: number | null,
  r: ResolvedAnalyze,
): Pick<AnalyzeArtifact, 'top_risks' | 'top_opportunities'> {
  if (r.topInsights === 0) return { top_risks: [], top_opportunities: [] };
  const primary = r.metrics[0];
  const byName = (a: Ranked, b: Ranked) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const top_risks = [...kept]
    .sort(byName)
    .sort((a, b) => b.cell.count - a.cell.count)
    .slice(0, r.topInsights)
    .map(({ cell, key }) => {
      const share = formatPercent((cell.count * 100) / (records || 1), 1);
      const money =
        primary && r.agg === 'sum' && totalPrimary
          ? ` and ${formatPercent(((cell.sums[0] ?? 0) * 100) / totalPrimary, 1)} of ${primary}`
          : '';
      return `\`${key}\` holds ${share} of records${money}: a concentration to watch.`;
    });
  const candidates = kept.filter((k) => !isBlank(k.cell) && k.cell.count >= r.opportunityMinRecords);
  let top_opportunities: string[];
  if (!primary) {
    const tail = [...candidates]
      .sort(byName)
      .sort((a, b) => a.cell.count - b.cell.count)
      .slice(0, r.topInsights);
    top_opportunities = tail.length
      ? [
          `Low-concentration tail (no metric to rank by): ${tail.map((t) => `\`${t.key}\``).join(', ')}. Prioritise the top segments and test whether the tail can grow.`,
        ]
      : [];
  } else {
    top_opportunities = [...candidates]
      .sort(byName)
      .sort((a, b) => (b.cell.sums[0] ?? 0) / b.cell.count - (a.cell.sums[0] ?? 0) / a.cell.count)
      .slice(0, r.topInsights)
      .map(
        ({ cell, key }) =>
          `\`${key}\` averages ${formatNumber((cell.sums[0] ?? 0) / cell.count)} ${primary} per record over ${cell.count} records.`,
      );
  }
  return { top_risks, top_opportunities };
}

const STOP_WORDS = new Set([
  'the',
  'and',
  'for',
  'of',
  'to',
  'in',
  'on',
  'with',
  'a',
  'an',
  'or',
  'by',
  'from',
  'per',
  'will',
  'assumes',
  'assume',
  'data',
]);

export function normalizeText(value: string): string {
  return value
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words of the name/title group values, each record counting once per occurrence; top 12. */
export function wordFrequency(cells: SegmentCell[], r: ResolvedAnalyze): { word: string; count: number }[] {
  if (r.wordColumns.length === 0) return [];
  const idx = r.wordColumns.map((c) => r.groupBy.indexOf(c));
  const counts = new Map<string, number>();
  for (const cell of cells) {
    for (const i of idx) {
      const v = cell.values[i];
      if (!v || v === BLANK) continue;
      for (const word of normalizeText(v).split(' ')) {
        if (word.length < 3 || /^\d+$/.test(word) || STOP_WORDS.has(word)) continue;
        counts.set(word, (counts.get(word) ?? 0) + cell.count);
      }
    }
  }
  return [...counts.entries()]
    .map(([word, count]) => ({ word, count }))
    .sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0))
    .slice(0, 12);
}

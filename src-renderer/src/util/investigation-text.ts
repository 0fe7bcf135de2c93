import type { InvestigationArtifact } from '../../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';

type ScoreUnit = InvestigationArtifact['config']['min_contribution_unit'];

/** "channel = Partner". */
export const conditionText = (c: SegmentCondition): string => `${c.dimension} = ${c.value}`;

/** A step's scope as a reader says it: "whole table", or "in channel = Partner, region = EU". */
export function scopeText(scope: readonly SegmentCondition[]): string {
  return scope.length === 0 ? 'whole table' : `in ${scope.map(conditionText).join(', ')}`;
}

/** A mover's score on its own scale: share points of records (concentration) or percent of the whole change. */
export function scoreText(score: number | null, unit: ScoreUnit): string {
  if (score === null || !Number.isFinite(score)) return '–';
  return unit === 'share_pp' ? `${score.toFixed(1)} pp` : `${score.toFixed(1)}% of change`;
}

/** The same, short, where the unit is said once nearby (the graph's boxes): "26.8%", "3.3 pp". */
export function shortScoreText(score: number | null, unit: ScoreUnit): string {
  if (score === null || !Number.isFinite(score)) return '–';
  return unit === 'share_pp' ? `${score.toFixed(1)} pp` : `${score.toFixed(1)}%`;
}

/** The unit of the score and of min_contribution, in words (for headings and the thresholds). */
export function scoreUnitName(unit: ScoreUnit): string {
  return unit === 'share_pp' ? 'share points of records' : 'percent of the whole change';
}

/** The mode as the form and the report name it. */
export const MODE_LABEL = {
  change_drivers: 'What drove the change',
  concentration_drivers: 'Where it concentrated',
  compare_snapshots: 'Compare the snapshots',
  recommend_next: 'What to inspect next',
} as const satisfies Record<InvestigationArtifact['mode'], string>;

/** The rows a node opens: its scope as the preview's filter (a blank cell is "(blank)" in the cube). */
export function scopeFilter(scope: readonly SegmentCondition[]): { column: string; value: string }[] {
  return scope.map((c) => ({ column: c.dimension, value: c.value === '(blank)' ? '' : c.value }));
}

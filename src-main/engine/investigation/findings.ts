import { periodSpan } from '../../../src-shared/period-name';
import type { InvestigationMode } from '../../../src-shared/analysis-options';
import type { InvestigationArtifact, InvestigationStep, Mover } from '../../../src-shared/artifacts/investigation';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';
import { formatCount, formatNumber, formatSigned } from '../../../src-shared/format';
import { allMovers, type CubeLeaves } from './step';

/** What an investigation's steps add up to: the report's sections beside the steps. */

const where = (scope: readonly SegmentCondition[]): string =>
  scope.length === 0 ? 'the whole table' : scope.map((c) => `${c.dimension} = ${c.value}`).join(', ');

/** The top mover of every dimension over the whole table, by score then name; at most clamp(#dimensions, 3, 10). */
export function majorGlobalChanges(cube: CubeLeaves, mode: InvestigationMode, wholeDelta: number): { dimension: string; mover: Mover }[] {
  const limit = Math.min(10, Math.max(3, cube.dimensions.length));
  return cube.dimensions
    .flatMap((dimension) => {
      const top = allMovers(cube, [], dimension, mode, wholeDelta)[0];
      return top ? [{ dimension, mover: top }] : [];
    })
    .sort((a, b) => b.mover.score - a.mover.score || (a.dimension < b.dimension ? -1 : a.dimension > b.dimension ? 1 : 0))
    .slice(0, limit);
}

export function coverageOf(steps: readonly InvestigationStep[], wholeDelta: number): InvestigationArtifact['coverage'] {
  const first = steps[0];
  const reported = (s: InvestigationStep) => s.movers.reduce((sum, m) => sum + m.delta_metric, 0);
  let strongest: Mover | null = null;
  for (const m of first?.movers ?? []) if (!strongest || Math.abs(m.delta_metric) > Math.abs(strongest.delta_metric)) strongest = m;
  return {
    top_level_reported_pct: first && wholeDelta !== 0 ? (reported(first) / wholeDelta) * 100 : null,
    strongest_segment:
      first && strongest && wholeDelta !== 0
        ? {
            dimension: first.dimension,
            segment: strongest.segment,
            share_of_abs_change_pct: (Math.abs(strongest.delta_metric) / Math.abs(wholeDelta)) * 100,
          }
        : null,
    steps: steps.map((s) => ({ id: s.id, reported_abs: Math.abs(reported(s)), residual_abs: s.residual_abs })),
  };
}

export function branchGraph(steps: readonly InvestigationStep[]): InvestigationArtifact['branch_graph'] {
  return {
    nodes: steps.map((s) => ({
      id: s.id,
      dimension: s.dimension,
      scope: s.scope,
      depth: s.depth,
      top_segment: s.movers[0]?.segment ?? null,
      top_score: s.movers[0]?.score ?? null,
    })),
    edges: steps
      .filter((s) => s.parent !== null && s.scope.length > 0)
      .map((s) => ({ from: s.parent!, to: s.id, via: s.scope[s.scope.length - 1]!, score_improvement: s.score_improvement ?? 0 })),
  };
}

/** The deepest step, and of those the one whose top mover scores highest (then by id). */
function deepestStrongest(steps: readonly InvestigationStep[]): InvestigationStep | null {
  let best: InvestigationStep | null = null;
  for (const s of steps) {
    if (!s.movers[0]) continue;
    if (
      !best ||
      s.depth > best.depth ||
      (s.depth === best.depth &&
        (s.movers[0].score > best.movers[0]!.score || (s.movers[0].score === best.movers[0]!.score && s.id < best.id)))
    )
      best = s;
  }
  return best;
}

const pct = (x: number | null) => (x === null ? '' : `, ${formatNumber(x)}% of the whole change`);

/**
 * The next investigation, ready to start: the question, the rows it looks within (this run's, plus
 * the deepest strongest finding's path) and its dimensions (the one the question names first, then
 * the others the path has not fixed).
 */
export function recommendedNext(a: InvestigationArtifact): InvestigationArtifact['recommended_next'] {
  const question = recommendedQuestion(a);
  const step = deepestStrongest(a.steps);
  const dims = [a.top_dimension, ...a.drill_fields];
  if (!step) return { question, where: a.where, dimensions: dims.filter((d) => d !== a.top_dimension) };
  const path = [...step.scope, { dimension: step.dimension, value: step.movers[0]!.segment }];
  return { question, where: [...a.where, ...path], dimensions: dims.filter((d) => !path.some((c) => c.dimension === d)) };
}

/** The question an analyst would ask next, from the deepest strongest finding and a dimension its path has not used. */
export function recommendedQuestion(a: InvestigationArtifact): string {
  const step = deepestStrongest(a.steps);
  const dims = [a.top_dimension, ...a.drill_fields];
  if (!step) return `Which dimension other than ${a.top_dimension} explains the change of ${a.metric}?`;
  const m = step.movers[0]!;
  const path = [...step.scope, { dimension: step.dimension, value: m.segment }];
  const next = dims.find((d) => !path.some((c) => c.dimension === d));
  if (a.mode === 'concentration_drivers') {
    const scope = [...a.where, ...step.scope];
    const move = `from ${formatNumber(m.base_share_pct)}% to ${formatNumber(m.new_share_pct)}% of the records${scope.length ? ` in ${where(scope)}` : ''}`;
    return next
      ? `Which ${next} moved ${step.dimension} = ${m.segment} ${move}?`
      : `Why did ${step.dimension} = ${m.segment} go ${move}: new customers, lost ones, or a change in how rows are recorded?`;
  }
  const dir = m.delta_metric >= 0 ? 'rise' : 'fall';
  const size = `${formatSigned(m.delta_metric)}${pct(m.delta_pct_of_total)}`;
  // The rows named in full (this run's --where too), so the question reads on its own.
  const rows = where([...a.where, ...path]);
  return next
    ? `Which ${next} drove the ${dir} of ${a.metric} in ${rows} (${size})?`
    : `What else changed in ${rows} (${a.metric} ${size}): more orders, higher prices, or new accounts?`;
}

/** Two to four lines from the steps: the whole change, the top mover, the deepest finding, why it stopped. */
export function finalSummary(a: InvestigationArtifact): string[] {
  const t = a.totals;
  const sides = a.input.windows ? ` ${periodSpan(a.input.windows.previous, a.input.windows.current)}` : '';
  const within = a.where.length > 0 ? `Within ${where(a.where)}, ` : '';
  const lines = [
    `${within}${a.metric} went from ${formatNumber(t.base_metric)} to ${formatNumber(t.new_metric)} (${formatSigned(t.delta_metric)}${t.delta_pct === null ? '' : `, ${formatSigned(t.delta_pct)}%`})${sides}; records ${formatCount(t.base_records)} to ${formatCount(t.new_records)}.`,
  ];
  const first = a.steps[0];
  const describe = (s: InvestigationStep, m: Mover) =>
    a.mode === 'concentration_drivers'
      ? `${s.dimension} = ${m.segment}: ${formatNumber(m.base_share_pct)}% to ${formatNumber(m.new_share_pct)}% of the records (${formatSigned(m.delta_share_pp)} points)`
      : `${s.dimension} = ${m.segment}: ${formatSigned(m.delta_metric)}${pct(m.delta_pct_of_total)}`;
  if (first?.movers[0]) lines.push(`The largest mover by ${first.dimension} is ${describe(first, first.movers[0])}.`);
  const deep = deepestStrongest(a.steps);
  if (deep && deep.depth > 0 && deep.movers[0])
    lines.push(`Within ${where(deep.scope)}, the largest mover is ${describe(deep, deep.movers[0])}.`);
  if (a.stopping_reason) lines.push(`It stopped because ${a.stopping_reason}.`);
  return lines;
}

import type { InvestigationOptions } from '../../../src-shared/analysis-options';
import type { AnalyzeArtifact } from '../../../src-shared/artifacts/analyze';
import { AppError } from '../../../src-shared/errors';
import type { Leaf } from '../segments/cube';
import type { InvestigationCube } from './investigation-cube';

/**
 * Two `analyze` artifacts as the two sides of an investigation: their segments by the first
 * group_by column (segments of several columns summed into it) become the leaves of a
 * one-dimension cube. An artifact holds no other dimension, so nothing can be drilled into.
 */

const notAnalyze = (path: string, why: string) =>
  new AppError(
    'BAD_ARGUMENT',
    `'${path}' is not an analyze artifact (${why})`,
    'Give two JSON files written by `factorlens analyze` (or two CSV files).',
    ['base', 'new'],
  );

function checked(path: string, raw: unknown): AnalyzeArtifact {
  const a = raw as Partial<AnalyzeArtifact> | null;
  if (typeof a !== 'object' || a === null) throw notAnalyze(path, 'no JSON object');
  if (a.kind !== 'analyze' || typeof a.schema !== 'string' || !a.schema.startsWith('factorlens.analyze/'))
    throw notAnalyze(path, a.kind ? `its kind is ${String(a.kind)}` : 'no kind');
  if (!Array.isArray(a.group_by) || a.group_by.length === 0 || !Array.isArray(a.groups)) throw notAnalyze(path, 'no group_by and groups');
  return a as AnalyzeArtifact;
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** The metric's column as the artifact names it (names match ignoring case). */
function metricOf(path: string, a: AnalyzeArtifact, metric: string): string {
  const name = a.base_metrics.find((m) => same(m, metric));
  if (!name)
    throw new AppError(
      'UNKNOWN_COLUMN',
      `'${path}' has no metric '${metric}' (its metrics: ${a.base_metrics.length ? a.base_metrics.join(', ') : 'none, records only'})`,
      'Name one of the metrics the artifacts were computed with, or run analyze again with --metrics including it.',
      ['metric'],
    );
  if (a.metric_aggregation !== 'sum')
    throw new AppError(
      'BAD_ARGUMENT',
      `'${path}' holds the ${a.metric_aggregation} of ${name} per segment; an investigation adds segments up, which only a sum allows`,
      'Run analyze with --agg sum for both snapshots (or give the two CSV files).',
      ['metric'],
    );
  return name;
}

export function cubeFromAnalyzeArtifacts(
  base: { path: string; json: unknown },
  next: { path: string; json: unknown },
  o: Pick<InvestigationOptions, 'metric' | 'dimensions'>,
): InvestigationCube {
  const a = checked(base.path, base.json);
  const b = checked(next.path, next.json);
  const dimension = a.group_by[0]!;
  if (!same(b.group_by[0]!, dimension))
    throw new AppError(
      'BAD_ARGUMENT',
      `the artifacts are grouped by different columns: '${dimension}' in ${base.path}, '${b.group_by[0]}' in ${next.path}`,
      'Run analyze on both snapshots with the same --group-by.',
      ['base', 'new'],
    );
  const asked = o.dimensions[0];
  if (asked !== undefined && !same(asked, dimension))
    throw new AppError(
      'BAD_ARGUMENT',
      `the artifacts are grouped by '${dimension}', not by '${asked}' (the first of --dimensions)`,
      `Give --dimensions ${dimension} (or leave it out), or run analyze again grouped by ${asked}.`,
      ['dimensions'],
    );
  const metrics = [metricOf(base.path, a, o.metric), metricOf(next.path, b, o.metric)];
  const warnings: string[] = [];
  const leaves = new Map<string, Leaf>();
  [a, b].forEach((art, side) => {
    const path = side === 0 ? base.path : next.path;
    if (art.segments_total > art.segments)
      warnings.push(
        `${path} lists ${art.segments} of its ${art.segments_total} segments (the others fell below its --min-records), so its totals leave them out`,
      );
    if (art.filters.length > 0) warnings.push(`${path} was filtered (${art.filters.join('; ')}): it covers those rows only`);
    for (const g of art.groups) {
      const value = Array.isArray(g.values) && typeof g.values[0] === 'string' ? g.values[0] : String(g.group).split(' | ')[0]!;
      const metric = Number(g[metrics[side]!]);
      const leaf = leaves.get(value) ?? { values: [value], num0: 0, den0: 0, num1: 0, den1: 0 };
      if (side === 0) {
        leaf.num0 += Number.isFinite(metric) ? metric : 0;
        leaf.den0 += Number(g.count) || 0;
      } else {
        leaf.num1 += Number.isFinite(metric) ? metric : 0;
        leaf.den1 += Number(g.count) || 0;
      }
      leaves.set(value, leaf);
    }
  });
  return {
    input: { kind: 'artifacts_json', base: base.path, new: next.path, date_column: null, windows: null },
    metric: metrics[0]!,
    dimensions: [dimension],
    dimensionsInferred: asked === undefined,
    drillable: false,
    where: [],
    leaves: [...leaves.values()],
    warnings,
  };
}

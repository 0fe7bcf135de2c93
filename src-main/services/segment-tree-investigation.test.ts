import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvestigationOptionsSchema, type InvestigationOptions } from '../../src-shared/analysis-options';
import type { InvestigationArtifact } from '../../src-shared/artifacts/investigation';
import type { SegmentPart } from '../../src-shared/artifacts/segments';
import { investigation } from '../analyses/investigation';
import type { RunContext } from '../analyses/definition';
import { buildPackedInvestigationCube } from '../engine/investigation/build-cube';
import { splitSegment } from './segment-tree';

/**
 * The decomposition tree of a guided investigation: the cube the run keeps, split as a segments
 * run's is. Revenue of the demo sales, January against February 2026; every number summed with awk
 * over data/factorlens_demo_sales.csv:
 *   whole        10,662,821.63 -> 3,718,344.88  (-6,944,476.75)
 *   region=APAC   3,633,332.55 ->   307,764.59  (-3,325,567.96)
 *     plan_tier=1 2,098,375.46 (14 rows) -> 240,431.88 (3 rows)  (-1,857,943.58)
 *     plan_tier=0 1,534,957.09 (8 rows)  ->  67,332.71 (1 row)   (-1,467,624.38)
 */
const table = path.resolve(__dirname, '../../data/factorlens_demo_sales.csv');
const windows = { previous: { start: '2026-01-01', end: '2026-01-31' }, current: { start: '2026-02-01', end: '2026-02-28' } };
const optionsOf = (over: Partial<InvestigationOptions> = {}) =>
  InvestigationOptionsSchema.parse({
    question: 'Why did revenue change?',
    metric: 'revenue_usd',
    dateColumn: 'order_date',
    windows,
    dimensions: ['region', 'channel', 'product_line', 'plan_tier'],
    ...over,
  });
const context = (forFiles: boolean): RunContext => ({ labels: {}, names: {}, forFiles });

/** The run as the workbench keeps it: the artifact, and the cube beside it. */
async function investigate(o: InvestigationOptions, forFiles = false) {
  const packed = await buildPackedInvestigationCube({ base: table, new: null, source: null, options: o });
  const stages: [number, string][] = [];
  const finished: unknown = await investigation.finish!(packed, o, context(forFiles), (f, s) => stages.push([f, s]));
  const result = finished as InvestigationArtifact & { cube?: unknown };
  const { cube, ...artifact } = result;
  return { artifact: artifact as InvestigationArtifact, cube, stages };
}
const dimensionsOf = (a: InvestigationArtifact) => [a.top_dimension, ...a.drill_fields];
const sides = (p: SegmentPart) => [p.base ?? Number.NaN, p.current ?? Number.NaN, p.contribution, p.base_weight, p.current_weight];

describe('segments.split on an investigation’s cube', () => {
  it('splits region = APAC by plan_tier into the hand-summed parts, shares of the whole change', async () => {
    const { artifact, cube } = await investigate(optionsOf());
    expect(cube).toBeDefined();
    // The cube's order is the artifact's: the top dimension, then the drill fields.
    expect(dimensionsOf(artifact)).toEqual(['region', 'channel', 'product_line', 'plan_tier']);
    const root = splitSegment(dimensionsOf(artifact), cube, [], undefined);
    expect(root.node.base).toBeCloseTo(10662821.63, 6);
    expect(root.node.current).toBeCloseTo(3718344.88, 6);
    expect(root.node.contribution).toBeCloseTo(artifact.totals.delta_metric, 6);

    const apac = splitSegment(dimensionsOf(artifact), cube, [{ dimension: 'region', value: 'APAC' }], 'plan_tier');
    expect(apac.node.contribution).toBeCloseTo(-3325567.96, 6);
    expect(apac.dimension).toBe('plan_tier');
    expect(apac.children.map((c) => (c.segment ?? []).map((s) => `${s.dimension}=${s.value}`).join(' & '))).toEqual([
      'region=APAC & plan_tier=1',
      'region=APAC & plan_tier=0',
    ]);
    const [one, zero] = apac.children;
    expect(sides(one!).map((v) => Number(v.toFixed(2)))).toEqual([2098375.46, 240431.88, -1857943.58, 14, 3]);
    expect(sides(zero!).map((v) => Number(v.toFixed(2)))).toEqual([1534957.09, 67332.71, -1467624.38, 8, 1]);
    expect(one!.share).toBeCloseTo(-1857943.58 / -6944476.75, 9);
    expect(one!.contribution + zero!.contribution).toBeCloseTo(apac.node.contribution, 6);
  });

  it('keeps no cube in files, and refuses one that is not the run’s', async () => {
    const { cube } = await investigate(optionsOf(), true);
    expect(cube).toBeUndefined();
    const kept = (await investigate(optionsOf())).cube;
    expect(() => splitSegment(['channel', 'region', 'product_line', 'plan_tier'], kept, [], undefined)).toThrow(
      'the data kept with this run does not match its dimensions',
    );
  });

  it('a run --where region=APAC keeps only those rows: its root is APAC’s change, split by the dimensions left', async () => {
    const { artifact, cube, stages } = await investigate(
      optionsOf({ where: [{ column: 'region', value: 'APAC' }], dimensions: ['plan_tier', 'channel'] }),
    );
    expect(stages[0]![1]).toBe('Step 1: plan_tier within region = APAC');
    expect(artifact.where).toEqual([{ dimension: 'region', value: 'APAC' }]);
    expect(dimensionsOf(artifact)).toEqual(['plan_tier', 'channel']);
    const root = splitSegment(dimensionsOf(artifact), cube, [], 'plan_tier');
    expect(root.node.base).toBeCloseTo(3633332.55, 6);
    expect(root.node.contribution).toBeCloseTo(-3325567.96, 6);
    expect(root.children.map((c) => Number(c.contribution.toFixed(2)))).toEqual([-1857943.58, -1467624.38]);
    // region is not a dimension of this cube: the rows were chosen by it.
    expect(() => splitSegment(dimensionsOf(artifact), cube, [{ dimension: 'region', value: 'APAC' }], undefined)).toThrow(
      "'region' is not a dimension of this run (in the node); its dimensions are plan_tier, channel",
    );
  });

  it('reports each step in words, the fraction rising', async () => {
    const { artifact, stages } = await investigate(optionsOf());
    // region, then each of the three regions that moved most by plan_tier (max_depth 2, max_branches 3).
    expect(stages.map(([, s]) => s)).toEqual([
      'Step 1: region across the whole table',
      'Step 2: plan_tier within region = APAC',
      'Step 3: plan_tier within region = EU',
      'Step 4: plan_tier within region = LATAM',
    ]);
    expect(artifact.steps).toHaveLength(4);
    // At most 1 + 3 steps: each is a quarter of the way from 10% (the rows summed) to 95%.
    expect(stages.map(([f]) => Number(f.toFixed(4)))).toEqual([0.3125, 0.525, 0.7375, 0.95]);
  });
});

// `npm run bench` (part): how well `analyze-segments` finds planted changes, and how fast (issue 14,
// §4). Cubes come from the seeded generator (tests/fixtures/segment-generator.ts): its default
// suite and its hardest setting (two planted segments of three dimensions). The root-cause set is
// scored by exact set match against the planted segments, as RiskLoc's harness does (a found
// segment counts only if it equals a planted one; TP, FP and FN summed over the cases, then
// precision, recall and F1), beside a naive baseline measured in the same run: the single
// one-dimension segment with the largest contribution. The bridge is scored by its closure error.
// Figures only; nothing here is a test. Run with tsx.
//   BENCH_SEGMENT_CASES=100,40   cases of the default suite and of the hardest setting
import { segmentBridge } from '../src-main/engine/segments/bridge';
import { contributionOf } from '../src-main/engine/segments/contribution';
import {
  addSums,
  allSegments,
  contains,
  segmentKey,
  ZERO,
  type Leaf,
  type MetricKind,
  type Segment,
  type Sums,
} from '../src-main/engine/segments/cube';
import { findRootCauses } from '../src-main/engine/segments/root-cause';
import { defaultSuite, hardestSuite, type PlantedCase } from '../tests/fixtures/segment-generator';

const [DEFAULT_CASES, HARDEST_CASES] = (process.env.BENCH_SEGMENT_CASES ?? '100,40').split(',').map(Number) as [number, number];
const MAX_DEPTH = 3;
const TOP = 8;

/** The naive answer: the one-dimension segment whose contribution to the change is largest. */
function bestOneDimension(kind: MetricKind, leaves: readonly Leaf[], dimensions: number): Segment[] {
  const whole = leaves.reduce<Sums>((a, l) => addSums(a, l), ZERO);
  let best: { segment: Segment; size: number } | null = null;
  for (const { segment, sums } of allSegments(leaves, dimensions, 1)) {
    const size = Math.abs(contributionOf(kind, sums, whole).contribution);
    if (!best || size > best.size) best = { segment, size };
  }
  return best ? [best.segment] : [];
}

interface Score {
  tp: number;
  fp: number;
  fn: number;
}

const zero = (): Score => ({ tp: 0, fp: 0, fn: 0 });
const precision = (s: Score) => (s.tp + s.fp === 0 ? 0 : s.tp / (s.tp + s.fp));
const recall = (s: Score) => (s.tp + s.fn === 0 ? 0 : s.tp / (s.tp + s.fn));
const f1 = (s: Score) => (2 * s.tp + s.fp + s.fn === 0 ? 0 : (2 * s.tp) / (2 * s.tp + s.fp + s.fn));

/** The kinds of wrong answers, to show where they come from. */
type Miss = 'new or gone' | 'parent or child of a planted one' | 'other';

/** A method's answers over a suite: TP/FP/FN overall, by depth and by metric, its wrong answers by kind, and its milliseconds per case. */
class Tally {
  all = zero();
  byDepth = new Map<number, Score>();
  byMetric = new Map<string, Score>();
  wrong = new Map<Miss, number>();
  ms: number[] = [];

  add(c: PlantedCase, found: readonly Segment[], ms: number) {
    this.ms.push(ms);
    const truth = new Set(c.planted.map(segmentKey));
    const answer = new Set(found.map(segmentKey));
    const at = <K>(m: Map<K, Score>, k: K) => m.get(k) ?? m.set(k, zero()).get(k)!;
    const metric = at(this.byMetric, c.flavor);
    for (const s of c.planted) {
      const hit = answer.has(segmentKey(s)) ? 'tp' : 'fn';
      this.all[hit]++;
      metric[hit]++;
      at(this.byDepth, s.dims.length)[hit]++;
    }
    for (const s of found)
      if (!truth.has(segmentKey(s))) {
        this.all.fp++;
        metric.fp++;
        at(this.byDepth, s.dims.length).fp++;
        const miss = missKind(c, s);
        this.wrong.set(miss, (this.wrong.get(miss) ?? 0) + 1);
      }
  }
}

function missKind(c: PlantedCase, s: Segment): Miss {
  const inside = c.leaves.filter((l) => contains(s, l));
  if (inside.every((l) => l.den0 === 0 || l.den1 === 0)) return 'new or gone';
  const pairs = (x: Segment) => x.dims.map((d, i) => `${d}=${x.values[i]}`);
  const within = (a: Segment, b: Segment) => pairs(a).every((p) => pairs(b).includes(p));
  if (c.planted.some((p) => within(p, s) || within(s, p))) return 'parent or child of a planted one';
  return 'other';
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = run();
  return { value, ms: performance.now() - t0 };
}

const mean = (xs: readonly number[]) => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
const pad = (text: string, width: number) => text.padStart(width);
const num = (x: number) => x.toFixed(2);

function runSuite(title: string, cases: readonly PlantedCase[], target: number): boolean {
  const rootCause = new Tally();
  const baseline = new Tally();
  let worstClosure = 0;
  const bridgeMs: number[] = [];
  for (const c of cases) {
    const base = timed(() => bestOneDimension(c.kind, c.leaves, c.dimensions));
    baseline.add(c, base.value, base.ms);
    const found = timed(() => findRootCauses(c.kind, c.leaves, c.dimensions, { maxDepth: MAX_DEPTH }));
    rootCause.add(
      c,
      found.value.map((r) => r.segment),
      found.ms,
    );
    const bridge = timed(() => segmentBridge(c.kind, c.leaves, c.dimensions, { top: TOP, maxDepth: MAX_DEPTH }));
    worstClosure = Math.max(worstClosure, bridge.value.closureError);
    bridgeMs.push(bridge.ms);
  }

  const leaves = cases.map((c) => c.leaves.length);
  const planted = cases.reduce((a, c) => a + c.planted.length, 0);
  process.stdout.write(
    `\n${title}: ${cases.length} cases, ${planted} planted segments, ${Math.min(...leaves).toLocaleString('en-US')} to ${Math.max(...leaves).toLocaleString('en-US')} leaves (mean ${Math.round(mean(leaves)).toLocaleString('en-US')}); exact set match\n`,
  );
  process.stdout.write(
    `${'what'.padEnd(44)}${pad('precision', 11)}${pad('recall', 9)}${pad('F1', 8)}${pad('F1 vs ref', 11)}${pad('ms/case', 10)}${pad('max ms', 9)}\n`,
  );
  const row = (label: string, t: Tally) =>
    process.stdout.write(
      `${label.padEnd(44)}${pad(num(precision(t.all)), 11)}${pad(num(recall(t.all)), 9)}${pad(num(f1(t.all)), 8)}${pad(
        f1(baseline.all) > 0 ? `${(f1(t.all) / f1(baseline.all)).toFixed(2)}x` : '-',
        11,
      )}${pad(mean(t.ms).toFixed(1), 10)}${pad(Math.max(...t.ms).toFixed(0), 9)}\n`,
    );
  row('baseline: best 1-dim segment (reference)', baseline);
  row('root cause (findRootCauses, depth 3)', rootCause);
  const met = f1(rootCause.all) >= target;
  process.stdout.write(`target (F1 >= ${target}): ${met ? 'met' : 'NOT met'}\n`);

  // Every depth searched: a wrong answer of depth 1 counts against depth 1 even where none is planted.
  const depths = Array.from({ length: MAX_DEPTH }, (_, i) => i + 1);
  process.stdout.write(`by depth of segment${depths.map((d) => pad(`depth ${d}: recall   F1`, 24)).join('')}\n`);
  process.stdout.write(
    `  planted${depths.map((d) => pad(`${cases.reduce((a, c) => a + c.planted.filter((p) => p.dims.length === d).length, 0)} segments`, 24)).join('')}\n`,
  );
  for (const [label, t] of [
    ['  baseline', baseline],
    ['  root cause', rootCause],
  ] as const) {
    const cells = depths.map((d) => {
      const s = t.byDepth.get(d) ?? zero();
      return pad(`${s.tp + s.fn ? num(recall(s)) : '-'} ${pad(num(f1(s)), 6)}`, 24);
    });
    process.stdout.write(`${label.padEnd(19)}${cells.join('')}\n`);
  }

  const metrics = ['sum', 'rate', 'mean'].filter((m) => rootCause.byMetric.has(m));
  const byMetric = (t: Tally) => metrics.map((m) => `${m} ${num(f1(t.byMetric.get(m)!))}`).join(', ');
  process.stdout.write(
    `F1 by metric (sum; rate = failures / requests; mean = revenue / orders): root cause ${byMetric(rootCause)}; baseline ${byMetric(baseline)}\n`,
  );
  process.stdout.write(
    `root cause, wrong answers: ${rootCause.all.fp}${rootCause.all.fp ? ` (${[...rootCause.wrong].map(([k, n]) => `${n} ${k}`).join(', ')})` : ''}\n`,
  );

  const closed = worstClosure < 1e-9;
  process.stdout.write(
    `bridge (top ${TOP}, depth ${MAX_DEPTH}): closure error max ${worstClosure.toExponential(1)} (target < 1e-9: ${closed ? 'met' : 'NOT met'}), ${mean(bridgeMs).toFixed(1)} ms/case, max ${Math.max(...bridgeMs).toFixed(0)} ms\n`,
  );
  return met && closed;
}

const t0 = performance.now();
const suites = timed(() => ({ standard: defaultSuite(DEFAULT_CASES), hardest: hardestSuite(HARDEST_CASES) }));
process.stdout.write(
  `\nanalyze-segments, planted changes (seeded generator: sum and ratio metrics, 3-7 dimensions of 2-250 values, noise, one-sided leaves, rises and falls; generated in ${(suites.ms / 1000).toFixed(1)} s)\n`,
);
const allMet = [
  runSuite('default suite (1-3 planted segments of 1-3 dimensions)', suites.value.standard, 0.9),
  runSuite('hardest setting (2 planted segments of 3 dimensions)', suites.value.hardest, 0.8),
].every(Boolean);
process.stdout.write(`\nall segment targets: ${allMet ? 'met' : 'NOT met'} (${((performance.now() - t0) / 1000).toFixed(1)} s in all)\n`);

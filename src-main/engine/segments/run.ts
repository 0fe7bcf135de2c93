import type { SegmentsOptions } from '../../../src-shared/analysis-options';
import type { Source } from '../../../src-shared/analyze-options';
import { SEGMENTS_SCHEMA, type SegmentPart, type SegmentsArtifact } from '../../../src-shared/artifacts/segments';
import { AppError } from '../../../src-shared/errors';
import { windowProblem } from '../../../src-shared/periods';
import { withScan } from '../../sources/scan';
import { stageProgress, type RunProgressReport } from '../../sources/scan-progress';
import { forwardOnly } from '../forward-progress';
import { newSnapshot, requireFileSnapshots } from '../snapshots';
import { isIdentifierLike, autoGroupColumns } from '../analyze/auto-detect';
import { sampleDayMonthOrder, unreadableDatesWarning, unreadableExamples } from '../analyze/date-reading';
import { resolveColumn } from '../analyze/resolve';
import { periodFrames } from '../drivers/frames';
import { segmentBridge } from './bridge';
import { findRootCauses } from './root-cause';
import { wholeValue, type Contribution } from './contribution';
import { addSums, ZERO, type Leaf, type MetricKind, type Segment, type Sums } from './cube';
import { refuseTooFine, MAX_CUBE_GROUPS } from './cube-size';
import { metricSql, scanCube, type ScannedCube } from './scan-cube';
import { rankedSplits } from './tree';
import { packCube, type PackedCube } from './packed-cube';

export interface SegmentsRequest {
  input: string;
  source: Source | null;
  /** Two-file mode: the current snapshot. */
  inputNew: string | null;
  options: SegmentsOptions;
  /** The workbench keeps the cube's leaves with the run (for its decomposition tree); the CLI does not. */
  keepCube?: boolean;
}

/** The artifact, with the packed cube when the request asked to keep it (the host stores it apart). */
export type SegmentsResult = SegmentsArtifact & { cube?: PackedCube };

/** Dimensions a table offers on its own: at most this many. */
const AUTO_DIMENSIONS = 7;
/** A numeric column with at most this many values in the sample is a code (a tier, a year, a flag), not a quantity. */
const CODE_MAX_DISTINCT = 20;

/** The part of a segments run its one pass over the rows takes (the cube), as in analyze. */
const SCAN_FROM = 0.1;
const SCAN_TO = 0.9;

/**
 * analyze-segments: where a metric changed. One SQL pass builds the cube of the dimensions'
 * combinations on both sides; the bridge, the splits (and the root causes) are computed from it.
 * `onProgress` hears the run's stages, and the pass's progress spread over its part of the run.
 */
export async function runSegments(req: SegmentsRequest, onProgress: RunProgressReport = () => {}): Promise<SegmentsResult> {
  const o = req.options;
  const source: Source = req.source ?? { kind: 'file', path: req.input };
  requireFileSnapshots(source, req.inputNew !== null);
  // A cube built again in another day/month order keeps the bar where the first pass left it.
  const report = forwardOnly(onProgress);
  report(0, source.kind === 'file' ? 'Reading header' : 'Connecting');
  return withScan(source, async (scan) => {
    const other = await newSnapshot(scan, req);
    report(0.05, 'Profiling columns');
    const profile = await scan.profile();
    const names = profile.columns.map((c) => c.name);
    const ratio = o.numerator !== null || o.denominator !== null;
    if (ratio && (o.numerator === null || o.denominator === null)) {
      throw new AppError(
        'BAD_ARGUMENT',
        'a ratio metric needs both its numerator and its denominator',
        'Name both columns (e.g. orders over sessions), or neither for a sum or a mean.',
        ['numerator', 'denominator'],
      );
    }
    const numerator = o.numerator ? resolveColumn(o.numerator, names, 'numerator', 'numerator') : null;
    const denominator = o.denominator ? resolveColumn(o.denominator, names, 'denominator', 'denominator') : null;
    // A ratio's metric is its name only; a sum or a mean reads the metric column.
    const metric = ratio ? o.metric : resolveColumn(o.metric, names, 'metric', 'metric');
    const expected = o.expected ? resolveColumn(o.expected, names, 'expected', 'expected') : null;
    const dateColumn = o.dateColumn ? resolveColumn(o.dateColumn, names, 'date', 'dateColumn') : null;
    const modes = [req.inputNew !== null, expected !== null, dateColumn !== null].filter(Boolean).length;
    if (modes !== 1) {
      throw new AppError(
        'BAD_ARGUMENT',
        modes === 0
          ? 'a change needs two sides: two periods of a date column, two files, or an expected column beside the actual one'
          : 'give one comparison: two periods, two files, or an expected column',
        'Name the date column and the periods, or give the new snapshot, or the column of expected values.',
        ['dateColumn', 'inputNew', 'expected'],
      );
    }
    const used = new Set([metric, numerator, denominator, expected, dateColumn].filter((c): c is string => c !== null));
    const warnings: string[] = [...scan.notices];
    const dimensionsAuto = o.dimensions.length === 0;
    let dimensions: string[];
    if (dimensionsAuto) {
      const candidates = profile.columns.filter((c) => !used.has(c.name));
      const texts = autoGroupColumns(candidates, profile.sampleRows, AUTO_DIMENSIONS);
      const codes = candidates
        .filter(
          (c) =>
            c.type === 'number' &&
            c.distinct >= 2 &&
            c.distinct <= CODE_MAX_DISTINCT &&
            !isIdentifierLike(c.name) &&
            !texts.includes(c.name),
        )
        .map((c) => c.name);
      dimensions = [...texts, ...codes].slice(0, AUTO_DIMENSIONS);
      if (dimensions.length === 0) {
        const others = candidates.map((c) => `'${c.name}'`);
        throw new AppError(
          'NO_GROUP_COLUMNS',
          others.length === 0
            ? 'the table has no column to split the change by: it holds only the metric and the columns of the comparison'
            : `no column looks like a dimension (text or a code with few values): ${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''} read as ids, dates or quantities`,
          others.length === 0
            ? 'A segment search needs a column such as region or channel: add one to the table (or the query).'
            : 'Name the dimensions to search with --dimensions.',
          ['dimensions'],
        );
      }
    } else {
      dimensions = [...new Set(o.dimensions.map((c) => resolveColumn(c, names, 'dimension', 'dimensions')))];
      for (const c of dimensions)
        if (used.has(c))
          throw new AppError(
            'BAD_ARGUMENT',
            `'${c}' is the metric or the comparison's column; it cannot be a dimension too`,
            'Leave it out of the dimensions.',
            ['dimensions'],
          );
    }

    report(SCAN_FROM, 'Scanning rows');
    const progress = stageProgress(report, SCAN_FROM, SCAN_TO, 'Scanning rows');
    let comparison: SegmentsArtifact['comparison'];
    let labels: [string, string];
    const m = metricSql(scan, o, { metric, numerator, denominator });
    let scanned: ScannedCube;
    let cubeSides: string;
    if (dateColumn) {
      const windows = o.windows;
      if (!windows)
        throw new AppError('BAD_ARGUMENT', 'a period comparison needs its two windows', 'Give the periods to compare.', ['windows']);
      const problem = windowProblem(windows);
      if (problem)
        throw new AppError(
          'BAD_ARGUMENT',
          `period windows: ${problem}`,
          'Give each window as start <= end, the previous window before the current one.',
          ['windows'],
        );
      // The date column's day/month order from the first rows, checked against every row by the
      // cube's own pass (which also counts the unreadable cells); when the whole column proves
      // another order, the cube is built again in that order.
      let order = await sampleDayMonthOrder(scan, dateColumn);
      for (let attempt = 0; ; attempt++) {
        const sides = scan.dialect.sub(periodFrames(scan, dateColumn, windows, order).allRows, 'fl_sides');
        scanned = await scanCube(scan, sides, dimensions, m, null, { checkDates: true, maxGroups: MAX_CUBE_GROUPS, progress });
        cubeSides = sides;
        if (attempt > 0 || scanned.dates!.order === order) break;
        order = scanned.dates!.order;
      }
      const unreadable = scanned.dates!.unreadable;
      const examples = unreadable > 0 ? await unreadableExamples(scan, dateColumn, order) : [];
      const warning = unreadableDatesWarning({ column: dateColumn, order, unreadable, examples });
      if (warning) warnings.push(warning);
      comparison = { mode: 'period', date_column: dateColumn, windows };
      labels = [`${windows.previous.start}..${windows.previous.end}`, `${windows.current.start}..${windows.current.end}`];
    } else if (other) {
      const sides = scan.dialect.sub(
        `SELECT *, 'base' AS fl_side FROM ${scan.relation} UNION ALL SELECT *, 'new' AS fl_side FROM ${other.relation}`,
        'fl_sides',
      );
      scanned = await scanCube(scan, sides, dimensions, m, null, { maxGroups: MAX_CUBE_GROUPS, progress });
      cubeSides = sides;
      comparison = { mode: 'files' };
      labels = [req.input, req.inputNew!];
    } else {
      scanned = await scanCube(
        scan,
        scan.relation,
        dimensions,
        m,
        { base: scan.dialect.number(expected!) },
        { maxGroups: MAX_CUBE_GROUPS, progress },
      );
      cubeSides = scan.relation;
      comparison = { mode: 'expected', expected_column: expected! };
      labels = [expected!, metric];
    }
    await refuseTooFine(scan, cubeSides, dimensions, scanned, dimensionsAuto);
    const { leaves, rows } = scanned;
    const sideNames =
      comparison.mode === 'period'
        ? ['base period', 'current period']
        : comparison.mode === 'files'
          ? ['base file', 'new file']
          : ['expected', 'actual'];
    if (rows.base === 0 || rows.current === 0) {
      const which = rows.base === 0 ? 0 : 1;
      throw new AppError(
        'NO_DATA_ROWS',
        `the ${sideNames[which]} (${labels[which]}) has no rows`,
        comparison.mode === 'period'
          ? 'Pick periods that both hold rows of the date column (or check its dates).'
          : 'Both files need data rows below their header.',
        comparison.mode === 'period' ? ['windows'] : ['inputNew'],
      );
    }
    report(SCAN_TO, 'Ranking segments');
    const kind: MetricKind = ratio || o.aggregate === 'mean' ? 'ratio' : 'sum';
    if (kind === 'ratio') requireWeights(leaves, { metric: o.metric, denominator, sides: sideNames, labels });
    const artifact = artifactOf(req, o, {
      kind,
      leaves,
      rows,
      dimensions,
      dimensionsAuto,
      comparison,
      labels,
      warnings,
      numerator,
      denominator,
    });
    const result = req.keepCube ? { ...artifact, cube: packCube(kind, dimensions, leaves) } : artifact;
    report(1, 'Done');
    return result;
  });
}

/**
 * A ratio (or a mean) has no value on a side whose denominator sums to 0 (or whose metric has no
 * number): refused, as its change would compare a value with nothing.
 */
function requireWeights(
  leaves: readonly Leaf[],
  c: { metric: string; denominator: string | null; sides: string[]; labels: [string, string] },
): void {
  const whole = leaves.reduce<Sums>((a, l) => addSums(a, l), ZERO);
  const side = whole.den0 === 0 ? 0 : whole.den1 === 0 ? 1 : null;
  if (side === null) return;
  const where = `the ${c.sides[side]} (${c.labels[side]})`;
  if (c.denominator)
    throw new AppError(
      'BAD_ARGUMENT',
      `${c.metric} has no value in ${where}: its denominator '${c.denominator}' sums to 0 there`,
      'A ratio needs its denominator above 0 on both sides: check the periods (or the files), or pick another denominator.',
      ['denominator'],
    );
  throw new AppError(
    'NON_NUMERIC_METRIC',
    `'${c.metric}' has no number in ${where}, so it has no mean there`,
    'Check that the metric column holds numbers on both sides (or compare its sum: --aggregate sum).',
    ['metric'],
  );
}

function artifactOf(
  req: SegmentsRequest,
  o: SegmentsOptions,
  c: {
    kind: MetricKind;
    leaves: Leaf[];
    rows: { base: number; current: number };
    dimensions: string[];
    dimensionsAuto: boolean;
    comparison: SegmentsArtifact['comparison'];
    labels: [string, string];
    warnings: string[];
    numerator: string | null;
    denominator: string | null;
  },
): SegmentsArtifact {
  const whole = c.leaves.reduce<Sums>((a, l) => addSums(a, l), ZERO);
  const bridge = segmentBridge(c.kind, c.leaves, c.dimensions.length, { top: o.top, maxDepth: Math.min(o.maxDepth, c.dimensions.length) });
  const change = bridge.change;
  const base = wholeValue(c.kind, whole, 0);
  const current = wholeValue(c.kind, whole, 1);
  const part = (segment: Segment | null, sums: Sums, x: Contribution): SegmentPart => ({
    segment: segment ? segment.dims.map((d, i) => ({ dimension: c.dimensions[d]!, value: segment.values[i]! })) : null,
    base: x.base,
    current: x.current,
    contribution: x.contribution,
    rate: x.rate,
    mix: x.mix,
    share: change === 0 ? null : x.contribution / change,
    status: x.status,
    base_weight: sums.den0,
    current_weight: sums.den1,
  });
  const root: Segment = { dims: [], values: [] };
  const splits = rankedSplits(c.kind, c.leaves, root, c.dimensions.length).map(({ dimension, children }) => ({
    dimension: c.dimensions[dimension]!,
    parts: children.map((child) => part({ dims: [dimension], values: [child.value] }, child.sums, child)),
  }));
  const causes = findRootCauses(c.kind, c.leaves, c.dimensions.length, { maxDepth: Math.min(o.maxDepth, c.dimensions.length) }).map(
    (rc) => ({
      segment: rc.segment.dims.map((d, i) => ({ dimension: c.dimensions[d]!, value: rc.segment.values[i]! })),
      contribution: rc.contribution,
      share: rc.share,
      explanatory_power: rc.explanatoryPower,
      surprise: rc.surprise,
      confidence: rc.confidence,
    }),
  );
  return {
    schema: SEGMENTS_SCHEMA,
    kind: 'segments',
    input: req.input,
    input_new: req.inputNew,
    metric: o.metric,
    metric_kind: c.numerator ? 'ratio' : o.aggregate === 'mean' ? 'mean' : 'sum',
    numerator: c.numerator,
    denominator: c.denominator,
    comparison: c.comparison,
    base_label: c.labels[0],
    current_label: c.labels[1],
    dimensions: c.dimensions,
    dimensions_auto: c.dimensionsAuto,
    max_depth: Math.min(o.maxDepth, c.dimensions.length),
    base_value: base,
    current_value: current,
    change,
    change_pct: base === null || base === 0 ? null : (change / Math.abs(base)) * 100,
    rows: c.rows,
    leaves: c.leaves.length,
    bridge: bridge.parts.map((p) => part(p.segment, p.sums, p)),
    closure_error: bridge.closureError,
    root_causes: causes,
    splits,
    warnings: c.warnings,
  };
}

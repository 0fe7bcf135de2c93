import { readFile } from 'node:fs/promises';
import type { InvestigationOptions } from '../../../src-shared/analysis-options';
import type { Source } from '../../../src-shared/analyze-options';
import { AppError } from '../../../src-shared/errors';
import { windowProblem } from '../../../src-shared/periods';
import { withScan, type Scan } from '../../sources/scan';
import { stageProgress, type RunProgressReport } from '../../sources/scan-progress';
import { forwardOnly } from '../forward-progress';
import { likelyDateColumn, sampleDayMonthOrder, unreadableDatesWarning, unreadableExamples } from '../analyze/date-reading';
import { resolveColumn } from '../analyze/resolve';
import { periodFrames } from '../drivers/frames';
import { newSnapshot, requireFileSnapshots } from '../snapshots';
import { refuseTooFine, MAX_CUBE_GROUPS } from '../segments/cube-size';
import { metricSql, scanCube, type ScannedCube } from '../segments/scan-cube';
import { cubeFromAnalyzeArtifacts } from './artifact-input';
import { inferDimensions, SAMPLE_ROWS_PER_SIDE } from './infer-dimensions';
import { packInvestigationCube, type InvestigationCube, type PackedInvestigationCube } from './investigation-cube';
import type { Leaf } from '../segments/cube';
import type { SegmentCondition } from '../../../src-shared/artifacts/segments';

/**
 * Where an investigation's rows come from: two CSV snapshots (`base`, `new`), two analyze
 * artifacts (`base`, `new` ending in .json), one table with a date column and two windows (`base`
 * and the options' dateColumn and windows), or a Postgres query (`source`) split into the two
 * windows by the server.
 */
export interface InvestigationCubeRequest {
  base: string | null;
  new: string | null;
  source: Source | null;
  options: InvestigationOptions;
}

const isJson = (path: string) => /\.json$/i.test(path.trim());

/** The cube of the request's two sides: one pass over the rows (none for artifacts), its progress told to `onProgress`. */
export async function buildInvestigationCube(
  req: InvestigationCubeRequest,
  onProgress: RunProgressReport = () => {},
): Promise<InvestigationCube> {
  const o = req.options;
  const postgres = req.source?.kind === 'postgres';
  requireFileSnapshots(req.source, req.new !== null);
  if (!postgres && req.base === null)
    throw new AppError(
      'BAD_ARGUMENT',
      'an investigation needs its data: --base and --new, or one table with periods',
      'Give --base and --new (two CSV files or two analyze JSON artifacts), or a Postgres query with its date column and periods.',
      ['base'],
    );
  // Two snapshots are compared whole: a date column alone (from a config) is not read; windows are refused.
  const periods = o.windows !== null;
  if (!postgres && req.new !== null) {
    const json = [isJson(req.base!), isJson(req.new)];
    if (json[0] !== json[1])
      throw new AppError(
        'BAD_ARGUMENT',
        `--base and --new must be both CSV files or both analyze artifacts (JSON); got ${json[0] ? 'JSON' : 'CSV'} '${req.base}' and ${json[1] ? 'JSON' : 'CSV'} '${req.new}'`,
        'Give two CSV snapshots (the drill-down needs rows) or two JSON files written by `factorlens analyze`.',
        ['base', 'new'],
      );
    if (periods)
      throw new AppError(
        'BAD_ARGUMENT',
        'give one comparison: two snapshots (--base and --new) or two periods of one table (a date column and windows), not both',
        'Drop the date column and period flags to compare the two files, or drop --new to compare two periods of --base.',
        ['dateColumn', 'windows'],
      );
    if (json[0]) {
      if (o.where.length > 0)
        throw new AppError(
          'BAD_ARGUMENT',
          '--where needs the rows: analyze artifacts hold only their groups',
          'Investigate the two CSV snapshots (or a table with its periods) to look within a segment.',
          ['where'],
        );
      return cubeFromAnalyzeArtifacts(await readJson(req.base!), await readJson(req.new), o);
    }
  } else if (!periods || !o.windows) {
    throw new AppError(
      'BAD_ARGUMENT',
      postgres
        ? 'a Postgres query is investigated across two periods: it needs its date column and the windows'
        : `one table (${req.base}) is investigated across two periods: it needs its date column and the windows (or give --new)`,
      'Name the date column (--date-column) and the periods (e.g. --time-grain month --period last), or give a second snapshot with --new.',
      ['dateColumn', 'windows'],
    );
  } else if (!postgres && isJson(req.base!)) {
    throw new AppError(
      'BAD_ARGUMENT',
      `'${req.base}' is a JSON file: periods are read from a table`,
      'Give the CSV file (or --base and --new as two analyze artifacts).',
      ['base'],
    );
  }
  const source: Source = req.source ?? { kind: 'file', path: req.base! };
  // A cube read again in another day/month order keeps the bar where the first pass left it.
  const report = forwardOnly(onProgress);
  report(0, source.kind === 'file' ? 'Reading header' : 'Connecting');
  const cube = await withScan(source, (scan) => scanSides(scan, req, report));
  report(1, 'Done');
  return cube;
}

/** The part of the cube's run its one pass over the rows takes, as in analyze. */
const SCAN_FROM = 0.1;
const SCAN_TO = 0.9;

async function readJson(path: string): Promise<{ path: string; json: unknown }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new AppError(
      missing ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      `cannot read '${path}'${missing ? ': no such file' : ''}`,
      'Check the path.',
      ['base', 'new'],
    );
  }
  try {
    return { path, json: JSON.parse(text) as unknown };
  } catch {
    throw new AppError('FILE_UNREADABLE', `'${path}' is not valid JSON`, 'Give a JSON file written by `factorlens analyze`.', [
      'base',
      'new',
    ]);
  }
}

const dedupe = (names: readonly string[]): string[] => {
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = n.trim().toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

async function scanSides(scan: Scan, req: InvestigationCubeRequest, report: RunProgressReport): Promise<InvestigationCube> {
  const o = req.options;
  const names = scan.columns;
  const metric = resolveColumn(o.metric, names, 'metric', 'metric');
  report(0.05, 'Profiling columns');
  const profile = await scan.profile([metric]);
  if (profile.columns[0]?.type !== 'number')
    throw new AppError(
      'NON_NUMERIC_METRIC',
      `metric '${metric}' does not hold numbers`,
      'Pick a numeric column as --metric (e.g. revenue).',
      ['metric'],
    );
  const other = await newSnapshot(scan, { input: req.base ?? scan.label, inputNew: req.new });
  const dateColumn =
    req.new !== null ? null : o.dateColumn ? resolveColumn(o.dateColumn, names, 'date', 'dateColumn') : await findDateColumn(scan);
  const warnings: string[] = [...scan.notices];
  const m = metricSql(scan, { aggregate: 'sum' }, { metric, numerator: null, denominator: null });

  let sides: string;
  let order = null as Awaited<ReturnType<typeof sampleDayMonthOrder>> | null;
  if (dateColumn) {
    const problem = windowProblem(o.windows!);
    if (problem)
      throw new AppError(
        'BAD_ARGUMENT',
        `period windows: ${problem}`,
        'Give each window as start <= end, the previous window before the current one.',
        ['windows'],
      );
    order = await sampleDayMonthOrder(scan, dateColumn);
    sides = scan.dialect.sub(periodFrames(scan, dateColumn, o.windows!, order).allRows, 'fl_sides');
  } else {
    sides = scan.dialect.sub(
      `SELECT *, 'base' AS fl_side FROM ${scan.relation} UNION ALL SELECT *, 'new' AS fl_side FROM ${other!.relation}`,
      'fl_sides',
    );
  }
  // --where: its columns are read with the dimensions, the rows kept, and then dropped (one value each).
  const where = o.where.map((w) => ({ dimension: resolveColumn(w.column, names, 'column', 'where'), value: w.value }));
  const { dimensions, inferred } = await chooseDimensions(
    scan,
    sides,
    o,
    metric,
    dateColumn,
    where.map((w) => w.dimension),
  );
  const read = [...dimensions, ...new Set(where.map((w) => w.dimension))];

  let scanned: ScannedCube;
  report(SCAN_FROM, 'Scanning rows');
  const progress = stageProgress(report, SCAN_FROM, SCAN_TO, 'Scanning rows');
  for (let attempt = 0; ; attempt++) {
    scanned = await scanCube(scan, sides, read, m, null, { checkDates: dateColumn !== null, maxGroups: MAX_CUBE_GROUPS, progress });
    // The whole date column may prove another day/month order than its first rows: read it again in that order.
    if (!dateColumn || attempt > 0 || scanned.dates!.order === order) break;
    order = scanned.dates!.order;
    sides = scan.dialect.sub(periodFrames(scan, dateColumn, o.windows!, order).allRows, 'fl_sides');
  }
  if (dateColumn) {
    const unreadable = scanned.dates!.unreadable;
    const examples = unreadable > 0 ? await unreadableExamples(scan, dateColumn, order!) : [];
    const warning = unreadableDatesWarning({ column: dateColumn, order: order!, unreadable, examples });
    if (warning) warnings.push(warning);
  }
  report(SCAN_TO, 'Building the cube');
  await refuseTooFine(scan, sides, read, scanned, inferred);
  const leaves = where.length === 0 ? scanned.leaves : rowsWhere(scanned.leaves, read, where);
  const w = o.windows;
  const labels = dateColumn
    ? [`${w!.previous.start}..${w!.previous.end}`, `${w!.current.start}..${w!.current.end}`]
    : [req.base!, req.new!];
  const rows = where.length === 0 ? scanned.rows : { base: sum(leaves, (l) => l.den0), current: sum(leaves, (l) => l.den1) };
  if (rows.base === 0 || rows.current === 0) {
    const which = rows.base === 0 ? 0 : 1;
    if (where.length > 0)
      throw new AppError(
        'NO_DATA_ROWS',
        `no row of the ${dateColumn ? (which === 0 ? 'previous period' : 'current period') : which === 0 ? 'base file' : 'new file'} (${labels[which]}) has ${where.map((w) => `${w.dimension} = ${w.value}`).join(' and ')}`,
        'Check the values of --where (they are compared as the cells write them), or leave it out.',
        ['where'],
      );
    throw new AppError(
      'NO_DATA_ROWS',
      `the ${dateColumn ? (which === 0 ? 'previous period' : 'current period') : which === 0 ? 'base file' : 'new file'} (${labels[which]}) has no rows`,
      dateColumn
        ? 'Pick periods that both hold rows of the date column (or check its dates).'
        : 'Both files need data rows below their header.',
      dateColumn ? ['windows'] : ['base', 'new'],
    );
  }
  return {
    input: {
      kind: req.source?.kind === 'postgres' ? 'postgres_query' : dateColumn ? 'table_periods' : 'datasets_csv',
      base: dateColumn ? scan.label : req.base!,
      new: dateColumn ? scan.label : req.new!,
      date_column: dateColumn,
      windows: dateColumn ? w : null,
    },
    metric,
    dimensions,
    dimensionsInferred: inferred,
    drillable: true,
    where,
    leaves,
    warnings,
  };
}

/** The named dimensions (checked and de-duplicated ignoring case), or those inferred from samples of both sides. */
async function chooseDimensions(
  scan: Scan,
  sides: string,
  o: InvestigationOptions,
  metric: string,
  dateColumn: string | null,
  fixed: readonly string[] = [],
): Promise<{ dimensions: string[]; inferred: boolean }> {
  const names = scan.columns;
  // A column --where fixes to one value is no dimension within its rows.
  const resolve = (list: string[], option: string) =>
    dedupe(list)
      .map((c) => resolveColumn(c, names, 'dimension', option))
      .filter((c) => !fixed.includes(c));
  const named = resolve(o.dimensions, 'dimensions');
  const drills = resolve(o.drillFields, 'drillFields');
  let top: string;
  let rest: string[];
  let inferred = false;
  if (named.length > 0) {
    top = named[0]!;
    rest = drills.length > 0 ? drills : named.slice(1);
  } else {
    const sample = await sampleBothSides(scan, sides);
    const found = inferDimensions(sample, metric, [...(dateColumn ? [dateColumn] : []), ...drills, ...fixed]);
    if (found.dimensions.length === 0)
      throw new AppError(
        'NO_GROUP_COLUMNS',
        `no column looks like a dimension${
          found.skipped.length
            ? `: ${found.skipped
                .slice(0, 5)
                .map((s) => `'${s.column}' (${s.reason})`)
                .join(', ')}`
            : ''
        }`,
        'Name the dimensions with --dimensions (the first is the top dimension).',
        ['dimensions'],
      );
    top = found.dimensions[0]!;
    rest = drills.length > 0 ? drills : found.dimensions.slice(1);
    inferred = true;
  }
  const dimensions = dedupe([top, ...rest]);
  for (const c of dimensions)
    if (c === metric || c === dateColumn)
      throw new AppError(
        'BAD_ARGUMENT',
        `'${c}' is the ${c === metric ? 'metric' : 'date column'}; it cannot be a dimension too`,
        'Leave it out of the dimensions.',
        ['dimensions'],
      );
  return { dimensions, inferred };
}

/** The first rows of each side, every cell as text. */
async function sampleBothSides(scan: Scan, sides: string): Promise<{ columns: string[]; rows: (string | null)[][] }> {
  const d = scan.dialect;
  const picks = scan.columns.map((c, i) => `${d.text(c)} AS fl_s${i}`).join(', ');
  const rows: (string | null)[][] = [];
  for (const side of ['base', 'new']) {
    const got = await scan.rows(`SELECT ${picks} FROM ${sides} WHERE fl_side = '${side}' LIMIT ${SAMPLE_ROWS_PER_SIDE}`);
    // An empty side leaves nothing to infer from: say which side, not that no column looks like a dimension.
    if (got.length === 0)
      throw new AppError(
        'NO_DATA_ROWS',
        `the ${side === 'base' ? 'base side (the previous period, or --base)' : 'new side (the current period, or --new)'} has no rows`,
        'Pick periods that both hold rows of the date column (e.g. --anchor-date inside the data), or check the files.',
        ['windows'],
      );
    for (const r of got)
      rows.push(scan.columns.map((_, i) => (r[`fl_s${i}`] === null || r[`fl_s${i}`] === undefined ? null : String(r[`fl_s${i}`]))));
  }
  return { columns: scan.columns, rows };
}

/** The engine job: the cube, packed for the host. */
export async function buildPackedInvestigationCube(
  req: InvestigationCubeRequest,
  onProgress?: RunProgressReport,
): Promise<PackedInvestigationCube> {
  return packInvestigationCube(await buildInvestigationCube(req, onProgress));
}

const sum = (leaves: readonly Leaf[], of: (l: Leaf) => number) => leaves.reduce((a, l) => a + of(l), 0);

/** The leaves whose --where columns hold the given values, with those columns dropped (they come last in `read`). */
function rowsWhere(leaves: readonly Leaf[], read: readonly string[], where: readonly SegmentCondition[]): Leaf[] {
  const at = where.map((w) => ({ index: read.indexOf(w.dimension), value: w.value }));
  const keep = read.length - new Set(where.map((w) => w.dimension)).size;
  return leaves.filter((l) => at.every((w) => l.values[w.index] === w.value)).map((l) => ({ ...l, values: l.values.slice(0, keep) }));
}

/** The date column of one table or query when none is named (SPEC 9), by analyze-investigate's rule. */
async function findDateColumn(scan: Scan): Promise<string> {
  const found = likelyDateColumn((await scan.profile()).columns);
  if (!found)
    throw new AppError(
      'BAD_ARGUMENT',
      'no date column found to split the table into its two periods',
      'Name it with --date-column (a column of dates such as order_date).',
      ['dateColumn'],
    );
  return found;
}

import { DRIVERS_SCHEMA, type DecompositionMethod, type DriversArtifact, type ResidualSignal } from '../../../src-shared/artifacts/drivers';
import { AppError } from '../../../src-shared/errors';
import { windowProblem, type Windows } from '../../../src-shared/periods';
import type { Source } from '../../../src-shared/analyze-options';
import { withScan, type Scan } from '../../sources/scan';
import { stageProgress, type RunProgressReport } from '../../sources/scan-progress';
import { forwardOnly } from '../forward-progress';
import { newSnapshot, requireFileSnapshots } from '../snapshots';
import { readDateColumn, sampleDayMonthOrder } from '../analyze/date-reading';
import { resolveColumn } from '../analyze/resolve';
import { modelledBySegment, num, sumFrames } from './aggregate';
import { pct, segmentBridge, splitChange } from './effects';
import { DateOrderChanged, periodFrames } from './frames';
import { describeIdentity } from './identity';
import { planFramePass, planIdentity, type DriversFrames, type DriversTable } from './plan';
import { residualSignals } from './residual';

export interface DriversRequest {
  input: string;
  inputNew: string | null;
  metric: string;
  /** Period mode (required without inputNew). */
  period: { dateColumn: string; windows: Windows } | null;
  identity: string | null;
  method: DecompositionMethod;
  /** A dimension for the mix/rate bridge. */
  by?: string | null;
  labels?: { input: string; inputNew: string | null };
  /** A Postgres query instead of the `input` file (period mode only). */
  source?: Source | null;
  /** When the run falls back to where the metric changed: keep the segments cube (the workbench's tree). */
  keepCube?: boolean;
}

export { IDENTITY_SAMPLE_ROWS } from './identity-search';

/**
 * Explains a metric's change between two frames (two periods of one table, or two files): the
 * identity (plan.ts), one pass that sums the frames (aggregate.ts), the split among the drivers
 * and the bridge (effects.ts), and where the residual lies (residual.ts). No identity that fits:
 * NoIdentityFits (the drivers job then answers with where it changed: where-it-changed.ts).
 */
export async function runDrivers(req: DriversRequest, onProgress: RunProgressReport = () => {}): Promise<DriversArtifact> {
  const source: Source = req.source ?? { kind: 'file', path: req.input };
  requireFileSnapshots(source, req.inputNew !== null);
  // Work done again in another day/month order keeps the bar where the first pass left it.
  const report = forwardOnly(onProgress);
  report(0, source.kind === 'file' ? 'Reading header' : 'Connecting');
  return withScan(source, async (scan) => {
    const other = await newSnapshot(scan, req);
    report(0.05, 'Profiling columns');
    const profile = await scan.profile();
    const names = profile.columns.map((c) => c.name);
    const table: DriversTable = { profile, names, metric: resolveColumn(req.metric, names, 'metric', 'metric') };

    // Frames: rows of the previous window are the base, of the current window the new frame.
    if (other) {
      const frames = `(SELECT *, 'base' AS fl_side FROM ${scan.relation}) UNION ALL (SELECT *, 'new' AS fl_side FROM ${other.relation})`;
      return explainChange(scan, req, source, table, { frames, allRows: frames, window: null, dates: null }, report);
    }
    if (!req.period) {
      throw new AppError(
        'BAD_ARGUMENT',
        'the drivers analysis needs a date column (to compare two periods) or a second snapshot (to compare two files)',
        'Name the date column, or give the new snapshot.',
        ['dateColumn', 'newDatasetId'],
      );
    }
    const dateColumn = resolveColumn(req.period.dateColumn, names, 'date', 'dateColumn');
    const problem = windowProblem(req.period.windows);
    if (problem)
      throw new AppError(
        'BAD_ARGUMENT',
        `period windows: ${problem}`,
        'Give each window as start <= end, YYYY-MM-DD, with the previous window before the current one.',
        ['windows'],
      );
    const { current, previous } = req.period.windows;
    const window = {
      current_start: current.start,
      current_end: current.end,
      previous_start: previous.start,
      previous_end: previous.end,
      date_column: dateColumn,
    };
    // The date column's day/month order, as analyze reads it: the first rows' proof, checked
    // against every row by the pass that sums the frames (which also counts the unreadable
    // cells); when the whole column proves another order, the work is done again in that order.
    let order = await sampleDayMonthOrder(scan, dateColumn);
    for (let attempt = 0; ; attempt++) {
      try {
        const frames = periodFrames(scan, dateColumn, req.period.windows, order);
        return await explainChange(
          scan,
          req,
          source,
          table,
          {
            ...frames,
            window,
            dates: { column: dateColumn, order, final: attempt > 0 },
          },
          report,
        );
      } catch (err) {
        if (attempt > 0) throw err;
        if (err instanceof DateOrderChanged) order = err.order;
        else {
          // A run that finds no rows in a frame, or no identity, may have read the dates in the wrong order: check the whole column first.
          const dateBound = err instanceof AppError && (err.code === 'NO_DATA_ROWS' || err.code === 'BAD_ARGUMENT');
          const whole = dateBound ? (await readDateColumn(scan, dateColumn)).order : order;
          if (whole === order) throw err;
          order = whole;
        }
      }
    }
  });
}

/** The part of a drivers run its frame pass (the one that sums every row) takes; the residual's passes follow it. */
const SCAN_FROM = 0.1;
const SCAN_TO = 0.7;

/** Everything after the frames: the identity, the sums, the decomposition, the residual and the artifact. */
async function explainChange(
  scan: Scan,
  req: DriversRequest,
  source: Source,
  table: DriversTable,
  f: DriversFrames,
  report: RunProgressReport,
): Promise<DriversArtifact> {
  const { metric } = table;
  scan.define('fl_frames', f.frames);
  report(0.08, 'Finding the identity');
  const identity = await planIdentity(scan, req.identity, table, f);
  const { terms, form } = identity;
  const pass = planFramePass(scan.dialect, identity, req, table, f);
  report(SCAN_FROM, 'Scanning rows');
  const sums = await sumFrames(scan, pass, f, stageProgress(report, SCAN_FROM, SCAN_TO, 'Scanning rows'));
  report(SCAN_TO, 'Splitting the change');
  const split = splitChange(req.method, pass, sums);
  // A mix/rate bridge splits volume × rate; a sum has no rate (its split by terms is already exact).
  const bridge =
    form === 'sum' ? null : segmentBridge(pass, sums, pass.by !== null && !pass.perSegment ? await modelledBySegment(scan, pass) : null);
  const noBridge =
    form === 'sum' && pass.by !== null
      ? `No mix/rate bridge by ${pass.by}: ${metric} is a sum, not a volume times a rate; its terms' changes are its exact split.`
      : null;
  const warnings = [sums.dateWarning, identity.note, split.warning, bridge?.warning ?? null, noBridge].filter(
    (w): w is string => w !== null,
  );

  report(0.8, 'Locating the residual');
  const signals = await residualSignals(scan, {
    method: req.method,
    residualPct: split.residualPct,
    residualAmount: split.residualAmount,
    inner: pass.inner,
    yhat: pass.yhat,
    fit: pass.fit,
    exclude: new Set([metric, ...terms.map((t) => t.column), ...(f.window ? [f.window.date_column] : [])]),
    columns: table.profile.columns,
  });

  const yBase = num(sums.allBase, 'y_total');
  const yNew = num(sums.allNew, 'y_total');
  const change = yNew - yBase;
  report(1, 'Done');
  const op: DriversArtifact['identity']['op'] =
    form === 'sum' ? 'sum' : terms.length === 3 ? 'product' : terms[1]!.power === -1 ? 'divide' : 'multiply';
  return {
    schema: DRIVERS_SCHEMA,
    kind: 'drivers',
    input: req.labels?.input ?? (source.kind === 'file' ? req.input : scan.label),
    input_new: req.labels?.inputNew ?? req.inputNew,
    metric,
    method: req.method,
    identity: {
      expression: describeIdentity(metric, terms, form),
      left: terms[0]!.column,
      right: terms[1]!.column,
      op,
      fit_mape: sums.fitMape,
      fit_rows: sums.fitRows,
      terms,
      stated: identity.stated,
    },
    candidates: identity.candidates,
    metric_base: yBase,
    metric_new: yNew,
    metric_change: change,
    metric_change_pct: pct(change, yBase),
    drivers: split.drivers,
    explained_amount: split.explainedAmount,
    explained_pct: split.explainedPct,
    // The seed relates its explained percent (of the modelled base) to the actual percent change.
    explained_share_pct:
      change === 0
        ? null
        : req.method === 'seed'
          ? (split.explainedPct * 100) / pct(change, yBase)
          : (split.explainedAmount * 100) / change,
    residual: { residual_pct: split.residualPct, residual_amount: split.residualAmount, parts: split.parts, signals },
    window: f.window,
    base_rows: num(sums.allBase, 'rows'),
    new_rows: num(sums.allNew, 'rows'),
    bridge,
    warnings: [...scan.notices, ...warnings],
  };
}

export type { ResidualSignal };

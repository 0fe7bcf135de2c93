import { DRIVERS_SCHEMA, type DecompositionMethod, type DriverContribution, type DriversArtifact, type IdentityFit, type IdentityTerm, type ResidualSignal } from '../../../src-shared/artifacts/drivers';
import { AppError } from '../../../src-shared/errors';
import { windowProblem, type Windows } from '../../../src-shared/periods';
import type { Source } from '../../../src-shared/analyze-options';
import { withScan } from '../../sources/scan';
import { formatCount } from '../../../src-shared/format';
import { DATE_CHECK_AGGREGATES, dateCheckOf, readDateColumn, sampleDayMonthOrder, unreadableDatesWarning, unreadableExamples } from '../analyze/date-reading';
import type { DayMonthOrder } from '../../sources/dates';
import { DateOrderChanged, periodFrames } from './frames';
import { resolveColumn } from '../analyze/resolve';
import { lmdi, seedShares, shapley } from './decompose';
import { chooseIdentity, describeIdentity, isCodeLike, parseIdentity } from './identity';
import { predictionExpr, searchIdentities } from './identity-search';
import { residualSignals } from './residual';
import { isRateLike } from './names';
import { mixRateBridge, type Bridge } from './bridge';
import { groupKeyExpr } from '../analyze/scan-plan';

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
}

export { IDENTITY_SAMPLE_ROWS } from './identity-search';

const pct = (part: number, whole: number) => (whole === 0 ? 0 : (part * 100) / Math.abs(whole));

export async function runDrivers(req: DriversRequest): Promise<DriversArtifact> {
  const source: Source = req.source ?? { kind: 'file', path: req.input };
  if (req.inputNew && source.kind !== 'file') {
    throw new AppError('BAD_ARGUMENT', 'two-snapshot mode (--input-new) compares two files; a Postgres query is compared across two periods', 'Use --date-column with the period flags, or export both snapshots as files.');
  }
  return withScan(source, async (scan) => {
    const d = scan.dialect;
    const other = req.inputNew ? await scan.fileRelation!(req.inputNew) : null;
    if (other && other.columns.join('\u0000') !== scan.columns.join('\u0000')) {
      throw new AppError('BAD_ARGUMENT', `${req.inputNew} has different columns from ${req.input}`, 'Both files need the same header (same names in the same order).');
    }
    const profile = await scan.profile();
    const names = profile.columns.map((c) => c.name);
    const metric = resolveColumn(req.metric, names, 'metric');

    // Frames: rows of the previous window are the base, of the current window the new frame.
    if (other) {
      const frames = `(SELECT *, 'base' AS fl_side FROM ${scan.relation}) UNION ALL (SELECT *, 'new' AS fl_side FROM ${other.relation})`;
      return explain({ frames, allRows: frames, window: null, dates: null });
    }
    if (!req.period) throw new AppError('BAD_ARGUMENT', 'analyze-drivers needs --date-column (period mode) or --input-new (two files)', 'Name the date column, e.g. --date-column date, or give the new snapshot with --input-new.');
    const dateColumn = resolveColumn(req.period.dateColumn, names, 'date');
    const problem = windowProblem(req.period.windows);
    if (problem) throw new AppError('BAD_ARGUMENT', `period windows: ${problem}`, 'Give each window as start <= end, YYYY-MM-DD, with the previous window before the current one.');
    const { current, previous } = req.period.windows;
    const window = { current_start: current.start, current_end: current.end, previous_start: previous.start, previous_end: previous.end, date_column: dateColumn };
    // The date column's day/month order, as analyze reads it: the first rows' proof, checked
    // against every row by the pass that sums the frames (which also counts the unreadable
    // cells); when the whole column proves another order, the work is done again in that order.
    let order = await sampleDayMonthOrder(scan, dateColumn);
    for (let attempt = 0; ; attempt++) {
      try {
        return await explain({ ...periodFrames(scan, dateColumn, req.period.windows, order), window, dates: { column: dateColumn, order, final: attempt > 0 } });
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

    /** Everything after the frames: the identity, the decomposition, the residual and the artifact. */
    async function explain(f: { frames: string; allRows: string; window: DriversArtifact['window']; dates: { column: string; order: DayMonthOrder; final: boolean } | null }): Promise<DriversArtifact> {
      const { frames, allRows, window } = f;
      scan.define('fl_frames', frames);
      // Both frames must hold rows: the sums below say so, and a failed identity search is
      // checked first (two cheap queries, each stopping at the first row of its frame).
      const requireBothFrames = (hasBase: boolean, hasNew: boolean) => {
        if (hasBase && hasNew) return;
        const where = window ? ` (previous ${window.previous_start}..${window.previous_end}: ${hasBase ? 'has rows' : 'no rows'}; current ${window.current_start}..${window.current_end}: ${hasNew ? 'has rows' : 'no rows'})` : '';
        throw new AppError('NO_DATA_ROWS', `analyze-drivers needs rows in both the base and the new frame${where}`, 'Pick windows that hold data (check --anchor-date and --period), or two non-empty files.');
      };
      const has = async (side: string) => (await scan.rows(`SELECT 1 AS x FROM fl_frames WHERE fl_side = '${side}' LIMIT 1`)).length > 0;

      // The identity: stated, or the best fit among products and ratios of the numeric columns.
      const y = d.number(metric);
      let terms: IdentityTerm[];
      let candidates: IdentityFit[] = [];
      let identityNote: string | null = null;
      const stated = req.identity !== null;
      if (req.identity) {
        const parsed = parseIdentity(req.identity, names);
        if (parsed.metric !== metric) throw new AppError('BAD_ARGUMENT', `--identity is for '${parsed.metric}' but --metric is '${metric}'`, `Start the identity with the metric you explain: --identity "${metric} = …", or change --metric.`);
        terms = parsed.terms;
      } else {
        const dateCol = window?.date_column;
        // Quantities only: no ids or codes, and no 0/1 flags (dividing by a flag prices half the rows).
        const numeric = profile.columns.filter((c) => c.type === 'number' && c.name !== metric && c.name !== dateCol && !isCodeLike(c.name) && !c.isFlag).map((c) => c.name);
        if (numeric.length < 2) throw new AppError('BAD_ARGUMENT', `no numeric driver columns to build an identity for '${metric}'`, 'State it with --identity "metric = a * b".');
        // The search reads a large sample of the frames; the chosen identity's fit is then measured on every row.
        const { fits, screened } = await searchIdentities(scan, frames, metric, numeric);
        if (screened) {
          identityNote = `The identity was searched among the ${screened.tried.length} of ${formatCount(screened.numeric)} numeric columns whose logarithms move most with ${metric}'s; if it uses another column, state it with --identity.`;
        }
        let chosen: IdentityFit;
        try {
          chosen = chooseIdentity(metric, fits);
        } catch (err) {
          // No identity fits: first, because a frame holds no rows?
          requireBothFrames(await has('base'), await has('new'));
          throw err;
        }
        terms = chosen.terms;
        candidates = [chosen, ...fits.filter((f) => f !== chosen && Number.isFinite(f.fit_mape) && f.fit_rows >= 20).sort((a, b) => a.fit_mape - b.fit_mape || a.terms.length - b.terms.length)].slice(0, 5);
      }

      // Aggregates per frame. The chain orders the drivers so their partial sums multiply out to
      // the modelled total: volume drivers first, then the rates as ratios of partial sums.
      const chain = [...terms].sort((a, b) => rank(a) - rank(b));
      const tcol = (name: string) => `t${terms.findIndex((t) => t.column === name)}`;
      const partial = chain.map((_, j) => predictionExpr(chain.slice(0, j + 1), tcol));
      const yhat = partial[partial.length - 1]!;
      const fit = `(y IS NOT NULL AND ${yhat} IS NOT NULL)`;
      // Per row once: the metric, the terms, the partial products and whether the identity prices the row.
      const inner = [`${y} AS y`, ...terms.map((t, i) => `${d.number(t.column)} AS t${i}`)].join(', ');
      // With --by (exact methods), the sums are kept per segment, so that segments present in only
      // one frame can be set apart as a named part of the residual.
      const by = req.by ? resolveColumn(req.by, names, 'by') : null;
      const perSegment = by !== null && req.method !== 'seed';
      const segExpr = perSegment ? groupKeyExpr(d.text(by), false, d) : `''`;
      // The frames are summed in one pass over every row, which in period mode also checks the
      // date column (its day/month proof and unreadable cells); rows outside both windows are read
      // for that only (their numbers are not).
      const framed = (e: string) => (f.dates ? `(CASE WHEN fl_side IS NOT NULL THEN ${e} END)` : e);
      const dateCells = f.dates ? ', fl_proof, fl_unreadable' : '';
      const everyRow = [`${framed(y)} AS y`, ...terms.map((t, i) => `${framed(d.number(t.column))} AS t${i}`)].join(', ');
      const perRow = `SELECT fl_side, seg, y, ${terms.map((_, i) => `t${i}`).join(', ')}, ${partial.map((p, j) => `${p} AS p${j}`).join(', ')}, ${fit} AS fit${dateCells} FROM (SELECT fl_side, ${framed(segExpr)} AS seg, ${everyRow}${dateCells} FROM ${d.sub(allRows, 'fl_all')}) AS fl_r`;
      const last = `p${partial.length - 1}`;
      const aggSql = [
        'fl_side',
        'count(*) AS rows',
        `coalesce(${d.sum('y')}, 0) AS y_total`,
        `coalesce(${d.sum('y')} FILTER (WHERE fit), 0) AS y_fit`,
        `coalesce(${d.sum('y')} FILTER (WHERE NOT fit), 0) AS y_outside`,
        `coalesce(${d.sum(last)} FILTER (WHERE fit), 0) AS yhat`,
        `coalesce(${d.sum(`abs(${last} - y) / abs(y)`)} FILTER (WHERE fit AND abs(y) > 1e-12), 0) AS ape_sum`,
        'count(*) FILTER (WHERE fit AND abs(y) > 1e-12) AS ape_n',
        ...partial.map((_, j) => `coalesce(${d.sum(`p${j}`)} FILTER (WHERE fit), 0) AS s${j}`),
      ].join(', ');
      const seedSql = terms.map((t, i) => `${isRateLike(t.column) ? `avg(t${i})` : d.sum(`t${i}`)} AS seed${i}`).join(', ');
      // Postgres returns counts as text (bigint); every field is read as a number below.
      const scanned = await scan.rows(`SELECT seg, ${aggSql}${req.method === 'seed' ? `, ${seedSql}` : ''}${f.dates ? `, ${DATE_CHECK_AGGREGATES}` : ''} FROM (${perRow}) AS fl_p GROUP BY fl_side, seg`);
      let dateWarning: string | null = null;
      if (f.dates) {
        const { column, order } = f.dates;
        const check = dateCheckOf(scanned);
        if (!f.dates.final && check.order !== order) throw new DateOrderChanged(check.order);
        const examples = check.unreadable > 0 ? await unreadableExamples(scan, column, order) : [];
        dateWarning = unreadableDatesWarning({ column, order, unreadable: check.unreadable, examples });
      }
      // In a fixed order (the engine returns groups in any), so that the sums below are the same on every run.
      const aggRows = scanned
        .filter((r) => r.fl_side !== null)
        .sort((a, b) => compareKeys(a, b))
        .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'fl_side' || k === 'seg' ? v : v === null ? null : Number(v)])));
      const num = (r: Record<string, unknown>, k: string) => Number(r[k] ?? 0);
      requireBothFrames(
        aggRows.some((r) => r.fl_side === 'base'),
        aggRows.some((r) => r.fl_side === 'new'),
      );
      const segsOf = (side: string) => new Set(aggRows.filter((r) => r.fl_side === side).map((r) => String(r.seg)));
      const [baseSegs, newSegs] = [segsOf('base'), segsOf('new')];
      const inBoth = (seg: string) => baseSegs.has(seg) && newSegs.has(seg);
      /** Field sums of one frame over the segments that pass `keep`. */
      const total = (side: string, keep: (seg: string) => boolean): Record<string, number> => {
        const out: Record<string, number> = {};
        for (const r of aggRows) {
          if (r.fl_side !== side || !keep(String(r.seg))) continue;
          for (const [k, v] of Object.entries(r)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
        }
        return out;
      };
      const [B, N] = [total('base', inBoth), total('new', inBoth)];
      const [allB, allN] = [total('base', () => true), total('new', () => true)];
      const newOrGone = num(total('new', (g) => !baseSegs.has(g)), 'y_total') - num(total('base', (g) => !newSegs.has(g)), 'y_total');
      const fitRows = num(allB, 'ape_n') + num(allN, 'ape_n');
      const fitMape = fitRows === 0 ? Number.NaN : (num(allB, 'ape_sum') + num(allN, 'ape_sum')) / fitRows;
      const baseRows = num(allB, 'rows');
      const newRows = num(allN, 'rows');

      const yBase = num(allB, 'y_total');
      const yNew = num(allN, 'y_total');
      const change = yNew - yBase;
      const warnings: string[] = [...scan.notices, ...(dateWarning ? [dateWarning] : []), ...(identityNote ? [identityNote] : [])];
      let drivers: DriverContribution[];
      let explainedAmount: number;
      let explainedPct: number;
      let residualAmount: number;
      let residualPct: number;
      let parts: { name: string; amount: number }[];

      if (req.method === 'seed') {
        // The seed: the identity applied to aggregates (sums, or means for rate-like names).
        const aggBase = terms.map((_, i) => num(B, `seed${i}`));
        const aggNew = terms.map((_, i) => num(N, `seed${i}`));
        const model = (xs: number[]) => xs.reduce((acc, x, i) => acc * x ** terms[i]!.power, 1);
        const [mBase, mNew] = [model(aggBase), model(aggNew)];
        explainedPct = pct(mNew - mBase, mBase);
        const shares = seedShares(aggBase, aggNew, terms.map((t) => t.power), explainedPct);
        drivers = terms.map((t, i) => ({
          name: t.column,
          base: aggBase[i]!,
          new: aggNew[i]!,
          aggregation: isRateLike(t.column) ? 'mean' : 'sum',
          contrib_pct: shares[i]!,
          contrib_amount: (shares[i]! * Math.abs(mBase)) / 100,
        }));
        explainedAmount = mNew - mBase;
        residualAmount = change - explainedAmount;
        residualPct = pct(change, yBase) - explainedPct;
        parts = [{ name: 'identity on aggregates', amount: residualAmount }];
      } else {
        const sBase = chain.map((_, j) => num(B, `s${j}`));
        const sNew = chain.map((_, j) => num(N, `s${j}`));
        const factor = (s: number[], j: number) => (j === 0 ? s[0]! : s[j - 1] === 0 ? Number.NaN : s[j]! / s[j - 1]!);
        const xBase = chain.map((_, j) => factor(sBase, j));
        const xNew = chain.map((_, j) => factor(sNew, j));
        const ones = chain.map(() => 1);
        let contributions = req.method === 'lmdi' ? lmdi(xBase, xNew, ones) : null;
        if (req.method === 'lmdi' && contributions === null) {
          warnings.push('LMDI needs every driver aggregate to be positive in both frames; Shapley was used instead.');
        }
        if (contributions === null) {
          contributions = [...xBase, ...xNew].some((v) => !Number.isFinite(v)) ? chain.map((_, j) => (j === chain.length - 1 ? num(N, 'yhat') - num(B, 'yhat') : 0)) : shapley(xBase, xNew, ones);
        }
        drivers = chain.map((t, j) => ({
          name: t.column,
          base: t.power === 1 ? xBase[j]! : 1 / xBase[j]!,
          new: t.power === 1 ? xNew[j]! : 1 / xNew[j]!,
          aggregation: j === 0 ? 'sum' : 'weighted',
          contrib_pct: pct(contributions![j]!, yBase),
          contrib_amount: contributions![j]!,
        }));
        explainedAmount = contributions.reduce((a, b) => a + b, 0);
        explainedPct = pct(explainedAmount, yBase);
        const misfit = num(N, 'y_fit') - num(N, 'yhat') - (num(B, 'y_fit') - num(B, 'yhat'));
        const outside = num(N, 'y_outside') - num(B, 'y_outside');
        parts = [
          { name: 'identity misfit', amount: misfit },
          { name: 'rows the identity cannot price (a driver missing or a divisor of 0)', amount: outside },
          ...(perSegment ? [{ name: `new or gone ${by} segments (in one frame only)`, amount: newOrGone }] : []),
        ];
        // Rounding of the sums leaves at most a few ulps; fold them into the misfit so the books close.
        residualAmount = change - explainedAmount;
        parts[0]!.amount += residualAmount - parts.reduce((a, p) => a + p.amount, 0);
        residualPct = pct(residualAmount, yBase);
      }

      let bridge: Bridge | null = null;
      if (perSegment) {
        // The bridge of the segments in both frames: volume + mix + rate = the explained change.
        bridge = mixRateBridge(
          aggRows.filter((r) => inBoth(String(r.seg))).map((r) => ({ segment: String(r.seg), side: r.fl_side as 'base' | 'new', volume: Number(r.s0), modelled: Number(r.yhat) })),
          by!,
          chain[0]!.column,
        );
        bridge.new_segments = [...newSegs].filter((g) => !baseSegs.has(g)).length;
        bridge.gone_segments = [...baseSegs].filter((g) => !newSegs.has(g)).length;
        bridge.new_or_gone_effect = newOrGone;
        bridge.total += newOrGone;
        if (bridge.warning) warnings.push(bridge.warning);
      } else if (by) {
        const rowsBy = await scan.rows(
          `SELECT fl_side, seg, coalesce(${d.sum(partial[0]!)}, 0) AS v, coalesce(${d.sum(yhat)}, 0) AS m FROM (SELECT fl_side, ${groupKeyExpr(d.text(by), false, d)} AS seg, ${inner} FROM fl_frames) AS fl_r WHERE ${fit} ${d.groupBy(['fl_side', 'seg'])}`,
        );
        bridge = mixRateBridge(
          rowsBy.map((r) => ({ segment: String(r.seg), side: r.fl_side as 'base' | 'new', volume: Number(r.v), modelled: Number(r.m) })),
          by,
          chain[0]!.column,
        );
        if (bridge.warning) warnings.push(bridge.warning);
      }

      const signals = await residualSignals(scan, {
        method: req.method,
        residualPct,
        residualAmount,
        inner,
        yhat,
        fit,
        exclude: new Set([metric, ...terms.map((t) => t.column), ...(window ? [window.date_column] : [])]),
        columns: profile.columns,
      });

      const op: DriversArtifact['identity']['op'] = terms.length === 3 ? 'product' : terms[1]!.power === -1 ? 'divide' : 'multiply';
      return {
        schema: DRIVERS_SCHEMA,
        kind: 'drivers',
        input: req.labels?.input ?? (source.kind === 'file' ? req.input : scan.label),
        input_new: req.labels?.inputNew ?? req.inputNew,
        metric,
        method: req.method,
        identity: { expression: describeIdentity(metric, terms), left: terms[0]!.column, right: terms[1]!.column, op, fit_mape: fitMape, fit_rows: fitRows, terms, stated },
        candidates,
        metric_base: yBase,
        metric_new: yNew,
        metric_change: change,
        metric_change_pct: pct(change, yBase),
        drivers,
        explained_amount: explainedAmount,
        explained_pct: explainedPct,
        // The seed relates its explained percent (of the modelled base) to the actual percent change.
        explained_share_pct: change === 0 ? null : req.method === 'seed' ? (explainedPct * 100) / pct(change, yBase) : (explainedAmount * 100) / change,
        residual: { residual_pct: residualPct, residual_amount: residualAmount, parts, signals },
        window,
        base_rows: baseRows,
        new_rows: newRows,
        bridge,
        warnings,
      };
    }
  });

  function rank(t: IdentityTerm): number {
    return t.power === 1 && !isRateLike(t.column) ? 0 : 1;
  }
}

const compareKeys = (a: Record<string, unknown>, b: Record<string, unknown>) => {
  const [x, y] = [`${String(a.fl_side)}\u0000${String(a.seg)}`, `${String(b.fl_side)}\u0000${String(b.seg)}`];
  return x < y ? -1 : x > y ? 1 : 0;
};

export type { ResidualSignal };

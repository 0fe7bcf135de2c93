import type { DecompositionMethod, DriversArtifact, IdentityFit, IdentityForm, IdentityTerm } from '../../../src-shared/artifacts/drivers';
import { AppError } from '../../../src-shared/errors';
import { formatCount } from '../../../src-shared/format';
import type { DayMonthOrder } from '../../sources/dates';
import type { SqlDialect } from '../../sources/dialect';
import type { TableProfile } from '../../sources/profile';
import type { Scan } from '../../sources/scan';
import { DATE_CHECK_AGGREGATES } from '../analyze/date-reading';
import { resolveColumn } from '../analyze/resolve';
import { groupKeyExpr } from '../analyze/scan-plan';
import { chooseIdentity, isCodeLike, NoIdentityFits, parseIdentity } from './identity';
import { predictionExpr, searchIdentities } from './identity-search';
import { isRateLike } from './names';

/**
 * Planning a drivers run: which identity explains the metric, and what the one pass over the
 * frames sums. Nothing here reads the sums; see aggregate.ts for the pass and effects.ts for
 * what is made of them.
 */

/** The base and new frames of a run, as SQL. */
export interface DriversFrames {
  /** The rows of both frames, with fl_side 'base' or 'new'. */
  frames: string;
  /** The rows the frame pass reads: in period mode every row (fl_side NULL outside both windows), for the date check. */
  allRows: string;
  window: DriversArtifact['window'];
  /** Period mode: the date column, the day/month order the frames were read in, and whether that order is final. */
  dates: { column: string; order: DayMonthOrder; final: boolean } | null;
}

/** The table as the run resolved it. */
export interface DriversTable {
  profile: TableProfile;
  names: string[];
  metric: string;
}

export interface IdentityPlan {
  form: IdentityForm;
  terms: IdentityTerm[];
  /** The chosen identity and the next best fits (searched identities only). */
  candidates: IdentityFit[];
  stated: boolean;
  /** A warning when the search looked at some of the numeric columns only. */
  note: string | null;
}

/** Both frames must hold rows; otherwise an error that says which window is empty. */
export function requireBothFrames(window: DriversArtifact['window'], hasBase: boolean, hasNew: boolean): void {
  if (hasBase && hasNew) return;
  const where = window
    ? ` (previous ${window.previous_start}..${window.previous_end}: ${hasBase ? 'has rows' : 'no rows'}; current ${window.current_start}..${window.current_end}: ${hasNew ? 'has rows' : 'no rows'})`
    : '';
  throw new AppError(
    'NO_DATA_ROWS',
    `the drivers analysis needs rows in both the base and the new frame${where}`,
    'Pick period windows that hold data (check the anchor date and the period), or two non-empty files.',
    ['windows'],
  );
}

/**
 * The identity: the stated one, or the best fit among products and ratios of the numeric columns
 * (searched on a sample of the frames, which must be defined as fl_frames).
 */
export async function planIdentity(
  scan: Pick<Scan, 'rows' | 'dialect' | 'run' | 'define'>,
  identity: string | null,
  t: DriversTable,
  f: DriversFrames,
): Promise<IdentityPlan> {
  const { metric, names, profile } = t;
  const stated = identity !== null;
  if (identity) {
    const parsed = parseIdentity(identity, names);
    if (parsed.metric !== metric) {
      throw new AppError(
        'BAD_ARGUMENT',
        `the identity is for '${parsed.metric}' but the metric is '${metric}'`,
        `Start the identity with the metric you explain ("${metric} = …"), or change the metric.`,
        ['identity', 'metric'],
      );
    }
    return { form: parsed.form, terms: parsed.terms, candidates: [], stated, note: null };
  }
  const dateCol = f.window?.date_column;
  // Quantities only: no ids or codes, and no 0/1 flags (dividing by a flag prices half the rows).
  const numeric = profile.columns
    .filter((c) => c.type === 'number' && c.name !== metric && c.name !== dateCol && !isCodeLike(c.name) && !c.isFlag)
    .map((c) => c.name);
  if (numeric.length < 2)
    throw new NoIdentityFits(
      metric,
      null,
      `no numeric driver columns to build an identity for '${metric}'`,
      'State the identity yourself, as "metric = a * b" or "metric = a + b".',
    );
  // The search reads a large sample of the frames; the chosen identity's fit is then measured on every row.
  const { fits, screened } = await searchIdentities(scan, f.frames, metric, numeric);
  const note = screened
    ? `The identity was searched among the ${screened.tried.length} of ${formatCount(screened.numeric)} numeric columns whose logarithms move most with ${metric}'s; if it uses another column, state the identity.`
    : null;
  let chosen: IdentityFit;
  try {
    chosen = chooseIdentity(metric, fits);
  } catch (err) {
    // No identity fits: first, because a frame holds no rows?
    const has = async (side: string) => (await scan.rows(`SELECT 1 AS x FROM fl_frames WHERE fl_side = '${side}' LIMIT 1`)).length > 0;
    requireBothFrames(f.window, await has('base'), await has('new'));
    throw err;
  }
  const candidates = [
    chosen,
    ...fits
      .filter((x) => x !== chosen && Number.isFinite(x.fit_mape) && x.fit_rows >= 20)
      .sort((a, b) => a.fit_mape - b.fit_mape || a.terms.length - b.terms.length),
  ].slice(0, 5);
  return { form: chosen.form ?? 'product', terms: chosen.terms, candidates, stated, note };
}

/** What the frame pass computes, per row and summed per frame (and segment). */
export interface FramePass {
  form: IdentityForm;
  terms: IdentityTerm[];
  /** The terms in multiplying order: volume drivers first, then the rates (a sum: in the identity's order). */
  chain: IdentityTerm[];
  /** Per row: the partial products (a sum: partial sums) of the chain (p0 … pk), as SQL over y and t0 … tn. */
  partial: string[];
  /** Per row: the identity's prediction (the last partial product). */
  yhat: string;
  /** Per row: whether the identity prices the row. */
  fit: string;
  /** Per row: the metric as y and the terms as t0 … tn, from the table's columns. */
  inner: string;
  /** The bridge dimension, resolved. */
  by: string | null;
  /** Sums kept per segment of `by` (exact methods with a bridge). */
  perSegment: boolean;
  /** The query that sums both frames per side and segment (and, in period mode, checks the date column). */
  sql: string;
}

/**
 * The frame pass: every row once, the sums per frame. The chain orders the drivers so that their
 * partial sums multiply out to the modelled total: volume drivers first, then the rates as
 * ratios of partial sums.
 */
export function planFramePass(
  d: SqlDialect,
  { form, terms }: { form: IdentityForm; terms: IdentityTerm[] },
  req: { method: DecompositionMethod; by?: string | null },
  t: DriversTable,
  f: DriversFrames,
): FramePass {
  const chain = form === 'sum' ? terms : [...terms].sort((a, b) => chainRank(a) - chainRank(b));
  const tcol = (name: string) => `t${terms.findIndex((x) => x.column === name)}`;
  const partial = chain.map((_, j) => predictionExpr(chain.slice(0, j + 1), tcol, form));
  const yhat = partial[partial.length - 1]!;
  const fit = `(y IS NOT NULL AND ${yhat} IS NOT NULL)`;
  const y = d.number(t.metric);
  const inner = [`${y} AS y`, ...terms.map((x, i) => `${d.number(x.column)} AS t${i}`)].join(', ');
  // With a bridge dimension (exact methods), the sums are kept per segment, so that segments
  // present in only one frame can be set apart as a named part of the residual.
  const by = req.by ? resolveColumn(req.by, t.names, 'by', 'by') : null;
  const perSegment = by !== null && req.method !== 'seed';
  const segExpr = perSegment ? groupKeyExpr(d.text(by), false, d) : `''`;
  // In period mode the pass reads every row, which also checks the date column (its day/month
  // proof and unreadable cells); rows outside both windows are read for that only (their numbers are not).
  const framed = (e: string) => (f.dates ? `(CASE WHEN fl_side IS NOT NULL THEN ${e} END)` : e);
  const dateCells = f.dates ? ', fl_proof, fl_unreadable' : '';
  const everyRow = [`${framed(y)} AS y`, ...terms.map((x, i) => `${framed(d.number(x.column))} AS t${i}`)].join(', ');
  const perRow = `SELECT fl_side, seg, y, ${terms.map((_, i) => `t${i}`).join(', ')}, ${partial.map((p, j) => `${p} AS p${j}`).join(', ')}, ${fit} AS fit${dateCells} FROM (SELECT fl_side, ${framed(segExpr)} AS seg, ${everyRow}${dateCells} FROM ${d.sub(f.allRows, 'fl_all')}) AS fl_r`;
  const last = `p${partial.length - 1}`;
  const sums = [
    'fl_side',
    'count(*) AS rows',
    `coalesce(${d.sum('y')}, 0) AS y_total`,
    `coalesce(${d.sum('y')} FILTER (WHERE fit), 0) AS y_fit`,
    `coalesce(${d.sum('y')} FILTER (WHERE NOT fit), 0) AS y_outside`,
    `coalesce(${d.sum(last)} FILTER (WHERE fit), 0) AS yhat`,
    `coalesce(${d.sum(`abs(${last} - y) / abs(y)`)} FILTER (WHERE fit AND abs(y) > 1e-12), 0) AS ape_sum`,
    'count(*) FILTER (WHERE fit AND abs(y) > 1e-12) AS ape_n',
    ...partial.map((_, j) => `coalesce(${d.sum(`p${j}`)} FILTER (WHERE fit), 0) AS s${j}`),
    // A sum's terms, each summed over the rows the identity prices: their changes are its exact split.
    ...(form === 'sum' ? terms.map((_, i) => `coalesce(${d.sum(`t${i}`)} FILTER (WHERE fit), 0) AS x${i}`) : []),
  ].join(', ');
  // The seed's aggregates: sums, or means for rate-like names.
  const seedSums = terms.map((x, i) => `${isRateLike(x.column) ? `avg(t${i})` : d.sum(`t${i}`)} AS seed${i}`).join(', ');
  const sql = `SELECT seg, ${sums}${req.method === 'seed' ? `, ${seedSums}` : ''}${f.dates ? `, ${DATE_CHECK_AGGREGATES}` : ''} FROM (${perRow}) AS fl_p GROUP BY fl_side, seg`;
  return { form, terms, chain, partial, yhat, fit, inner, by, perSegment, sql };
}

/** Volume drivers (multiplied, not rate-like) come first in the chain. */
function chainRank(t: IdentityTerm): number {
  return t.power === 1 && !isRateLike(t.column) ? 0 : 1;
}

import type { IdentityFit, IdentityForm, IdentityTerm } from '../../../src-shared/artifacts/drivers';
import type { Scan } from '../../sources/scan';
import { candidateIdentities, describeIdentity } from './identity';

/**
 * The identity search: every candidate identity (identity.ts: products, ratios and sums) scored by its MAPE over a large
 * sample of the frames, where the rows live. The sample's numbers are read once (a temporary
 * table in DuckDB, a named subquery on Postgres) and the candidates are scored a few dozen per
 * query: one query over thousands of aggregates takes DuckDB seconds to plan and gigabytes.
 *
 * A wide table has too many pairs to try (3 per pair: 500 numeric columns make 374,250), so
 * beyond MAX_IDENTITY_COLUMNS numeric columns only those whose logarithms correlate most with
 * the metric's are tried: a factor of a product or ratio moves with it on a log scale.
 */

/** Rows of the frames read to search for the identity. */
export const IDENTITY_SAMPLE_ROWS = 50_000;
/** Numeric columns tried at most (6 × 16 × 15 / 2 = 720 pair identities: three products, three sums). */
export const MAX_IDENTITY_COLUMNS = 16;
const CANDIDATES_PER_QUERY = 40;
const COLUMNS_PER_SCREEN_QUERY = 100;

/** Row-level prediction of an identity over columns already read as numbers (NULL when undefined). */
export function predictionExpr(terms: IdentityTerm[], col: (name: string) => string, form: IdentityForm = 'product'): string {
  if (form === 'sum')
    return `(${terms.map((t, i) => `${i === 0 ? (t.power === 1 ? '' : '-') : t.power === 1 ? ' + ' : ' - '}${col(t.column)}`).join('')})`;
  const num = terms.filter((t) => t.power === 1).map((t) => col(t.column));
  const den = terms.filter((t) => t.power === -1).map((t) => col(t.column));
  const top = num.length ? num.join(' * ') : '1.0';
  if (den.length === 0) return `(${top})`;
  const guard = den.map((d) => `abs(${d}) > 1e-12`).join(' AND ');
  return `(CASE WHEN ${guard} THEN (${top}) / (${den.join(' * ')}) END)`;
}

export interface IdentitySearch {
  fits: IdentityFit[];
  /** The columns tried, when fewer than all the numeric columns were (a wide table). */
  screened: { tried: string[]; numeric: number } | null;
}

/**
 * Scores every candidate identity of `metric` over `numeric` (header order) on a sample of the
 * frames (`frames`: their SQL, as a temporary table is made without the scan's named tables).
 */
export async function searchIdentities(
  scan: Pick<Scan, 'rows' | 'dialect' | 'run' | 'define'>,
  frames: string,
  metric: string,
  numeric: string[],
): Promise<IdentitySearch> {
  const d = scan.dialect;
  const sample = `(SELECT * FROM (${frames}) AS fl_all LIMIT ${IDENTITY_SAMPLE_ROWS}) AS fl_sample`;
  let tried = numeric;
  let screened: IdentitySearch['screened'] = null;
  if (numeric.length > MAX_IDENTITY_COLUMNS) {
    tried = await closestOnLogScale(scan, metric, numeric, sample);
    screened = { tried, numeric: numeric.length };
  }
  const cols = [`${d.number(metric)} AS y`, ...tried.map((c, i) => `${d.number(c)} AS x${i}`)];
  const numbers = `SELECT ${cols.join(', ')} FROM ${sample}`;
  const all = candidateIdentities(tried);
  // The candidates of a few columns fit one query, which reads the sample itself.
  let from = d.sub(numbers, 'fl_identity_sample');
  if (all.length > CANDIDATES_PER_QUERY) {
    from = 'fl_identity_sample';
    if (scan.run) await scan.run(`CREATE OR REPLACE TEMP TABLE fl_identity_sample AS ${numbers}`);
    else scan.define('fl_identity_sample', numbers);
  }

  const xi = (name: string) => `x${tried.indexOf(name)}`;
  const fits: IdentityFit[] = [];
  for (let at = 0; at < all.length; at += CANDIDATES_PER_QUERY) {
    const chunk = all.slice(at, at + CANDIDATES_PER_QUERY);
    const aggs = chunk.map(({ terms, form }, i) => {
      const p = predictionExpr(terms, xi, form);
      return `avg(abs(${p} - y) / abs(y)) FILTER (WHERE abs(y) > 1e-12) AS m${i}, count(${p}) FILTER (WHERE abs(y) > 1e-12) AS n${i}`;
    });
    const [row] = await scan.rows(`SELECT ${aggs.join(', ')} FROM ${from}`);
    chunk.forEach(({ terms, form }, i) =>
      fits.push({
        expression: describeIdentity(metric, terms, form),
        terms,
        form,
        fit_mape: row?.[`m${i}`] === null ? Number.NaN : Number(row?.[`m${i}`]),
        fit_rows: Number(row?.[`n${i}`] ?? 0),
      }),
    );
  }
  return { fits, screened };
}

/**
 * The MAX_IDENTITY_COLUMNS columns whose log |value| correlates most (either sign) with the
 * metric's over the sample, in header order (ties: the earlier column).
 */
async function closestOnLogScale(
  scan: Pick<Scan, 'rows' | 'dialect'>,
  metric: string,
  numeric: string[],
  sample: string,
): Promise<string[]> {
  const d = scan.dialect;
  const log = (e: string) => `(CASE WHEN abs(${e}) > 1e-12 THEN ln(abs(${e})) END)`;
  const scores: { column: string; order: number; score: number }[] = [];
  for (let at = 0; at < numeric.length; at += COLUMNS_PER_SCREEN_QUERY) {
    const chunk = numeric.slice(at, at + COLUMNS_PER_SCREEN_QUERY);
    const [row] = await scan.rows(
      `SELECT ${chunk.map((_, i) => `corr(${log(`x${i}`)}, ly) AS r${i}`).join(', ')} FROM (SELECT ${log(d.number(metric))} AS ly, ${chunk.map((c, i) => `${d.number(c)} AS x${i}`).join(', ')} FROM ${sample}) AS fl_logs`,
    );
    chunk.forEach((column, i) => {
      const r = Number(row?.[`r${i}`]);
      scores.push({ column, order: at + i, score: row?.[`r${i}`] === null || !Number.isFinite(r) ? -1 : Math.abs(r) });
    });
  }
  return scores
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, MAX_IDENTITY_COLUMNS)
    .sort((a, b) => a.order - b.order)
    .map((s) => s.column);
}

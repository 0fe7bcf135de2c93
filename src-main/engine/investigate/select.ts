import type { Scan } from '../../sources/scan';
import { isRateLike } from '../drivers/names';
import { labelOf, type DriverExpr } from './driver-exprs';

/**
 * Automatic driver selection (the seed's rules, over the first 5,000 rows, computed in DuckDB):
 * numeric drivers ranked by |correlation| with the metric, id-like columns as distinct counts,
 * and low-cardinality categories as distinct counts.
 */
export type Preset = 'id' | 'amount' | 'category' | 'mixed';

export interface SelectOptions {
  preset: Preset | null;
  auto: 'deterministic' | 'numeric-corr';
  dedup: boolean;
  topDrivers: number;
  maxId: number;
  maxCat: number;
  maxNum: number;
}

const SAMPLE = 5000;
const COLUMNS_PER_QUERY = 40;
const TEXT_IDENTITY = ['email', 'name', 'address', 'phone', 'url', 'http', 'uuid', 'guid', 'contact'];

/** The seed matched "ip" anywhere (dropping shipping_cost, zip, tip); we match it as a word. */
function isTextIdentity(lower: string): boolean {
  return TEXT_IDENTITY.some((w) => lower.includes(w)) || /(^|_)ip($|_)/.test(lower);
}

function skipNumeric(name: string, metric: string, date: string): boolean {
  const l = name.toLowerCase();
  if (name === metric || name === date) return true;
  if (l === 'id' || l.endsWith('_id') || l.includes('date') || l.includes('time')) return true;
  if (l.startsWith('count_') || l.endsWith('_count') || l.includes('_count_')) return true;
  return isTextIdentity(l);
}

export async function selectDrivers(
  scan: Pick<Scan, 'rows' | 'dialect' | 'relation'>,
  columns: string[],
  metric: string,
  date: string,
  o: SelectOptions,
): Promise<DriverExpr[]> {
  const d = scan.dialect;
  const numericExpr = (c: string) => d.number(c);
  const sample = d.sub(`SELECT * FROM ${scan.relation} LIMIT ${SAMPLE}`, 'fl_sample');
  // A few columns per query (one query over every column of a wide table takes DuckDB long to
  // plan), each cell's number and text read once in an inner query.
  const s: Record<string, unknown> = {};
  for (let at = 0; at < columns.length; at += COLUMNS_PER_QUERY) {
    const chunk = columns.slice(at, at + COLUMNS_PER_QUERY);
    const cells = `SELECT ${numericExpr(metric)} AS fl_y, ${chunk.map((c, k) => `${numericExpr(c)} AS fl_n${k}, trim(${d.text(c)}) AS fl_t${k}`).join(', ')} FROM ${sample}`;
    const filled = (k: number) => `coalesce(fl_t${k}, '') <> ''`;
    const stats = chunk.flatMap((_, k) => [
      `count(*) FILTER (WHERE ${filled(k)}) AS f${at + k}`,
      `count(fl_n${k}) AS p${at + k}`,
      `corr(fl_n${k}, fl_y) AS r${at + k}`,
      `count(*) FILTER (WHERE fl_n${k} IS NOT NULL AND fl_y IS NOT NULL) AS n${at + k}`,
      // DuckDB counts distinct values of many columns far faster in one long column (below).
      ...(d.name === 'duckdb' ? [] : [`count(DISTINCT lower(fl_t${k})) FILTER (WHERE ${filled(k)}) AS d${at + k}`]),
    ]);
    const [row] = await scan.rows(`SELECT ${stats.join(', ')} FROM (${cells}) AS fl_cells`);
    Object.assign(s, row);
    if (d.name === 'duckdb') {
      const long = `SELECT unnest([${chunk.map((_, k) => at + k).join(', ')}]) AS fl_i, unnest([${chunk.map((c) => `lower(trim(${d.text(c)}))`).join(', ')}]) AS fl_v FROM ${sample}`;
      const distinct = await scan.rows(
        `SELECT fl_i, count(DISTINCT fl_v) FILTER (WHERE coalesce(fl_v, '') <> '') AS d FROM (${long}) AS fl_long GROUP BY fl_i`,
      );
      for (const r of distinct) s[`d${Number(r.fl_i)}`] = r.d;
    }
  }
  const stat = (k: string, i: number) => Number(s[`${k}${i}`] ?? 0);

  // Numeric candidates by |corr| with the metric.
  const numeric = columns
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => {
      if (skipNumeric(c, metric, date)) return false;
      const filled = stat('f', i);
      const distinct = stat('d', i);
      const l = c.toLowerCase();
      const indicator =
        (l.startsWith('is_') || l.startsWith('has_') || ['flag', 'plan', 'indicator', 'bool'].some((w) => l.includes(w))) && distinct <= 10;
      return (
        filled >= 20 &&
        distinct > 3 &&
        !indicator &&
        stat('p', i) / filled >= 0.6 &&
        stat('n', i) >= 20 &&
        Number.isFinite(Number(s[`r${i}`]))
      );
    })
    .map(({ c, i }) => ({ c, score: Math.abs(Number(s[`r${i}`])) }))
    .sort((a, b) => b.score - a.score || (a.c < b.c ? -1 : 1));

  const pickNumeric = async (n: number, skip: Set<string>): Promise<string[]> => {
    const chosen: string[] = [];
    for (const { c } of numeric) {
      if (chosen.length >= n) break;
      if (skip.has(c)) continue;
      if (o.dedup && chosen.length > 0) {
        const [r] = await scan.rows(
          `SELECT ${chosen.map((x, k) => `corr(${numericExpr(c)}, ${numericExpr(x)}) AS r${k}, count(*) FILTER (WHERE ${numericExpr(c)} IS NOT NULL AND ${numericExpr(x)} IS NOT NULL) AS n${k}`).join(', ')} FROM ${sample}`,
        );
        if (chosen.some((_, k) => Number(r?.[`n${k}`]) >= 20 && Math.abs(Number(r?.[`r${k}`])) >= 0.95)) continue;
      }
      chosen.push(c);
    }
    return chosen;
  };
  const numericExprs = (cols: string[]): DriverExpr[] =>
    cols.map((c) => ({ fn: isRateLike(c) ? 'avg' : 'sum', column: c, label: labelOf(isRateLike(c) ? 'avg' : 'sum', c) }));

  const idLike = columns
    .filter((c) => {
      const l = c.toLowerCase();
      if (l.endsWith('_uuid') && columns.some((x) => x.toLowerCase() === `${l.slice(0, -5)}_id`)) return false;
      return l === 'id' || l.endsWith('_id') || l.endsWith('_uuid');
    })
    .sort();
  const categorical = columns
    .map((c, i) => ({ c, i }))
    .filter(({ c, i }) => {
      const l = c.toLowerCase();
      if (c === metric || l.includes('date') || l.includes('time')) return false;
      const filled = stat('f', i);
      const isNumeric = filled >= 20 && stat('p', i) / filled >= 0.8;
      return !isNumeric && filled >= 20 && stat('d', i) >= 2 && stat('d', i) / filled <= 0.35;
    })
    .map(({ c, i }) => {
      const l = c.toLowerCase();
      let score = 0;
      if (
        ['category', 'subcategory', 'segment', 'plan', 'tier', 'type', 'channel', 'region', 'country', 'market', 'vertical'].some((w) =>
          l.includes(w),
        )
      )
        score += 30;
      if (['status', 'invoice', 'backoffice', 'computed', 'created', 'updated', 'last_'].some((w) => l.includes(w))) score -= 30;
      if (['name', 'title', 'description', 'comment', 'note', 'email', 'address'].some((w) => l.includes(w))) score -= 25;
      const d = stat('d', i);
      score += d <= 30 ? 8 : d <= 80 ? 4 : -5;
      return { c, score };
    })
    .sort((a, b) => b.score - a.score || (a.c < b.c ? -1 : 1))
    .map((x) => x.c);
  const distinctExprs = (cols: string[]): DriverExpr[] =>
    cols.map((c) => ({ fn: 'count_distinct', column: c, label: labelOf('count_distinct', c) }));

  switch (o.preset) {
    case 'id':
      return distinctExprs(idLike.slice(0, Math.max(o.maxId, o.topDrivers)));
    case 'amount':
      return numericExprs(await pickNumeric(Math.max(o.maxNum, o.topDrivers), new Set()));
    case 'category':
      return distinctExprs(categorical.slice(0, Math.max(o.maxCat, o.topDrivers)));
    default:
      if (o.preset === null && o.auto === 'numeric-corr') return numericExprs(await pickNumeric(o.topDrivers, new Set()));
      {
        const ids = idLike.slice(0, o.maxId);
        const cats = categorical.slice(0, o.maxCat);
        const nums = await pickNumeric(o.maxNum, new Set([...ids, ...cats]));
        return [...distinctExprs(ids), ...distinctExprs(cats), ...numericExprs(nums)];
      }
  }
}

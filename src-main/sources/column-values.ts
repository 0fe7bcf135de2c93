import type { DayMonthOrder } from './dates';
import type { SqlDialect } from './dialect';
import { quoteLiteral } from './sql';

/**
 * The SQL behind the analyze form's look-ups, in any engine's dialect: a column's most common
 * values, how many rows filters and period windows keep, and a date column's first and last day.
 * Cells compare trimmed, like the group keys and the filters of the analyses.
 */

const trimmed = (column: string, d: SqlDialect) => `trim(coalesce(${d.text(column)}, ''))`;

/** One filter: the column's trimmed cell equals the value (trimmed), ignoring case when asked. */
export function filterMatchSql(column: string, value: string, ignoreCase: boolean, d: SqlDialect): string {
  const cell = trimmed(column, d);
  const wanted = quoteLiteral(value.trim());
  return ignoreCase ? `(lower(${cell}) = lower(${wanted}))` : `(${cell} = ${wanted})`;
}

/** `%text%` for LIKE, with the wildcards of the text itself escaped (backslash is the escape). */
const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A column's filled values with their row counts, most rows first (ties by value), those
 * containing `search` (ignoring case) when it is given: rows v, n; `limit` of them.
 */
export function columnValuesSql(relation: string, column: string, d: SqlDialect, limit: number, search = ''): string {
  const v = trimmed(column, d);
  const found = search.trim() === '' ? '' : ` AND lower(${v}) LIKE ${quoteLiteral(containsPattern(search.trim()))} ESCAPE '\\'`;
  return `SELECT ${v} AS v, count(*) AS n FROM ${relation} WHERE ${v} <> ''${found} GROUP BY ${v} ORDER BY n DESC, v LIMIT ${Math.floor(limit)}`;
}

/** The number of distinct filled values of a column (those containing `search`, when given): one row, n. */
export function distinctValuesSql(relation: string, column: string, d: SqlDialect, search = ''): string {
  const v = trimmed(column, d);
  const found = search.trim() === '' ? '' : ` AND lower(${v}) LIKE ${quoteLiteral(containsPattern(search.trim()))} ESCAPE '\\'`;
  return `SELECT count(DISTINCT ${v}) AS n FROM ${relation} WHERE ${v} <> ''${found}`;
}

export interface DayWindow {
  start: string;
  end: string;
}

/**
 * One row: `rows` (every row), `kept` (rows every filter keeps), `f0`, `f1`, … (rows each filter
 * keeps on its own) and, with a date column, `current` and `previous` (kept rows in each window).
 */
export function matchCountsSql(
  relation: string,
  d: SqlDialect,
  filters: { column: string; value: string }[],
  ignoreCase: boolean,
  period: { column: string; order: DayMonthOrder; current: DayWindow; previous: DayWindow } | null,
): string {
  const each = filters.map((f) => filterMatchSql(f.column, f.value, ignoreCase, d));
  const kept = each.length > 0 ? each.join(' AND ') : 'true';
  const count = (cond: string) => `coalesce(sum(CASE WHEN ${cond} THEN 1 ELSE 0 END), 0)`;
  const parts = ['count(*) AS rows', `${count(kept)} AS kept`, ...each.map((cond, i) => `${count(cond)} AS f${i}`)];
  if (period) {
    const day = d.date(period.column, period.order);
    const within = (w: DayWindow) => `${day} BETWEEN DATE ${quoteLiteral(w.start)} AND DATE ${quoteLiteral(w.end)}`;
    parts.push(
      `${count(`${kept} AND ${within(period.current)}`)} AS current`,
      `${count(`${kept} AND ${within(period.previous)}`)} AS previous`,
    );
  }
  return `SELECT ${parts.join(', ')} FROM ${relation}`;
}

/** One row: the first and last day of a date column (`first`, `last`, as YYYY-MM-DD text) and how many cells read as dates (`n`). */
export function dateRangeSql(relation: string, column: string, d: SqlDialect, order: DayMonthOrder): string {
  const day = d.date(column, order);
  return `SELECT CAST(min(${day}) AS VARCHAR) AS first, CAST(max(${day}) AS VARCHAR) AS last, count(${day}) AS n FROM ${relation}`;
}

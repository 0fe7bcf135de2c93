import type { ColumnType, TableFilter, TablePage } from '../../src-shared/contract';
import { AppError, unknownColumnError } from '../../src-shared/errors';
import type { SqlDialect } from './dialect';
import type { Scan } from './scan';
import { quoteLiteral } from './sql';

/** How the data grid looks at a table: sorted by a column, filtered per column, searched over all columns. */
export interface TableQuery {
  sort: { column: string; direction: 'asc' | 'desc' } | null;
  filters: TableFilter[];
  search: string;
}

/** The largest page the grid asks for. */
export const MAX_PAGE_ROWS = 1000;

const ROW = 'fl_grid_row';

/** A number given to a `>`/`<` filter, as the number rule reads it (',' and '$' dropped). */
function filterNumber(f: TableFilter): number {
  const n = Number(f.value.trim().replaceAll(',', '').replaceAll('$', ''));
  if (f.value.trim() === '' || !Number.isFinite(n))
    throw new AppError('BAD_REQUEST', `the filter ${f.column} ${f.op} '${f.value}' needs a number`, 'Type a number such as 1000 or 2.5.');
  return n;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (2026-02-30 is none). */
function isDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The windows of a `between` filter (`2026-01-01..2026-01-31,2026-03-01..2026-03-31`), each start..end inclusive. */
function filterWindows(f: TableFilter): { start: string; end: string }[] {
  const windows = f.value.split(',').map((w) => {
    const [start = '', end = '', ...rest] = w.trim().split('..');
    return rest.length === 0 && isDay(start) && isDay(end) && start <= end ? { start, end } : null;
  });
  if (windows.length === 0 || windows.some((w) => w === null))
    throw new AppError(
      'BAD_REQUEST',
      `the filter ${f.column} between '${f.value}' needs dates written start..end`,
      'Write a window such as 2026-01-01..2026-01-31 (start on or before end); join several with commas.',
    );
  return windows as { start: string; end: string }[];
}

/** The text of a cell, lowercased, for case-insensitive matching (blank for NULL). */
const lowered = (d: SqlDialect, column: string) => `lower(coalesce(${d.text(column)}, ''))`;

/**
 * The SQL condition of one column filter. `=`, `=i` and `!=` compare the trimmed text, as drill-down
 * filters do; `between` reads the cell as a day the way a sort by date does.
 */
function filterSql(d: SqlDialect, f: TableFilter): string {
  const text = `trim(coalesce(${d.text(f.column)}, ''))`;
  switch (f.op) {
    case '=':
      return `${text} = ${quoteLiteral(f.value.trim())}`;
    case '=i':
      return `lower(${text}) = lower(${quoteLiteral(f.value.trim())})`;
    case 'between': {
      const day = d.date(f.column);
      const within = filterWindows(f).map((w) => `${day} BETWEEN DATE ${quoteLiteral(w.start)} AND DATE ${quoteLiteral(w.end)}`);
      return `(${within.join(' OR ')})`;
    }
    case '!=':
      return `${text} <> ${quoteLiteral(f.value.trim())}`;
    case 'contains':
      return `strpos(${lowered(d, f.column)}, ${quoteLiteral(f.value.toLowerCase())}) > 0`;
    default:
      return `${d.number(f.column)} ${f.op} ${filterNumber(f)}`;
  }
}

/** The WHERE clause of a view ('' when it keeps every row). */
export function whereSql(d: SqlDialect, columns: string[], q: Pick<TableQuery, 'filters' | 'search'>): string {
  for (const f of q.filters) if (!columns.includes(f.column)) throw unknownColumnError('filter', f.column, columns);
  const conds = q.filters.map((f) => filterSql(d, f));
  const search = q.search.trim().toLowerCase();
  if (search !== '') conds.push(`(${columns.map((c) => `strpos(${lowered(d, c)}, ${quoteLiteral(search)}) > 0`).join(' OR ')})`);
  return conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
}

/**
 * The ORDER BY of a sorted view: numbers by value and dates by day (cells that are no number or
 * date after them, blanks last), then the text, then the row's place in the source, so equal
 * keys keep the source's order and pages never overlap.
 */
function orderSql(d: SqlDialect, sort: NonNullable<TableQuery['sort']>, type: ColumnType): string {
  const dir = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const keys = [];
  if (type === 'number') keys.push(`${d.number(sort.column)} ${dir} NULLS LAST`);
  if (type === 'date') keys.push(`${d.date(sort.column)} ${dir} NULLS LAST`);
  keys.push(`${d.text(sort.column)} ${dir} NULLS LAST`, ROW);
  return ` ORDER BY ${keys.join(', ')}`;
}

/**
 * The SQL of `limit` rows of a view from `offset`, each column as text (c0, c1, …). Unsorted, the
 * rows come in the source's own order (a file's line order, a query's ORDER BY); sorted, a row
 * number taken before the sort breaks ties.
 */
export function pageSql(
  scan: Pick<Scan, 'dialect' | 'relation' | 'columns'>,
  types: Record<string, ColumnType>,
  q: TableQuery,
  offset: number,
  limit: number,
): string {
  const d = scan.dialect;
  const where = whereSql(d, scan.columns, q);
  const cells = scan.columns.map((c, i) => `${d.text(c)} AS c${i}`).join(', ');
  const page = ` LIMIT ${Math.floor(limit)} OFFSET ${Math.floor(offset)}`;
  if (!q.sort) return `SELECT ${cells} FROM ${scan.relation}${where}${page}`;
  if (!scan.columns.includes(q.sort.column)) throw unknownColumnError('sort', q.sort.column, scan.columns);
  const numbered = d.sub(`SELECT *, row_number() OVER () AS ${ROW} FROM ${scan.relation}`, 'fl_numbered');
  return `SELECT ${cells} FROM ${numbered}${where}${orderSql(d, q.sort, types[q.sort.column] ?? 'text')}${page}`;
}

/** The count of a view's rows. */
export function countSql(scan: Pick<Scan, 'dialect' | 'relation' | 'columns'>, q: TableQuery): string {
  return `SELECT count(*) AS n FROM ${scan.relation}${whereSql(scan.dialect, scan.columns, q)}`;
}

const cellText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/**
 * A page of a view, read where the data lives. `knownTotal` (the dataset's row count) spares the
 * count of an unfiltered view.
 */
export async function tablePage(
  scan: Scan,
  types: Record<string, ColumnType>,
  q: TableQuery,
  offset: number,
  limit: number,
  knownTotal: number | null = null,
): Promise<TablePage> {
  const limited = Math.min(Math.max(1, limit), MAX_PAGE_ROWS);
  const filtered = q.filters.length > 0 || q.search.trim() !== '';
  const rows = await scan.rows(pageSql(scan, types, q, offset, limited));
  const total = !filtered && knownTotal !== null ? knownTotal : Number((await scan.rows(countSql(scan, q)))[0]?.n ?? 0);
  return { rows: rows.map((r) => scan.columns.map((_, i) => cellText(r[`c${i}`]))), total, offset };
}

/** Every row of a view (at most `cap`), as text cells; refused when the view holds more. */
export async function tableRows(scan: Scan, types: Record<string, ColumnType>, q: TableQuery, cap: number): Promise<(string | null)[][]> {
  const total = Number((await scan.rows(countSql(scan, q)))[0]?.n ?? 0);
  if (total > cap)
    throw new AppError(
      'BAD_REQUEST',
      `this view holds ${total.toLocaleString('en-US')} rows, more than the ${cap.toLocaleString('en-US')} a CSV export takes`,
      'Filter or search the table down first, or read the file with another tool.',
    );
  const rows = await scan.rows(pageSql(scan, types, q, 0, Math.max(total, 1)));
  return rows.map((r) => scan.columns.map((_, i) => cellText(r[`c${i}`])));
}

import type { ColumnType, TableFilter } from '../../../src-shared/contract';
import { formatNumber } from '../../../src-shared/format';

/**
 * How the data grid shows and copies cells. A number cell is shown with thousands separators and
 * its column's decimals (or the ones it was written with); a code spelled with leading zeros ('00123'), a number with
 * more digits than a double holds, and any other text are shown as they are. Copies always take
 * the raw text.
 */
const PLAIN_NUMBER = /^-?(0|[1-9][0-9]*)([.][0-9]+)?$/;

/** A cell as the grid shows it; `columnDecimals` (see below) evens a number column out. */
export function displayCell(raw: string | null, type: ColumnType, columnDecimals?: number): string {
  if (raw === null) return '';
  if (type !== 'number' || !PLAIN_NUMBER.test(raw) || raw.replace(/[-.]/g, '').length > 15) return raw;
  return formatNumber(Number(raw), columnDecimals ?? decimalsOf(raw));
}

/** Digits after the point as written: "340245.0" has 1, "42670.12" 2, "7" none. */
const decimalsOf = (raw: string) => (raw.includes('.') ? raw.length - raw.indexOf('.') - 1 : 0);

/**
 * The decimals a number column shows: the most any of its loaded cells was written with (at most
 * 6), so a column reads evenly ("340,245.00" above "42,670.12", not "340,245.0").
 */
export function columnDecimals(cells: Iterable<string | null>): number {
  let most = 0;
  for (const raw of cells) if (raw !== null && PLAIN_NUMBER.test(raw)) most = Math.max(most, decimalsOf(raw));
  return Math.min(6, most);
}

/** A TSV cell: tabs and line breaks would split the cell, so they become spaces. */
const tsvCell = (raw: string | null) => (raw ?? '').replace(/[\t\r\n]+/g, ' ');

/** Rows of raw cells as tab-separated text, as spreadsheets paste it. */
export function toTsv(rows: (string | null)[][]): string {
  return rows.map((r) => r.map(tsvCell).join('\t')).join('\n');
}

const OP_WORDS: Record<TableFilter['op'], string> = {
  '=': '=',
  '!=': '≠',
  contains: 'contains',
  '>': '>',
  '<': '<',
  '>=': '≥',
  '<=': '≤',
  '=i': '=',
  between: 'in',
};

/** A filter as its chip reads: `city contains zür`, `region = eu (any case)`, `day in 2026-01-01..2026-01-31`. */
export function filterLabel(f: TableFilter): string {
  const label = `${f.column} ${OP_WORDS[f.op]} ${f.value === '' ? '(blank)' : f.value}`;
  return f.op === '=i' ? `${label} (any case)` : label;
}

/** The next sort of a column when its header is clicked: ascending, descending, none. */
export function nextSort(
  current: { column: string; direction: 'asc' | 'desc' } | null,
  column: string,
): { column: string; direction: 'asc' | 'desc' } | null {
  if (current?.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : null;
}

import { csvText, type CsvValue } from '../../../src-shared/csv-cell';

/** A column of an exported table: its header and its cell of a row (raw numbers, not the shown text). */
export interface CsvColumn<T> {
  label: string;
  value: (row: T) => CsvValue | null | undefined;
}

/**
 * A number as exported: unrounded, but without the noise of binary sums (4020509.6500000004 is
 * 4020509.65): 15 significant digits, as many as a double holds exactly.
 */
function exact(value: CsvValue | null | undefined): CsvValue {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' && Number.isFinite(value) ? Number(value.toPrecision(15)) : value;
}

/** A table the workbench shows, as a CSV file: RFC 4180 quoting, formula-like text defused, numbers unformatted. */
export function tableCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  return csvText(
    columns.map((c) => c.label),
    rows.map((row) => columns.map((c) => exact(c.value(row)))),
  );
}

/** The file name of an exported table: the run's title and the table's name, safe on every file system. */
export function csvFileName(runTitle: string, table: string): string {
  const name = `${runTitle} ${table}`
    .replace(/\.csv\b/gi, '')
    .replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return `${name || 'table'}.csv`;
}

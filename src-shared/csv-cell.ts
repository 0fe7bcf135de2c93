/**
 * Cells of the CSV files we write (factor folders, CSV exports of runs, tables exported from the workbench). Text that a spreadsheet
 * would run as a formula gets a leading `'` (OWASP's advice on CSV injection); numbers stay
 * numbers. Cells holding a comma, a quote or a line break are quoted as RFC 4180 says.
 */

/** A number written with a fixed count of decimals; it is a number, so it is never prefixed. */
export interface FixedNumber {
  value: number;
  decimals: number;
}

export type CsvValue = string | number | FixedNumber;

export const fixed = (value: number, decimals: number): FixedNumber => ({ value, decimals });

/** = + - @, tab, CR, LF and their full-width forms start a formula in some spreadsheet. */
const FORMULA_START = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/;

export function csvCell(value: CsvValue): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return value.value.toFixed(value.decimals);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV file: the header, then one line per row, each ending in a newline. */
export function csvText(header: string[], rows: CsvValue[][]): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

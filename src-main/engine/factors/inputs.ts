import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../src-shared/errors';
import type { PostgresSource } from '../../../src-shared/analyze-options';
import { rejectNonTables } from '../../sources/not-a-table';
import { pgSourceLabel, withPgSession } from '../../sources/postgres';
import { readDate } from '../../sources/dates';
import { decideOrder, orderEvidence, type AskedOrder } from './date-order';
import { findPriceColumns, NO_NAMED_COLUMNS, type PriceColumnNames } from './price-columns';
import type { PriceRow } from './returns';

/**
 * The small inputs of the factor commands (prices, weights, factor returns). They are read whole:
 * a factor model needs the full return matrix. Every bad row is an error that names the row.
 */
export async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE',
      `cannot read the ${what} file ${file}: ${(err as Error).message}`,
      `Check the --${what} path.`,
    );
  }
}

/** Where the table of a factor input comes from: a CSV file, or a Postgres query (a query dataset). */
export type TableInput = string | PostgresSource;

export const inputLabel = (input: TableInput): string => (typeof input === 'string' ? input : pgSourceLabel(input));

interface Table {
  /** How the input is named in errors. */
  label: string;
  /** Lower-cased column names, and the names as written. */
  header: string[];
  names: string[];
  rows: string[][];
  /** "prices.csv line 12", or "postgres://…: SELECT … row 11". */
  at(i: number): string;
}

async function readTable(input: TableInput, what: string): Promise<Table> {
  if (typeof input !== 'string') {
    return withPgSession(input, async (session) => {
      const t = await session.describe();
      const rows = await session.query(`SELECT ${t.columns.map((c, i) => `${t.dialect.text(c)} AS c${i}`).join(', ')} FROM ${t.relation}`);
      const label = pgSourceLabel(input);
      if (rows.length === 0)
        throw new AppError(
          'NO_DATA_ROWS',
          `the ${what} query ${label} returns no rows`,
          'Check the query: it must return at least one row.',
        );
      return {
        label,
        header: t.columns.map((c) => c.toLowerCase()),
        names: t.columns,
        rows: rows.map((r) => t.columns.map((_, i) => (r[`c${i}`] === null ? '' : String(r[`c${i}`]).trim()))),
        at: (i) => `${label} row ${i + 1}`,
      };
    });
  }
  const file = input;
  const text = await readText(file, what);
  // The same refusal as every other table: a JSON, YAML or binary file is not a price table.
  rejectNonTables(Buffer.from(text.slice(0, 64 * 1024)), file, text.length <= 64 * 1024);
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    throw new AppError(
      'NOT_A_TABLE',
      `${file} is not a CSV table: ${(err as Error).message}`,
      'Export it as a comma-separated UTF-8 file with a header row, and check the quotes on the line named.',
    );
  }
  if (records.length < 2)
    throw new AppError(
      'NO_DATA_ROWS',
      `the ${what} file ${file} has no data rows`,
      'The file needs a header row and at least one row of values below it.',
    );
  return {
    label: file,
    header: records[0]!.map((h) => h.toLowerCase()),
    names: records[0]!,
    rows: records.slice(1),
    at: (i) => `${file} line ${i + 2}`,
  };
}

function column(t: Table, name: string): number {
  const i = t.header.indexOf(name);
  if (i < 0)
    throw new AppError(
      'UNKNOWN_COLUMN',
      `${t.label} has no '${name}' column. Columns: ${t.header.join(', ')}`,
      `Name the column '${name}' in the header (case does not matter).`,
    );
  return i;
}

function number(text: string | undefined, at: string, col: string): number {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(n))
    throw new AppError(
      'BAD_ARGUMENT',
      `${at}: '${col}' is '${text ?? ''}', not a number`,
      'Fix or remove that row; no value is taken as 0.',
    );
  return n;
}

/**
 * Every distinct date cell read as YYYY-MM-DD: `2000-01-31`, `Jan 31 2000`, `31/01/2000` (the
 * rule of sources/dates.ts), the day/month order decided once for the column. A cell that reads
 * as no date is an error naming its row.
 */
function readDates(table: Table, d: number, asked: AskedOrder): { dates: Map<string, string>; note: string | null } {
  const cells = new Map<string, number>();
  table.rows.forEach((r, i) => {
    if (!cells.has(r[d] ?? '')) cells.set(r[d] ?? '', i);
  });
  const column = table.names[d]!.trim();
  const { order, note } = decideOrder(asked, orderEvidence(cells.keys()), table.label, column);
  const dates = new Map<string, string>();
  for (const [cell, i] of cells) {
    const date = readDate(cell, order);
    if (!date)
      throw new AppError(
        'BAD_ARGUMENT',
        `${table.at(i)}: '${column}' is '${cell}', not a date`,
        'Write dates as 2000-01-31, Jan 31 2000 or 31/01/2000 (one order for the column), or remove that row.',
      );
    dates.set(cell, date);
  }
  return { dates, note };
}

/** A long-form price table: one row per ticker and date, columns found by findPriceColumns. */
export async function readPrices(
  input: TableInput,
  named: PriceColumnNames = NO_NAMED_COLUMNS,
  asked: AskedOrder = 'auto',
): Promise<{ rows: PriceRow[]; dateNote: string | null }> {
  const table = await readTable(input, 'prices');
  const { ticker: t, date: d, price: c } = findPriceColumns(table.names, named, table.label);
  const [priceName, tickerName] = [table.names[c]!.trim(), table.names[t]!.trim()];
  const { dates, note } = readDates(table, d, asked);
  const rows = table.rows.map((r, i) => {
    const close = number(r[c], table.at(i), priceName);
    if (close <= 0)
      throw new AppError(
        'BAD_ARGUMENT',
        `${table.at(i)}: ${priceName} is ${r[c]}; a log return needs positive prices`,
        'Fix or remove that row.',
      );
    if (!r[t]) throw new AppError('BAD_ARGUMENT', `${table.at(i)}: the ${tickerName} is empty`, 'Name the ticker of every row.');
    return { date: dates.get(r[d] ?? '')!, ticker: r[t], close, line: i + 2 };
  });
  return { rows, dateNote: note };
}

/** ticker,weight (portfolio) or ticker with market_value, or shares and price (holdings). */
export async function readWeights(input: TableInput, kind: 'portfolio' | 'holdings'): Promise<Map<string, number>> {
  const table = await readTable(input, kind);
  const { header } = table;
  const t = column(table, 'ticker');
  const out = new Map<string, number>();
  table.rows.forEach((r, i) => {
    const at = table.at(i);
    let w: number;
    if (kind === 'portfolio') w = number(r[column(table, 'weight')], at, 'weight');
    else if (header.includes('market_value')) w = number(r[header.indexOf('market_value')], at, 'market_value');
    else w = number(r[column(table, 'shares')], at, 'shares') * number(r[column(table, 'price')], at, 'price');
    out.set(r[t] ?? '', (out.get(r[t] ?? '') ?? 0) + w);
  });
  return out;
}

/** A date column (named date, else the first) and one or more factor columns. */
export async function readFactors(
  input: TableInput,
  asked: AskedOrder = 'auto',
): Promise<{ names: string[]; dates: string[]; values: number[][]; dateNote: string | null }> {
  const table = await readTable(input, 'factors');
  const { header, names, rows } = table;
  if (header.length < 2)
    throw new AppError(
      'BAD_ARGUMENT',
      `${table.label} needs a date column and at least one factor column`,
      'Give a header like date,MKT,SMB,HML with one row per date.',
    );
  const d = header.includes('date') ? header.indexOf('date') : 0;
  const cols = header.map((_, i) => i).filter((i) => i !== d);
  const { dates, note } = readDates(table, d, asked);
  return {
    names: cols.map((i) => names[i]!.trim()),
    dates: rows.map((r) => dates.get(r[d] ?? '')!),
    values: rows.map((r, i) => cols.map((c) => number(r[c], table.at(i), names[c]!.trim()))),
    dateNote: note,
  };
}

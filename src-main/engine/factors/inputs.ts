import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../src-shared/errors';
import { ISO_DATE } from '../../../src-shared/periods';
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
    throw new AppError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cannot read the ${what} file ${file}: ${(err as Error).message}`, `Check the --${what} path.`);
  }
}

async function readTable(file: string, what: string): Promise<{ header: string[]; rows: string[][] }> {
  const text = await readText(file, what);
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    throw new AppError('NOT_A_TABLE', `${file} is not a CSV table: ${(err as Error).message}`);
  }
  if (records.length < 2) throw new AppError('NO_DATA_ROWS', `the ${what} file ${file} has no data rows`);
  return { header: records[0]!.map((h) => h.toLowerCase()), rows: records.slice(1) };
}

function column(header: string[], name: string, file: string): number {
  const i = header.indexOf(name);
  if (i < 0) throw new AppError('UNKNOWN_COLUMN', `${file} has no '${name}' column. Columns: ${header.join(', ')}`);
  return i;
}

function number(text: string | undefined, file: string, line: number, col: string): number {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(n)) throw new AppError('BAD_ARGUMENT', `${file} line ${line}: '${col}' is '${text ?? ''}', not a number`, 'Fix or remove that row; no value is taken as 0.');
  return n;
}

function isoDate(text: string | undefined, file: string, line: number): string {
  if (!text || !ISO_DATE.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw new AppError('BAD_ARGUMENT', `${file} line ${line}: date '${text ?? ''}' is not YYYY-MM-DD`);
  return text;
}

export async function readPrices(file: string): Promise<PriceRow[]> {
  const { header, rows } = await readTable(file, 'prices');
  const [d, t, c] = [column(header, 'date', file), column(header, 'ticker', file), column(header, 'close', file)];
  // A price history repeats a few thousand dates over many tickers: check each date text once.
  const valid = new Set<string>();
  return rows.map((r, i) => {
    const close = number(r[c], file, i + 2, 'close');
    if (close <= 0) throw new AppError('BAD_ARGUMENT', `${file} line ${i + 2}: close is ${r[c]}; a log return needs positive prices`, 'Fix or remove that row.');
    if (!r[t]) throw new AppError('BAD_ARGUMENT', `${file} line ${i + 2}: the ticker is empty`, 'Name the ticker of every row.');
    const date = r[d]!;
    if (!valid.has(date)) valid.add(isoDate(date, file, i + 2));
    return { date, ticker: r[t], close, line: i + 2 };
  });
}

/** ticker,weight (portfolio) or ticker with market_value, or shares and price (holdings). */
export async function readWeights(file: string, kind: 'portfolio' | 'holdings'): Promise<Map<string, number>> {
  const { header, rows } = await readTable(file, kind);
  const t = column(header, 'ticker', file);
  const out = new Map<string, number>();
  rows.forEach((r, i) => {
    let w: number;
    if (kind === 'portfolio') w = number(r[column(header, 'weight', file)], file, i + 2, 'weight');
    else if (header.includes('market_value')) w = number(r[header.indexOf('market_value')], file, i + 2, 'market_value');
    else w = number(r[column(header, 'shares', file)], file, i + 2, 'shares') * number(r[column(header, 'price', file)], file, i + 2, 'price');
    out.set(r[t] ?? '', (out.get(r[t] ?? '') ?? 0) + w);
  });
  return out;
}

/** A date column (named date, else the first) and one or more factor columns. */
export async function readFactors(file: string): Promise<{ names: string[]; dates: string[]; values: number[][] }> {
  const { header, rows } = await readTable(file, 'factors');
  if (header.length < 2) throw new AppError('BAD_ARGUMENT', `${file} needs a date column and at least one factor column`);
  const d = header.includes('date') ? header.indexOf('date') : 0;
  const cols = header.map((_, i) => i).filter((i) => i !== d);
  const raw = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!.split(',').map((h) => h.trim());
  return {
    names: cols.map((i) => raw[i] ?? header[i]!),
    dates: rows.map((r, i) => isoDate(r[d], file, i + 2)),
    values: rows.map((r, i) => cols.map((c) => number(r[c], file, i + 2, raw[c] ?? header[c]!))),
  };
}

import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../src-shared/errors';
import { quoteIdent, quoteLiteral } from './sql';

/**
 * A delimited text file as a table: its header, delimiter and the DuckDB relation that scans it.
 * The header is read with csv-parse (a well-kept CSV parser, so quoting and BOMs are handled
 * the standard way); the rows are never read into JavaScript: DuckDB scans them.
 */
export interface CsvTable {
  path: string;
  /** File name without extension, used for default artifact names. */
  stem: string;
  delimiter: string;
  columns: string[];
}

const SNIFF_BYTES = 64 * 1024;
const DELIMITERS = [',', '\t', ';', '|'] as const;

export async function inspectCsv(filePath: string): Promise<CsvTable> {
  const absolute = path.resolve(filePath);
  let size: number;
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) {
      throw new AppError('FILE_UNREADABLE', `'${filePath}' is a folder, not a file`, 'Pick a CSV or TSV file.');
    }
    size = info.size;
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new AppError('FILE_NOT_FOUND', `file not found: ${filePath}`, 'Check the path; relative paths are resolved from the current folder.');
    }
    throw new AppError('FILE_UNREADABLE', `cannot read ${filePath}: ${(err as Error).message}`, 'Check that the file exists and that you may read it.');
  }
  if (size === 0) {
    throw new AppError('FILE_EMPTY', `${filePath} is empty`, 'The file has no header and no rows; export the table again.');
  }

  let head: Buffer;
  try {
    const handle = await open(absolute, 'r');
    try {
      const buf = Buffer.alloc(Math.min(SNIFF_BYTES, size));
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new AppError('FILE_UNREADABLE', `cannot read ${filePath}: ${(err as Error).message}`, 'Check that you may read the file.');
  }

  rejectNonTables(head, filePath);

  const text = head.toString('utf8');
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new AppError('FILE_EMPTY', `${filePath} has no header row`, 'The file holds only blank lines; export the table again.');
  }
  const delimiter = chooseDelimiter(text, absolute);
  const header = readHeader(text, delimiter, filePath);
  return { path: absolute, stem: path.parse(absolute).name, delimiter, columns: uniqueNames(header) };
}

function rejectNonTables(head: Buffer, filePath: string): void {
  if (head.includes(0)) {
    const magic = head.subarray(0, 4).toString('latin1');
    const kind = magic === 'PAR1' ? 'a Parquet file' : magic.startsWith('PK') ? 'a zip or Excel file' : 'a binary file';
    throw new AppError('NOT_A_TABLE', `${filePath} looks like ${kind}, not a CSV table`, 'Export the data as CSV (comma or tab separated, UTF-8) and open that file.');
  }
  const start = head.toString('utf8', 0, Math.min(head.length, 512)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<?xml') || /^<(head|body|table|div)[\s>]/.test(start)) {
    throw new AppError('NOT_A_TABLE', `${filePath} is an HTML or XML document, not a CSV table`, 'If you downloaded it from a web page, download the CSV export instead.');
  }
}

function chooseDelimiter(text: string, absolute: string): string {
  const ext = path.extname(absolute).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return '\t';
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  let best: string = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function readHeader(text: string, delimiter: string, filePath: string): string[] {
  try {
    const records = parse(text, { bom: true, delimiter, to: 1, relax_column_count: true, skip_empty_lines: true }) as string[][];
    const header = records[0];
    if (!header || header.length === 0) throw new Error('no header');
    return header.map((h) => h.trim());
  } catch (err) {
    throw new AppError('NOT_A_TABLE', `cannot read a header row from ${filePath}: ${(err as Error).message}`, 'The first line must hold the column names, separated by commas (or tabs).');
  }
}

/** Blank header cells become column_N; repeated names get _2, _3 so every column is addressable. */
function uniqueNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, i) => {
    const base = raw === '' ? `column_${i + 1}` : raw;
    const n = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

/**
 * The DuckDB table function that scans the file with every column as text, so that values keep
 * their exact spelling (group keys) and numbers are parsed by our one rule (see numericExpr).
 */
export function csvRelation(table: CsvTable): string {
  const columns = table.columns.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ');
  return (
    `read_csv(${quoteLiteral(table.path)}, header = true, auto_detect = false, columns = {${columns}}, ` +
    `delim = ${quoteLiteral(table.delimiter)}, quote = '"', escape = '"', strict_mode = true, null_padding = false)`
  );
}

/**
 * The numeric reading of a text cell (the seed's rule): drop every ',' and '$', parse as a
 * double; empty, unparsable and non-finite values are NULL (ignored by aggregates).
 */
export function numericExpr(column: string): string {
  const c = quoteIdent(column);
  // The plain cast handles almost every cell; the cleaning one runs only where it fails.
  const parsed = `coalesce(TRY_CAST(${c} AS DOUBLE), TRY_CAST(replace(replace(trim(${c}), ',', ''), '$', '') AS DOUBLE))`;
  return `(CASE WHEN isfinite(${parsed}) THEN ${parsed} END)`;
}

/** Maps DuckDB's CSV errors to typed errors that say which line is wrong and what to do. */
export function csvScanError(err: unknown, table: CsvTable): AppError {
  const message = err instanceof Error ? err.message : String(err);
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (counts) {
    return new AppError(
      'RAGGED_ROW',
      `${table.path}: line ${line ?? '?'} has ${counts[2]} fields but the header has ${counts[1]}`,
      'Every row needs as many fields as the header; quote values that contain the delimiter, or fix that line.',
    );
  }
  if (/Invalid unicode|not utf-8/i.test(message)) {
    return new AppError('BAD_ENCODING', `${table.path}${line ? ` (line ${line})` : ''} is not UTF-8 text`, 'Save the file as UTF-8 CSV and open it again.');
  }
  if (/unterminated quote|quote/i.test(message) && line) {
    return new AppError('NOT_A_TABLE', `${table.path}: a quoted value starting near line ${line} is never closed`, 'Check the quotes on that line.');
  }
  const first = message.split('\n')[0] ?? message;
  return new AppError('FILE_UNREADABLE', `cannot scan ${table.path}: ${first}`, 'Check that the file is a well-formed CSV.');
}

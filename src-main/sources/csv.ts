import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../src-shared/errors';
import { queryRows, withConnection } from './duckdb';
import { detectFileFormat, nativeReadError, nativeReader, nativeRelation, type FileFormat } from './file-format';
import { rejectNonTables } from './not-a-table';
import { quoteIdent, quoteLiteral } from './sql';

/**
 * A delimited text file as a table: its header, delimiter and the DuckDB relation that scans it.
 * The header is read with csv-parse (a well-kept CSV parser, so quoting and BOMs are handled
 * the standard way); the rows are never read into JavaScript: DuckDB scans them.
 */
export interface CsvTable {
  path: string;
  /** How the file is read: CSV here; Parquet and JSON by DuckDB's own readers (see file-format.ts). */
  format: FileFormat;
  /** File name without extension, used for default artifact names. */
  stem: string;
  delimiter: string;
  columns: string[];
  /** What the reader changed about the header (a repeated or blank column name), in words for the analyst. */
  notices: string[];
}

const SNIFF_BYTES = 64 * 1024;
/** The longest header read (a 5,000-column header with 30-character names is 150 KB). */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
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
      throw new AppError(
        'FILE_NOT_FOUND',
        `file not found: ${filePath}`,
        'Check the path; relative paths are resolved from the current folder.',
      );
    }
    throw new AppError(
      'FILE_UNREADABLE',
      `cannot read ${filePath}: ${(err as Error).message}`,
      'Check that the file exists and that you may read it.',
    );
  }
  if (size === 0) {
    throw new AppError('FILE_EMPTY', `${filePath} is empty`, 'The file has no header and no rows; export the table again.');
  }

  let head: Buffer;
  try {
    const handle = await open(absolute, 'r');
    try {
      let buf = Buffer.alloc(Math.min(SNIFF_BYTES, size));
      let { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      const csv = detectFileFormat(buf.subarray(0, bytesRead), filePath) === 'csv';
      // A wide table's header can be longer than that: read on to its first line end.
      while (csv && bytesRead === buf.length && bytesRead < size && !buf.includes(10) && buf.length < MAX_HEADER_BYTES) {
        const bigger = Buffer.alloc(Math.min(2 * buf.length, size));
        buf.copy(bigger);
        bytesRead += (await handle.read(bigger, bytesRead, bigger.length - bytesRead, bytesRead)).bytesRead;
        buf = bigger;
      }
      head = buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('FILE_UNREADABLE', `cannot read ${filePath}: ${(err as Error).message}`, 'Check that you may read the file.');
  }

  const format = detectFileFormat(head, filePath);
  if (format !== 'csv') return inspectNative(absolute, format);
  rejectNonTables(head, filePath, head.length >= size);

  const text = head.toString('utf8');
  if (text.replace(/^\uFEFF/, '').trim() === '') {
    throw new AppError('FILE_EMPTY', `${filePath} has no header row`, 'The file holds only blank lines; export the table again.');
  }
  const delimiter = chooseDelimiter(text, absolute);
  const header = readHeader(text, delimiter, filePath);
  const { columns, notices } = uniqueNames(header);
  return { path: absolute, format: 'csv', stem: path.parse(absolute).name, delimiter, columns, notices };
}

/** A Parquet or JSON file's columns, as DuckDB's reader sees them. */
async function inspectNative(absolute: string, format: Exclude<FileFormat, 'csv'>): Promise<CsvTable> {
  let columns: string[];
  try {
    const described = await withConnection((conn) => queryRows(conn, `DESCRIBE SELECT * FROM ${nativeReader(format, absolute)}`));
    columns = described.map((r) => String(r.column_name));
  } catch (err) {
    throw nativeReadError(err, absolute, format);
  }
  if (columns.length === 0) throw new AppError('NOT_A_TABLE', `${absolute} holds no columns`, 'Export the table again with its columns.');
  return { path: absolute, format, stem: path.parse(absolute).name, delimiter: ',', columns, notices: [] };
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
    throw new AppError(
      'NOT_A_TABLE',
      `cannot read a header row from ${filePath}: ${(err as Error).message}`,
      'The first line must hold the column names, separated by commas (or tabs).',
    );
  }
}

/**
 * Every column needs its own name (DuckDB compares names ignoring case): a blank header cell
 * becomes column_N, and a name seen before gets the first free _2, _3, … suffix (never one that
 * another header cell already uses). Each change is said in a notice.
 */
function uniqueNames(header: string[]): { columns: string[]; notices: string[] } {
  const names = header.map((raw, i) => (raw === '' ? `column_${i + 1}` : raw));
  const taken = new Set<string>();
  const firstSeen = new Map<string, string>();
  const repeated = names.map((name) => {
    const key = name.toLowerCase();
    if (firstSeen.has(key)) return true;
    firstSeen.set(key, name);
    taken.add(key);
    return false;
  });
  const renamed = new Map<string, { first: string; spellings: Set<string>; as: string[] }>();
  const columns = names.map((name, i) => {
    if (!repeated[i]) return name;
    let n = 2;
    while (taken.has(`${name}_${n}`.toLowerCase())) n++;
    const unique = `${name}_${n}`;
    taken.add(unique.toLowerCase());
    const key = name.toLowerCase();
    const entry = renamed.get(key) ?? { first: firstSeen.get(key)!, spellings: new Set<string>(), as: [] };
    entry.spellings.add(name);
    entry.as.push(unique);
    renamed.set(key, entry);
    return unique;
  });
  const notices: string[] = header.flatMap((raw, i) =>
    raw === '' ? [`header cell ${i + 1} is blank; that column is read as '${names[i]}'`] : [],
  );
  for (const { first, spellings, as } of renamed.values()) {
    const times = as.length === 1 ? 'twice' : `${as.length + 1} times`;
    const spelled = [...spellings].some((s) => s !== first)
      ? ` (ignoring case: ${[...new Set([first, ...spellings])].map((s) => `'${s}'`).join(', ')})`
      : '';
    const which = as.length === 1 ? 'the second is' : 'the others are';
    notices.push(`column '${first}' appears ${times} in the header${spelled}; ${which} read as ${as.map((x) => `'${x}'`).join(', ')}`);
  }
  return { columns, notices };
}

/**
 * The DuckDB table function that scans the file with every column as text, so that values keep
 * their exact spelling (group keys) and numbers are parsed by our one rule (see numericExpr).
 */
export function csvRelation(table: CsvTable): string {
  if (table.format !== 'csv') return nativeRelation(table.format, table.path, table.columns);
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
  if (table.format !== 'csv') return nativeReadError(err, table.path, table.format);
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
    return new AppError(
      'BAD_ENCODING',
      `${table.path}${line ? ` (line ${line})` : ''} is not UTF-8 text`,
      'Save the file as UTF-8 CSV and open it again.',
    );
  }
  if (/unterminated quote|quote/i.test(message) && line) {
    return new AppError(
      'NOT_A_TABLE',
      `${table.path}: a quoted value starting near line ${line} is never closed`,
      'Check the quotes on that line.',
    );
  }
  // DuckDB fixes the line ending from the start of the file; a later line that ends otherwise (a
  // blank line added at the end of a Windows file, rows pasted from another file) stops its parser.
  if (/state machine reached an invalid state/i.test(message) && /new_line = \\r\\n/.test(message)) {
    return new AppError(
      'FILE_UNREADABLE',
      `${table.path} mixes line endings: its lines end in CRLF (Windows) but at least one ends in a bare LF (often a blank line added at the end)`,
      'Save the file with one kind of line ending: remove the blank last line, or convert it (e.g. `dos2unix`, or Save As CSV in a spreadsheet), and open it again.',
    );
  }
  const first = message.split('\n')[0] ?? message;
  return new AppError('FILE_UNREADABLE', `cannot scan ${table.path}: ${first}`, 'Check that the file is a well-formed CSV.');
}

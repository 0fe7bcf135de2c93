import path from 'node:path';
import { AppError } from '../../src-shared/errors';
import { quoteIdent, quoteLiteral } from './sql';

/**
 * The kinds of file that open as a table. CSV (and TSV) is read by our header reader and DuckDB's
 * read_csv; Parquet and JSON by DuckDB's read_parquet and read_json, which this DuckDB build has
 * linked in (nothing is downloaded to read them).
 */
export type FileFormat = 'csv' | 'parquet' | 'json-array' | 'json-lines';

/** The formats in words, for messages that say what the workbench reads. */
export const READABLE_FORMATS = 'CSV or TSV, Parquet, and JSON (an array of records, or one record per line)';

const PARQUET_EXTENSIONS = new Set(['.parquet', '.parq', '.pq']);
const JSON_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.geojson']);

/** Magic bytes of formats that are not read, named so the message says what the file is. */
const KNOWN_BINARIES: { name: string; magic: number[] }[] = [
  { name: 'a PNG image', magic: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'a JPEG image', magic: [0xff, 0xd8, 0xff] },
  { name: 'a GIF image', magic: [0x47, 0x49, 0x46, 0x38] },
  { name: 'a PDF document', magic: [0x25, 0x50, 0x44, 0x46] },
  { name: 'a gzip archive', magic: [0x1f, 0x8b] },
  { name: 'a SQLite database', magic: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65] },
  { name: 'an Arrow/Feather file', magic: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31] },
  { name: 'an old Excel (.xls) or Office file', magic: [0xd0, 0xcf, 0x11, 0xe0] },
];

/**
 * Which reader a file needs, from its first bytes (`head`) and its extension. A Parquet file
 * starts with PAR1; JSON with `[` (an array of records) or `{` (one record per line). A file of
 * another known binary kind (an image, a zip or Excel workbook, a PDF…) is refused with a message
 * naming what it is and what is read. Everything else is treated as CSV, whose own checks follow.
 */
export function detectFileFormat(head: Buffer, filePath: string): FileFormat {
  const ext = path.extname(filePath).toLowerCase();
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (PARQUET_EXTENSIONS.has(ext)) throw unreadable(filePath, 'a file named .parquet that does not start like one (no PAR1 marker)');
  const seen = binaryKind(head);
  if (seen) throw unreadable(filePath, seen);
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start.startsWith('[')) {
    const first = start.slice(1).trimStart();
    // A file that holds only the start of a large array may end right after '[': still an array.
    if (first === '' || first.startsWith('{')) return 'json-array';
    if (first.startsWith(']'))
      throw new AppError('FILE_EMPTY', `${filePath} holds an empty JSON array`, 'The file has no records; export the table again.');
    if (JSON_EXTENSIONS.has(ext) || /^[[\d"-]/.test(first))
      throw unreadable(filePath, 'a JSON array whose items are not records (objects)');
    return 'csv';
  }
  if (start.startsWith('{')) {
    const firstLine = start.split(/\r?\n/, 1)[0]!.trim();
    if (isJsonObject(firstLine)) return 'json-lines';
    if (JSON_EXTENSIONS.has(ext) || /^\{\s*("|\})/.test(start)) {
      throw unreadable(filePath, 'one JSON object spread over several lines, not an array of records or one record per line');
    }
  }
  if (JSON_EXTENSIONS.has(ext)) throw unreadable(filePath, 'a file named .json that does not start with [ or {');
  return 'csv';
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** What a binary file is, from its magic bytes; null when it is none of the known kinds or not binary. */
function binaryKind(head: Buffer): string | null {
  for (const { name, magic } of KNOWN_BINARIES) if (magic.every((b, i) => head[i] === b)) return name;
  if (head[0] === 0x50 && head[1] === 0x4b) return 'a zip archive (an Excel .xlsx workbook is one)';
  return null;
}

function unreadable(filePath: string, seen: string): AppError {
  return new AppError(
    'NOT_A_TABLE',
    `${filePath} looks like ${seen}; the workbench reads ${READABLE_FORMATS}`,
    'Export the data in one of those formats (from a spreadsheet: Save As CSV, UTF-8) and open that file.',
  );
}

/** The DuckDB table function that reads a Parquet or JSON file with its own types. */
export function nativeReader(format: Exclude<FileFormat, 'csv'>, file: string): string {
  if (format === 'parquet') return `read_parquet(${quoteLiteral(file)})`;
  const layout = format === 'json-array' ? 'array' : 'newline_delimited';
  return `read_json(${quoteLiteral(file)}, format = ${quoteLiteral(layout)})`;
}

/**
 * A Parquet or JSON file as a FROM item with every column as text, as a CSV file is read: group
 * keys keep one spelling and numbers go through the one numeric rule (numericExpr). JSON is read
 * with its columns declared as text, so a key whose values mix numbers and strings never fails.
 */
export function nativeRelation(format: Exclude<FileFormat, 'csv'>, file: string, columns: string[]): string {
  if (format === 'parquet') {
    return `(SELECT ${columns.map((c) => `CAST(${quoteIdent(c)} AS VARCHAR) AS ${quoteIdent(c)}`).join(', ')} FROM ${nativeReader(format, file)})`;
  }
  const layout = format === 'json-array' ? 'array' : 'newline_delimited';
  const declared = columns.map((c) => `${quoteLiteral(c)}: 'VARCHAR'`).join(', ');
  return `read_json(${quoteLiteral(file)}, format = ${quoteLiteral(layout)}, columns = {${declared}})`;
}

/** DuckDB's errors while reading a Parquet or JSON file, in words. */
export function nativeReadError(err: unknown, file: string, format: Exclude<FileFormat, 'csv'>): AppError {
  if (err instanceof AppError) return err;
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  const kind = format === 'parquet' ? 'Parquet' : format === 'json-array' ? 'JSON (an array of records)' : 'JSON lines';
  return new AppError(
    'FILE_UNREADABLE',
    `cannot read ${file} as ${kind}: ${first}`,
    format === 'parquet'
      ? 'Check that the file was written completely (a Parquet file ends with PAR1) and export it again.'
      : 'Check that the file is valid JSON: an array of objects, or one object per line.',
  );
}

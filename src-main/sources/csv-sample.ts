import { isAscii, isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { CsvTable } from './csv';

/**
 * The first rows of a CSV file read in JavaScript, for the column profile (a bounded sample, so
 * row-level JavaScript is fine here; full scans stay in DuckDB). The bytes are parsed as they
 * are, and only the cells of the asked columns are kept (as offsets), so memory follows the
 * sample and the asked columns.
 *
 * Only plain RFC 4180 is read here: fields separated by the delimiter, records by \n or \r\n (one
 * kind per file), quoted fields with "" for a quote. Anything else (a row with another number of
 * fields, a blank line, a quote inside an unquoted field, text that is not UTF-8) gives null, and
 * DuckDB reads the sample instead, with its own rules and errors. On plain files the two read the
 * same cells (an empty field is DuckDB's NULL, here null).
 */
export interface CsvSample {
  bytes: Buffer;
  /** The bytes as text when they are ASCII and many cells are read (slicing a string is cheaper than decoding each cell). */
  text: string | null;
  /** Data rows read (at most the asked number). */
  rows: number;
  /** Per asked column: start and end byte of each row's cell, quotes left out. */
  spans: Uint32Array[];
  /** Per asked column: 0 unquoted, 1 quoted, 2 quoted with doubled quotes inside. */
  kinds: Uint8Array[];
}

/** A cell of the sample: null for an empty field (quoted or not: DuckDB reads both as NULL), else its text. */
export function sampleCell(sample: CsvSample, slot: number, row: number): string | null {
  const spans = sample.spans[slot]!;
  const start = spans[2 * row]!;
  const end = spans[2 * row + 1]!;
  if (start === end) return null;
  const kind = sample.kinds[slot]![row]!;
  const text = sample.text !== null ? sample.text.slice(start, end) : sample.bytes.toString('utf8', start, end);
  return kind === 2 ? text.replaceAll('""', '"') : text;
}

const FIRST_READ_BYTES = 1 << 20;
/** Above this many asked cells, the sample is decoded once rather than cell by cell. */
const DECODE_WHOLE_CELLS = 100_000;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Reads up to `maxRows` data rows, keeping the cells of `columnIndexes` (positions in the header).
 * Returns null when the file is not plain CSV (see above).
 */
export async function readCsvSample(table: CsvTable, columnIndexes: number[], maxRows: number): Promise<CsvSample | null> {
  if (table.format !== 'csv') return null; // Parquet and JSON: DuckDB reads the sample
  const handle = await open(table.path, 'r');
  try {
    const size = (await handle.stat()).size;
    let held = Buffer.allocUnsafe(Math.min(size, FIRST_READ_BYTES));
    let bytes = 0;
    for (;;) {
      while (bytes < held.length) {
        const { bytesRead } = await handle.read(held, bytes, held.length - bytes, null);
        if (bytesRead === 0) break;
        bytes += bytesRead;
      }
      const eof = bytes < held.length || bytes >= size;
      const sample = parseSample(held.subarray(0, bytes), eof, table.columns.length, table.delimiter.charCodeAt(0), columnIndexes, maxRows);
      if (sample !== 'more') return sample;
      if (eof) return null;
      // Read on: as far as the lines so far say the sample reaches (with a margin), at least twice as far.
      const lines = countLineEnds(held, bytes);
      const wanted = Math.ceil((bytes / Math.max(lines, 1)) * (maxRows + 2) * 1.1);
      const bigger = Buffer.allocUnsafe(Math.min(size, Math.max(2 * held.length, wanted)));
      held.copy(bigger, 0, 0, bytes);
      held = bigger;
    }
  } finally {
    await handle.close();
  }
}

/** One array cut into `parts` equal views: one allocation however many columns are kept. */
function views<T extends Uint32Array | Uint8Array>(all: T, parts: number): T[] {
  const size = parts === 0 ? 0 : all.length / parts;
  return Array.from({ length: parts }, (_, k) => all.subarray(k * size, (k + 1) * size) as T);
}

function countLineEnds(buf: Buffer, end: number): number {
  let lines = 0;
  for (let at = buf.indexOf(LF); at >= 0 && at < end; at = buf.indexOf(LF, at + 1)) lines++;
  return lines;
}

/**
 * Parses the header and up to maxRows records. 'more': the bytes end before that many records do
 * and more of the file follows. (Also used on a header followed by chosen records of a file.)
 */
export function parseSample(
  bytes: Buffer,
  eof: boolean,
  width: number,
  delimiter: number,
  columnIndexes: number[],
  maxRows: number,
): CsvSample | null | 'more' {
  const slotOf = new Int32Array(width).fill(-1);
  columnIndexes.forEach((c, slot) => (slotOf[c] = slot));
  // Room for as many rows as the bytes hold lines (a short file needs little); it grows if more come.
  let capacity = Math.max(1, Math.min(maxRows, countLineEnds(bytes, bytes.length)));
  let spans = views(new Uint32Array(2 * capacity * columnIndexes.length), columnIndexes.length);
  let kinds = views(new Uint8Array(capacity * columnIndexes.length), columnIndexes.length);
  const n = bytes.length;
  // The bytes that end an unquoted field (or make it irregular): one lookup per byte.
  const special = new Uint8Array(256);
  for (const b of [delimiter, LF, CR, QUOTE]) special[b] = 1;
  let lineEnd = 0; // 1: \n, 2: \r\n
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let row = -1; // the header
  // Without quotes a line end is a record's end, so a data row is read only up to the last asked
  // column (its other fields are DuckDB's to check when it scans the file).
  const lastAsked = bytes.indexOf(QUOTE) < 0 && columnIndexes.length > 0 ? Math.max(...columnIndexes) : width;
  while (row < maxRows && i < n) {
    // A line that ends at once is blank (DuckDB skips those; such files are left to it).
    if (bytes[i] === LF || bytes[i] === CR) return null;
    let field = 0;
    for (;;) {
      if (row >= 0 && field > lastAsked && field < width) {
        const nl = bytes.indexOf(LF, i);
        if (nl < 0 && !eof) return 'more';
        const style = nl > 0 && bytes[nl - 1] === CR ? 2 : 1;
        if (nl >= 0 && lineEnd !== style) return null;
        i = nl < 0 ? n : nl + 1;
        field = width;
        break;
      }
      let start = i;
      let end: number;
      let kind = 0;
      if (i < n && bytes[i] === QUOTE) {
        start = i + 1;
        kind = 1;
        let j = start;
        for (;;) {
          const q = bytes.indexOf(QUOTE, j);
          if (q < 0) return eof ? null : 'more';
          if (q + 1 < n && bytes[q + 1] === QUOTE) {
            kind = 2;
            j = q + 2;
            continue;
          }
          end = q;
          i = q + 1;
          break;
        }
      } else {
        while (i < n && special[bytes[i]!] === 0) i++;
        if (i < n && bytes[i] === QUOTE) return null;
        end = i;
      }
      if (i >= n && !eof) return 'more';
      if (row >= 0 && field < width) {
        const slot = slotOf[field]!;
        if (slot >= 0) {
          spans[slot]![2 * row] = start;
          spans[slot]![2 * row + 1] = end;
          kinds[slot]![row] = kind;
        }
      }
      field++;
      if (i >= n) break; // the last record, without a line end
      const c = bytes[i]!;
      if (c === delimiter) {
        i++;
        continue;
      }
      if (c === LF) {
        if (lineEnd === 2) return null;
        lineEnd = 1;
        i += 1;
      } else if (c === CR) {
        if (i + 1 >= n) return eof ? null : 'more';
        if (bytes[i + 1] !== LF || lineEnd === 1) return null;
        lineEnd = 2;
        i += 2;
      } else return null; // text after a closing quote
      break;
    }
    if (field !== width) return null;
    row++;
    if (row === capacity && row < maxRows) {
      capacity = Math.min(maxRows, 2 * capacity);
      const grownSpans = views(new Uint32Array(2 * capacity * spans.length), spans.length);
      const grownKinds = views(new Uint8Array(capacity * kinds.length), kinds.length);
      spans.forEach((a, slot) => grownSpans[slot]!.set(a));
      kinds.forEach((a, slot) => grownKinds[slot]!.set(a));
      spans = grownSpans;
      kinds = grownKinds;
    }
  }
  if (row < maxRows && !eof) return 'more';
  if (row < 0) return null;
  // The bytes up to the last record read must be UTF-8 (DuckDB refuses other text, and says where).
  const used = bytes.subarray(0, i);
  const ascii = isAscii(used);
  if (!ascii && !isUtf8(used)) return null;
  const text = ascii && columnIndexes.length * row > DECODE_WHOLE_CELLS ? used.toString('latin1') : null;
  return { bytes: used, text, rows: row, spans, kinds };
}

import { open } from 'node:fs/promises';
import type { CsvTable } from '../../sources/csv';
import { parseSample, type CsvSample } from '../../sources/csv-sample';

/**
 * Chosen data rows of a plain CSV file, read in JavaScript: the file is streamed once, records
 * are told apart by their line ends outside quotes, and only the header and the chosen records
 * are kept; those are then parsed as the first rows are (parseSample), so memory follows the
 * sample, not the file.
 *
 * Row numbers count data records from 1, as DuckDB's row_number() over the file does. Anything
 * that could make the two counts differ (a blank line, a record count other than DuckDB's) gives
 * null, and the caller reads the sample with DuckDB instead.
 */

const CHUNK_BYTES = 4 << 20;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * The records numbered `rowNumbers` (ascending, from 1), keeping the cells of `columnIndexes`;
 * `fileRows` is DuckDB's count of the file's data rows. The file is read `chunkBytes` at a time.
 */
export async function readCsvRows(
  table: CsvTable,
  rowNumbers: number[],
  columnIndexes: number[],
  fileRows: number,
  chunkBytes = CHUNK_BYTES,
): Promise<CsvSample | null> {
  if (table.format !== 'csv') return null; // Parquet and JSON: DuckDB reads the rows
  const kept: Buffer[] = [];
  let next = 0; // the next chosen row number's index
  let record = 0; // 0: the header
  let keep = true;
  let inQuote = false;
  let atRecordStart = true;
  const handle = await open(table.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(chunkBytes);
    for (;;) {
      const { bytesRead: n } = await handle.read(buf, 0, chunkBytes, null);
      if (n === 0) break;
      let from = 0; // where the current record's bytes start in this chunk
      let i = 0;
      // The next quote and line end at or after i (-1: none left in the chunk), found once each.
      let quote = buf.indexOf(QUOTE, 0);
      let lineEnd = buf.indexOf(LF, 0);
      if (quote >= n) quote = -1;
      if (lineEnd >= n) lineEnd = -1;
      while (i < n) {
        // A line that ends at once is blank: DuckDB skips those, so its row numbers would differ.
        if (atRecordStart && (buf[i] === LF || buf[i] === CR)) return null;
        atRecordStart = false;
        if (quote >= 0 && quote < i) quote = nextIn(buf, QUOTE, i, n);
        if (inQuote) {
          if (quote < 0) break;
          inQuote = false;
          i = quote + 1;
          continue;
        }
        if (lineEnd >= 0 && lineEnd < i) lineEnd = nextIn(buf, LF, i, n);
        if (lineEnd >= 0 && (quote < 0 || lineEnd < quote)) {
          if (keep) kept.push(Buffer.from(buf.subarray(from, lineEnd + 1)));
          record++;
          keep = next < rowNumbers.length && rowNumbers[next] === record;
          if (keep) next++;
          from = i = lineEnd + 1;
          atRecordStart = true;
        } else if (quote >= 0) {
          inQuote = true;
          i = quote + 1;
        } else break;
      }
      if (keep && from < n) kept.push(Buffer.from(buf.subarray(from, n)));
    }
  } finally {
    await handle.close();
  }
  // A last record without a line end counts too.
  const dataRows = atRecordStart ? record - 1 : record;
  if (inQuote || dataRows !== fileRows || next !== rowNumbers.length) return null;
  const sample = parseSample(
    Buffer.concat(kept),
    true,
    table.columns.length,
    table.delimiter.charCodeAt(0),
    columnIndexes,
    rowNumbers.length,
  );
  return sample === 'more' || sample === null || sample.rows !== rowNumbers.length ? null : sample;
}

function nextIn(buf: Buffer, byte: number, from: number, end: number): number {
  const at = buf.indexOf(byte, from);
  return at >= 0 && at < end ? at : -1;
}

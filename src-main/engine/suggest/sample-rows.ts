import { inspectCsv } from '../../sources/csv';
import { readCsvSample, type CsvSample } from '../../sources/csv-sample';
import type { Scan } from '../../sources/scan';
import { readCsvRows } from './csv-rows';

/**
 * The rows analyze-suggest samples from a CSV file, read in JavaScript: the first `sampleRows`,
 * or `sampleRows` picked by a seeded hash of their row number. The pick is DuckDB's, over the
 * row numbers alone (no cell is read): the same rows as scan.sample() picks, on any machine.
 * `sample` is null when the file is not plain CSV (the caller then samples in SQL).
 *
 * `countRows` counts the file's rows with DuckDB (which also checks every row); a first-rows
 * sample that ends before `sampleRows` has read and checked the whole file, so its count is the
 * file's and DuckDB's scan is skipped.
 */
export async function readSuggestSample(
  scan: Scan,
  path: string,
  sampleRows: number,
  seed: number | null,
  countRows: () => Promise<number>,
): Promise<{ fileRows: number; sample: CsvSample | null }> {
  const table = await inspectCsv(path);
  if (table.columns.join('\u0000') !== scan.columns.join('\u0000')) return { fileRows: await countRows(), sample: null };
  const every = table.columns.map((_, i) => i);
  if (seed === null) {
    const sample = await readCsvSample(table, every, sampleRows);
    return { fileRows: sample && sample.rows < sampleRows ? sample.rows : await countRows(), sample };
  }
  const fileRows = await countRows();
  const n = Math.min(sampleRows, fileRows);
  if (n === fileRows) return { fileRows, sample: await readCsvSample(table, every, n) };
  const picked = await scan.rows(
    `SELECT fl_row FROM range(1, ${fileRows + 1}) AS fl_rows(fl_row) ORDER BY hash(fl_row, ${Math.floor(seed)}::UBIGINT), fl_row LIMIT ${n}`,
  );
  const rowNumbers = picked.map((r) => Number(r.fl_row)).sort((a, b) => a - b);
  return { fileRows, sample: await readCsvRows(table, rowNumbers, every, fileRows) };
}

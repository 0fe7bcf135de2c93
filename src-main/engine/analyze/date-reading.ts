import { AppError } from '../../../src-shared/errors';
import { formatCount } from '../../../src-shared/format';
import { dayMonthOrder, describeOrder, type DayMonthOrder } from '../../sources/dates';
import { SAMPLE_ROWS } from '../../sources/profile';
import type { Scan } from '../../sources/scan';

/**
 * How a period comparison reads its date column, for every command that has one (analyze,
 * analyze-validate, analyze-drivers, analyze-investigate): the day/month order of `01/07/2026`
 * cells, decided from the column's data, and the filled cells that read as no date (they fall in
 * neither window, so they are counted and reported, never dropped silently).
 */
export interface DateReading {
  column: string;
  order: DayMonthOrder;
  /** Filled date cells (of the rows the analysis keeps) that read as no date. */
  unreadable: number;
  /** Up to five of them, as written (trimmed). */
  examples: string[];
}

const EXAMPLES = 5;

/** The aggregates of the proof column fl_proof (see proofOf). */
const PROOF_AGGREGATES = 'max(CASE WHEN fl_proof = 1 THEN 1 ELSE 0 END) AS pd, max(CASE WHEN fl_proof = 2 THEN 1 ELSE 0 END) AS pm';
const proofOf = (row: Record<string, unknown> | undefined) => ({ dayFirst: Number(row?.pd) === 1, monthFirst: Number(row?.pm) === 1 });

/** The order the first rows prove (the same rows the profile reads); the scans check it against every row. */
export async function sampleDayMonthOrder(scan: Scan, column: string): Promise<DayMonthOrder> {
  const d = scan.dialect;
  const proofs = d.sub(
    `SELECT ${d.dayMonthProof(column)} AS fl_proof FROM ${d.sub(scan.sample(SAMPLE_ROWS, null), 'fl_sample')}`,
    'fl_proofs',
  );
  const [row] = await scan.rows(`SELECT ${PROOF_AGGREGATES} FROM ${proofs}`);
  return dayMonthOrder(proofOf(row));
}

/** The condition of a filled cell that reads as no date. */
function unreadableSql(scan: Scan, column: string, order: DayMonthOrder): string {
  return `(${scan.dialect.date(column, order)} IS NULL AND NOT ${scan.dialect.blank(column)})`;
}

/** A few unreadable cells, as written (trimmed), first seen first. */
export async function unreadableExamples(scan: Scan, column: string, order: DayMonthOrder, keep = 'true'): Promise<string[]> {
  const d = scan.dialect;
  const rows = await scan.rows(
    `SELECT trim(${d.text(column)}) AS v FROM ${scan.relation} WHERE ${keep} AND ${unreadableSql(scan, column, order)} LIMIT 50`,
  );
  return [...new Set(rows.map((r) => String(r.v)))].slice(0, EXAMPLES);
}

/**
 * Reads the whole date column: what its cells prove about the day/month order, and the
 * unreadable cells under the order that follows (among the rows `keep` holds, e.g. --where).
 * One pass, with the cells read by separator (`YYYY-MM-DD` cells take DuckDB's plain cast);
 * only when the cells prove one order does a second pass count under it. `rows`: every row read.
 */
export async function readDateColumn(scan: Scan, column: string, keep = 'true'): Promise<DateReading & { rows: number }> {
  const d = scan.dialect;
  // The date is read once in an inner query, and the proof from the cell passed on (DuckDB shares
  // equal sub-expressions of one SELECT, which would run the date patterns on every cell).
  const dates = d.sub(
    `SELECT ${keep} AS fl_keep, ${d.date(column, 'by-separator')} AS fl_day, ${d.text(column)} AS fl_cell FROM ${scan.relation}`,
    'fl_dates',
  );
  const proofs = d.sub(`SELECT fl_keep, fl_day, fl_cell, ${d.dayMonthProof('fl_cell')} AS fl_proof FROM ${dates}`, 'fl_proofs');
  const [row] = await scan.rows(
    `SELECT count(*) AS n, ${PROOF_AGGREGATES}, count(*) FILTER (WHERE fl_keep AND fl_day IS NULL AND NOT ${d.blank('fl_cell')}) AS u FROM ${proofs}`,
  );
  const order = dayMonthOrder(proofOf(row));
  let unreadable = Number(row?.u ?? 0);
  if (order !== 'by-separator') {
    const [again] = await scan.rows(
      `SELECT count(*) FILTER (WHERE ${keep} AND ${unreadableSql(scan, column, order)}) AS u FROM ${scan.relation}`,
    );
    unreadable = Number(again?.u ?? 0);
  }
  const examples = unreadable > 0 ? await unreadableExamples(scan, column, order, keep) : [];
  return { column, order, unreadable, examples, rows: Number(row?.n ?? 0) };
}

/**
 * Every row with its date read once in `order` (fl_day, the cell as fl_cell), and what its cell
 * says about the column: fl_proof (see dayMonthProof) and fl_unreadable (filled, yet no date).
 * A scan that aggregates these rows with DATE_CHECK_AGGREGATES checks the column in passing.
 */
export function datedRowsSql(scan: Pick<Scan, 'dialect' | 'relation'>, column: string, order: DayMonthOrder): string {
  const d = scan.dialect;
  // The cell is passed on from an inner query (see readDateColumn).
  const dates = d.sub(`SELECT *, ${d.date(column, order)} AS fl_day, ${d.text(column)} AS fl_cell FROM ${scan.relation}`, 'fl_dates');
  return `SELECT *, ${d.dayMonthProof('fl_cell')} AS fl_proof, (fl_day IS NULL AND NOT ${d.blank('fl_cell')}) AS fl_unreadable FROM ${dates}`;
}

/** Aggregates of datedRowsSql's rows: the day/month proof (pd, pm) and the unreadable cells (fl_u). */
export const DATE_CHECK_AGGREGATES = `${PROOF_AGGREGATES}, count(*) FILTER (WHERE fl_unreadable) AS fl_u`;

/** The order the whole column proves and its unreadable cells, from rows (groups) carrying DATE_CHECK_AGGREGATES. */
export function dateCheckOf(rows: Record<string, unknown>[]): { order: DayMonthOrder; unreadable: number } {
  const proof = { dayFirst: rows.some((r) => Number(r.pd) === 1), monthFirst: rows.some((r) => Number(r.pm) === 1) };
  return { order: dayMonthOrder(proof), unreadable: rows.reduce((n, r) => n + Number(r.fl_u ?? 0), 0) };
}

const quoted = (examples: string[]) => examples.map((e) => `'${e}'`).join(', ');
const cells = (n: number) => (n === 1 ? '1 cell' : `${formatCount(n)} cells`);

/** The warning line of unreadable dates (CLI output, report, artifact), or null when there are none. */
export function unreadableDatesWarning(r: DateReading): string | null {
  if (r.unreadable === 0) return null;
  const one = r.unreadable === 1;
  return `${r.column}: ${cells(r.unreadable)} could not be read as ${one ? 'a date and is' : 'dates and are'} in neither period (e.g. ${quoted(r.examples)})`;
}

/** analyze-validate's error for unreadable dates. */
export function unreadableDatesError(r: DateReading): AppError {
  return new AppError(
    'BAD_ARGUMENT',
    `date column '${r.column}' has ${cells(r.unreadable)} that cannot be read as ${r.unreadable === 1 ? 'a date' : 'dates'} (e.g. ${quoted(r.examples)}); analyze would leave ${r.unreadable === 1 ? 'that row' : 'those rows'} out of both periods`,
    `Fix or blank those cells, or pick another date column. Dates may be written 2026-01-07, 01/07/2026, 07.01.2026, 2026/1/7, Jan 7 2026, 7 January 2026 or 20260107 (a time may follow); ${r.column}'s day/month order reads ${describeOrder(r.order)}.`,
    ['dateColumn'],
  );
}

/**
 * The date column of a table when none is named: a column named like a date or time whose filled
 * cells are at least 80% dates in the profile's sample, the most date-like first (SPEC 5.2, 9).
 */
export function likelyDateColumn(columns: readonly { name: string; filled: number; dateLike: number }[]): string | null {
  const found = columns
    .filter((c) => /date|time/i.test(c.name) && c.filled > 0 && c.dateLike / c.filled >= 0.8)
    .sort((a, b) => b.dateLike / b.filled - a.dateLike / a.filled)[0];
  return found?.name ?? null;
}

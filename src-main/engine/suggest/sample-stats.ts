import { cellNumber } from '../../sources/cells';
import { sampleCell, type CsvSample } from '../../sources/csv-sample';
import { readDate, trimSpaces } from '../../sources/dates';
import type { CellReading } from '../../sources/profile';
import type { Scan } from '../../sources/scan';

/**
 * What analyze-suggest reads of each column in its sample of rows: counted in JavaScript over a
 * CSV sample, or in SQL where the rows live (Postgres, or a file that is not plain CSV), with the
 * same answers (tested on the same files).
 */
export interface ColumnStats {
  /** Cells that are not empty after trimming spaces. */
  nonEmpty: number;
  /** Filled cells that read as finite numbers (the number rule: ',' and '$' dropped). */
  numeric: number;
  /** Cells written `YYYY-MM-DD…` that read as dates. */
  isoDates: number;
  /** Distinct trimmed values. */
  distinct: number;
  /** The five most frequent trimmed values with their counts (ties by value, in byte order). */
  topValues: [string, number][];
}

export interface SampleStats {
  sampled: number;
  columns: ColumnStats[];
}

const TOP_VALUES = 5;
/** The start of a `YYYY-MM-DD` cell, as the SQL pattern '^\d{4}-\d{2}-\d{2}' (RE2's \d is ASCII). */
const ISO_START = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/;

/** Numbers only DuckDB can judge (see cellNumber): asked in batches, once per distinct cell. */
export interface NumberReader {
  ask(cells: string[]): Promise<void>;
  reading(raw: string): CellReading;
}

/**
 * The stats of every kept column of a CSV sample (the sample's slots in header order). Equal
 * cells are counted by their bytes first; each distinct cell is then read (number, date) once,
 * and a text is made only where one is needed: a plain decimal's bytes say it is a number.
 */
export async function statsOfCsvSample(sample: CsvSample, numbers: NumberReader): Promise<SampleStats> {
  const distinct = new DistinctCells(sample.rows);
  const columns: ColumnStats[] = [];
  for (let slot = 0; slot < sample.spans.length; slot++) {
    const found = distinct.count(sample, slot);
    const spans = sample.spans[slot]!;
    let trimmedDiffers = false;
    let nonEmpty = 0;
    let numeric = 0;
    let isoDates = 0;
    const later: [string, number][] = [];
    for (let k = 0; k < found; k++) {
      const row = distinct.rowOf[k]!;
      const n = distinct.countOf[k]!;
      if (isPlainDecimal(sample.bytes, spans[2 * row]!, spans[2 * row + 1]!)) {
        nonEmpty += n;
        numeric += n;
        continue;
      }
      const raw = sampleCell(sample, slot, row)!;
      const trimmed = trimSpaces(raw);
      if (trimmed !== raw) trimmedDiffers = true;
      if (trimmed === '') continue;
      nonEmpty += n;
      if (trimmed.length >= 10 && trimmed.charCodeAt(4) === 45 && ISO_START.test(trimmed) && readDate(raw, 'by-separator') !== null)
        isoDates += n;
      const number = cellNumber(raw);
      if (number === 'ask') later.push([raw, n]);
      else if (number !== null) numeric += n;
    }
    if (later.length > 0) {
      await numbers.ask(later.map(([raw]) => raw));
      for (const [raw, n] of later) if (numbers.reading(raw).number !== null) numeric += n;
    }
    if (trimmedDiffers) {
      // Values are the trimmed, non-empty texts: cells that differ only in spaces around them (rare) are merged.
      const values = trimmedCounts(
        Array.from({ length: found }, (_, k) => [sampleCell(sample, slot, distinct.rowOf[k]!)!, distinct.countOf[k]!]),
      );
      columns.push({ nonEmpty, numeric, isoDates, distinct: values.size, topValues: topValues(values) });
    } else {
      const top = distinct.top(sample, slot, found, TOP_VALUES);
      columns.push({
        nonEmpty,
        numeric,
        isoDates,
        distinct: found,
        topValues: top.map((k) => [sampleCell(sample, slot, distinct.rowOf[k]!)!, distinct.countOf[k]!]),
      });
    }
  }
  return { sampled: sample.rows, columns };
}

/**
 * Whether a cell's bytes are a plain decimal: an optional sign, digits with at most one point, no
 * exponent and no spaces, at most 300 characters. Every such cell reads as a finite number under
 * the number rule (cellNumber), needs no text of its own, and is no date.
 */
function isPlainDecimal(bytes: Buffer, start: number, end: number): boolean {
  if (end - start > 300) return false;
  let i = start;
  if (bytes[i] === 43 || bytes[i] === 45) i++;
  let digits = 0;
  let points = 0;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && points === 0) points++;
    else return false;
  }
  return digits > 0;
}

function trimmedCounts(cells: [string, number][]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [raw, n] of cells) {
    const trimmed = trimSpaces(raw);
    if (trimmed !== '') out.set(trimmed, (out.get(trimmed) ?? 0) + n);
  }
  return out;
}

/**
 * The distinct cells of a sample's column, found by their bytes (an open-addressing hash table
 * over the cells' spans, reused column after column): no text is made for a repeated cell. Two
 * cells read the same text exactly when their spans hold the same bytes (quotes are outside the
 * span, and only a quoted cell can hold a doubled quote).
 */
class DistinctCells {
  /** A row holding each distinct cell, and how many rows hold it (the first `count` entries). */
  readonly rowOf: Int32Array;
  readonly countOf: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(rows: number) {
    let size = 16;
    while (size < 2 * rows) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    this.rowOf = new Int32Array(rows);
    this.countOf = new Int32Array(rows);
  }

  /** Finds the distinct non-empty cells of one column; returns how many. */
  count(sample: CsvSample, slot: number): number {
    const { bytes } = sample;
    const spans = sample.spans[slot]!;
    const slots = this.slots.fill(-1);
    let found = 0;
    for (let row = 0; row < sample.rows; row++) {
      const a = spans[2 * row]!;
      const b = spans[2 * row + 1]!;
      if (a === b) continue;
      let h = 0x811c9dc5;
      for (let i = a; i < b; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
      for (let p = h & this.mask; ; p = (p + 1) & this.mask) {
        const k = slots[p]!;
        if (k < 0) {
          slots[p] = found;
          this.rowOf[found] = row;
          this.countOf[found++] = 1;
          break;
        }
        const r = this.rowOf[k]!;
        const ra = spans[2 * r]!;
        if (spans[2 * r + 1]! - ra === b - a && sameBytes(bytes, a, ra, b - a)) {
          this.countOf[k]!++;
          break;
        }
      }
    }
    return found;
  }

  /** The `limit` most frequent of the `found` distinct cells: count descending, then bytes ascending (SQL's text order). */
  top(sample: CsvSample, slot: number, found: number, limit: number): number[] {
    const { bytes } = sample;
    const spans = sample.spans[slot]!;
    const { rowOf, countOf } = this;
    const before = (x: number, y: number) =>
      countOf[x]! > countOf[y]! ||
      (countOf[x] === countOf[y] &&
        compareBytes(bytes, spans[2 * rowOf[x]!]!, spans[2 * rowOf[x]! + 1]!, spans[2 * rowOf[y]!]!, spans[2 * rowOf[y]! + 1]!) < 0);
    const top: number[] = [];
    for (let k = 0; k < found; k++) {
      if (top.length === limit && !before(k, top[limit - 1]!)) continue;
      let at = Math.min(top.length, limit - 1);
      top[at] = k;
      while (at > 0 && before(top[at]!, top[at - 1]!)) {
        [top[at - 1], top[at]] = [top[at]!, top[at - 1]!];
        at--;
      }
    }
    return top;
  }
}

/** Byte order of two spans of the same bytes (unsigned, a prefix first). */
function compareBytes(bytes: Buffer, a: number, aEnd: number, b: number, bEnd: number): number {
  const n = Math.min(aEnd - a, bEnd - b);
  for (let i = 0; i < n; i++) {
    const d = bytes[a + i]! - bytes[b + i]!;
    if (d !== 0) return d;
  }
  return aEnd - a - (bEnd - b);
}

function sameBytes(bytes: Buffer, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/** The most frequent values: count descending, then value in byte order (as SQL orders text). */
function topValues(counts: Iterable<[string, number]>): [string, number][] {
  const top: [string, number][] = [];
  const before = (a: [string, number], b: [string, number]) => a[1] > b[1] || (a[1] === b[1] && byteOrder(a[0], b[0]) < 0);
  for (const entry of counts) {
    if (top.length === TOP_VALUES && !before(entry, top[TOP_VALUES - 1]!)) continue;
    let at = Math.min(top.length, TOP_VALUES - 1);
    if (top.length < TOP_VALUES) top.push(entry);
    else top[at] = entry;
    while (at > 0 && before(top[at]!, top[at - 1]!)) {
      [top[at - 1], top[at]] = [top[at]!, top[at - 1]!];
      at--;
    }
  }
  return top;
}

/**
 * Text order by UTF-8 bytes (code points): JavaScript's < compares UTF-16 units, which puts
 * characters beyond U+FFFF (surrogate pairs) before U+E000…U+FFFF; this moves them after.
 */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unitRank(x) - unitRank(y);
  }
  return a.length - b.length;
}

const unitRank = (u: number) => (u < 0xd800 ? u : u >= 0xe000 ? u - 0x800 : u + 0x2000);

/** Columns per stats query in SQL: Postgres allows 1,664 result columns (4 per column here); DuckDB plans small queries faster. */
const COLUMNS_PER_QUERY = { duckdb: 32, postgres: 200 } as const;

/**
 * The same stats in SQL over the sample `sampleSql`, a few columns per query. DuckDB keeps the
 * sample in a temporary table; a read-only Postgres session names it in each query.
 */
export async function statsInSql(scan: Scan, sampleSql: string): Promise<SampleStats> {
  const d = scan.dialect;
  if (scan.run) await scan.run(`CREATE OR REPLACE TEMP TABLE fl_sample AS ${sampleSql}`);
  else scan.define('fl_sample', sampleSql);
  const perQuery = COLUMNS_PER_QUERY[d.name];
  const columns: ColumnStats[] = [];
  let sampled = 0;
  for (let at = 0; at < Math.max(1, scan.columns.length); at += perQuery) {
    const chunk = scan.columns.slice(at, at + perQuery);
    const stats = chunk.flatMap((name, i) => {
      const c = d.text(name);
      const filled = `coalesce(trim(${c}), '') <> ''`;
      return [
        `count(*) FILTER (WHERE ${filled}) AS f${i}`,
        `count(${d.number(name)}) FILTER (WHERE ${filled}) AS n${i}`,
        `count(*) FILTER (WHERE ${d.matches(`trim(${c})`, '^\\d{4}-\\d{2}-\\d{2}')} AND ${d.date(name)} IS NOT NULL) AS d${i}`,
        `count(DISTINCT trim(${c})) FILTER (WHERE ${filled}) AS u${i}`,
      ];
    });
    const [row] = (await scan.rows(`SELECT ${['count(*) AS sampled', ...stats].join(', ')} FROM fl_sample`)) as [Record<string, unknown>];
    sampled = Number(row.sampled);
    if (chunk.length === 0) break;
    const top = chunk.map((name, i) => {
      const c = d.text(name);
      return `(SELECT ${i} AS i, trim(${c}) AS v, count(*) AS n FROM fl_sample WHERE coalesce(trim(${c}), '') <> '' GROUP BY 2)`;
    });
    const topRows = await scan.rows(
      `SELECT i, v, n FROM (SELECT i, v, n, row_number() OVER (PARTITION BY i ORDER BY n DESC, v) AS rk FROM (${top.join(' UNION ALL ')}) AS fl_u) AS fl_t WHERE rk <= ${TOP_VALUES} ORDER BY i, n DESC, v`,
    );
    chunk.forEach((_, i) => {
      columns.push({
        nonEmpty: Number(row[`f${i}`]),
        numeric: Number(row[`n${i}`]),
        isoDates: Number(row[`d${i}`]),
        distinct: Number(row[`u${i}`]),
        topValues: topRows.filter((t) => Number(t.i) === i).map((t) => [String(t.v), Number(t.n)]),
      });
    });
  }
  return { sampled, columns };
}

import { cellNumber } from '../../services/sources/cells';
import { sampleCell, type CsvSample } from '../../services/sources/csv-sample';
import { readDate, trimSpaces } from '../../services/sources/dates';
import type { CellReading } from '../../services/sources/profile';
import type { Scan } from '../../services/sources/scan';

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

/** The stats of every kept column of a CSV sample (the sample's slots in header order). */
export async function statsOfCsvSample(sample: CsvSample, numbers: NumberReader): Promise<SampleStats> {
  const columns: ColumnStats[] = [];
  for (let slot = 0; slot < sample.spans.length; slot++) {
    const counts = new Map<string, number>();
    let nonEmpty = 0;
    let numeric = 0;
    let isoDates = 0;
    const later: string[] = [];
    for (let row = 0; row < sample.rows; row++) {
      const raw = sampleCell(sample, slot, row);
      if (raw === null) continue;
      const trimmed = trimSpaces(raw);
      if (trimmed === '') continue;
      nonEmpty++;
      counts.set(trimmed, (counts.get(trimmed) ?? 0) + 1);
      if (ISO_START.test(trimmed) && readDate(raw, 'by-separator') !== null) isoDates++;
      const number = cellNumber(raw);
      if (number === 'ask') later.push(raw);
      else if (number !== null) numeric++;
    }
    if (later.length > 0) {
      await numbers.ask(later);
      for (const raw of later) if (numbers.reading(raw).number !== null) numeric++;
    }
    columns.push({ nonEmpty, numeric, isoDates, distinct: counts.size, topValues: topValues(counts) });
  }
  return { sampled: sample.rows, columns };
}

/** The most frequent values: count descending, then value in byte order (as SQL orders text). */
function topValues(counts: Map<string, number>): [string, number][] {
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

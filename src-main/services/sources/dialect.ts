import { numericExpr } from './csv';
import { dateOfCell, quoteIdent } from './sql';

/**
 * The few SQL differences between the scan engines: DuckDB over files (every column read as
 * text) and Postgres (typed columns, stricter syntax). The scan plans are written once against
 * this interface, so the same plan runs where the data lives.
 */
export interface SqlDialect {
  readonly name: 'duckdb' | 'postgres';
  /** A column's cell as text (group keys, filters). */
  text(column: string): string;
  /** A column's cell as a finite double, or NULL (the seed's rule: ',' and '$' are dropped). */
  number(column: string): string;
  /** The same number, in the column's own type where that sums exactly and faster (only summed or ordered, never divided). */
  summable(column: string): string;
  /** A column's cell as a calendar date (a date, or a timestamp's date part), or NULL. */
  date(column: string): string;
  /** Sum of doubles; DuckDB's compensated fsum keeps totals identical whatever the order. */
  sum(expr: string): string;
  /** Whether a text matches a regular expression (searched anywhere). */
  matches(expr: string, pattern: string): string;
  /** The pattern of "a letter or a digit", in the engine's regex flavour. */
  readonly alnum: string;
  /** The pattern of "one or more characters that are not letters or digits". */
  readonly notAlnumRun: string;
  /** An array of continuous quantiles of `expr` for the probabilities `qs`. */
  quantiles(expr: string, qs: number[]): string;
  /** A typed NULL or zero double. */
  double(literal: '0' | 'NULL'): string;
  /** A derived table (Postgres 15 requires an alias). */
  sub(sql: string, alias: string): string;
  /** GROUP BY the listed output columns. */
  groupBy(columns: string[]): string;
}

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  text: (c) => quoteIdent(c),
  number: (c) => numericExpr(c),
  summable: (c) => numericExpr(c),
  date: (c) => dateOfCell(c),
  sum: (e) => `fsum(${e})`,
  matches: (e, p) => `regexp_matches(${e}, '${p}')`,
  alnum: '[\\p{L}\\p{N}]',
  notAlnumRun: '[^\\p{L}\\p{N}]+',
  quantiles: (e, qs) => `quantile_cont(${e}, [${qs.join(', ')}])`,
  double: (l) => `${l}::DOUBLE`,
  sub: (sql, alias) => `(${sql}) AS ${alias}`,
  groupBy: () => 'GROUP BY ALL',
};

/** Postgres column types (from the query's row description) by how the scan plans read them. */
export type PgColumnKind = 'int' | 'decimal' | 'float' | 'date' | 'text';

/**
 * Postgres: typed numeric and date columns are read directly, in their own type (integers and
 * decimals are summed exactly, and no cast runs per row; NaN and infinities read as NULL); text
 * columns follow the same reading rules as a CSV cell, written with Postgres' regular
 * expressions, so a query and its CSV export give the same numbers.
 */
export function postgresDialect(kinds: Record<string, PgColumnKind>, options: { trustFinite?: boolean } = {}): SqlDialect {
  const NUMBER = `'^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$'`;
  const fromText = (t: string) => {
    const cleaned = `replace(replace(${t}, ',', ''), '$', '')`;
    return `(CASE WHEN ${t} ~ ${NUMBER} THEN (${t})::float8 WHEN ${cleaned} ~ ${NUMBER} THEN (${cleaned})::float8 END)`;
  };
  // A Y-M-D date text (month and day of one or two digits) that names a real day, else NULL:
  // checked before the cast, because a failed cast would end the whole query in Postgres.
  const dateFromText = (t: string) => {
    const head = `substring(trim(${t}) from '^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})([^0-9]|$)')`;
    const y = `split_part(${head}, '-', 1)::int`;
    const m = `split_part(${head}, '-', 2)::int`;
    const d = `split_part(${head}, '-', 3)::int`;
    return `(CASE WHEN ${head} IS NOT NULL AND ${y} >= 1 AND ${m} BETWEEN 1 AND 12 AND ${d} >= 1 AND ${d} <= extract(day FROM (make_date(${y}, ${m}, 1) + interval '1 month - 1 day')) THEN make_date(${y}, ${m}, ${d}) END)`;
  };
  return {
    name: 'postgres',
    text: (c) => `(${quoteIdent(c)})::text`,
    number: (c) => {
      const q = quoteIdent(c);
      switch (kinds[c]) {
        case 'int':
          return `${q}::float8`;
        case 'decimal':
          return `(nullif(nullif(nullif(${q}, 'NaN'::numeric), 'Infinity'::numeric), '-Infinity'::numeric))::float8`;
        case 'float':
          return `nullif(nullif(nullif(${q}, 'NaN'::float8), 'Infinity'::float8), '-Infinity'::float8)`;
        default:
          return fromText(`(${q})::text`);
      }
    },
    summable: (c) => {
      const q = quoteIdent(c);
      // trustFinite: typed numbers are summed as they are (the caller checks the sums and runs the
      // strict plan again when one is NaN or infinite, which a stored NaN or infinity makes it).
      if (options.trustFinite && (kinds[c] === 'decimal' || kinds[c] === 'float')) return q;
      switch (kinds[c]) {
        case 'int':
          return q;
        case 'decimal':
          return `nullif(nullif(nullif(${q}, 'NaN'::numeric), 'Infinity'::numeric), '-Infinity'::numeric)`;
        case 'float':
          return `nullif(nullif(nullif(${q}, 'NaN'::float8), 'Infinity'::float8), '-Infinity'::float8)`;
        default:
          return fromText(`(${q})::text`);
      }
    },
    date: (c) => (kinds[c] === 'date' ? `(${quoteIdent(c)})::date` : dateFromText(`(${quoteIdent(c)})::text`)),
    sum: (e) => `sum(${e})`,
    matches: (e, p) => `(${e} ~ '${p}')`,
    alnum: '[[:alnum:]]',
    notAlnumRun: '[^[:alnum:]]+',
    quantiles: (e, qs) => `percentile_cont(ARRAY[${qs.join(', ')}]::float8[]) WITHIN GROUP (ORDER BY ${e})`,
    double: (l) => `${l}::float8`,
    sub: (sql, alias) => `(${sql}) AS ${alias}`,
    groupBy: (columns) => `GROUP BY ${columns.join(', ')}`,
  };
}

/** How the scan plans read a Postgres column, from its type's OID (pg_type). */
export function pgColumnKind(typeOid: number): PgColumnKind {
  if ([20, 21, 23].includes(typeOid)) return 'int'; // int8, int2, int4
  if (typeOid === 1700) return 'decimal'; // numeric
  if (typeOid === 700 || typeOid === 701) return 'float'; // float4, float8
  if ([1082, 1114, 1184].includes(typeOid)) return 'date'; // date, timestamp, timestamptz
  return 'text';
}

import { numericExpr } from './csv';
import { blankSql, cellTextSql, dayMonthProofSql, textDateSql, type DateSqlFlavor, type DayMonthOrder } from './dates';
import { quoteIdent } from './sql';

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
  /**
   * A column's cell as a calendar date, or NULL: a typed date (or a timestamp's date part), or a
   * text cell read by the date rule (dates.ts) with the column's day/month order.
   */
  date(column: string, order?: DayMonthOrder): string;
  /** Whether a cell is a date written as text, in any form but bare digits and in either day/month order (the profile's date cells). */
  dateLike(column: string): string;
  /** What a cell proves about its column's day/month order (1 day first, 2 month first, else NULL). */
  dayMonthProof(column: string): string;
  /** Whether a cell is blank (NULL, empty, or spaces only). */
  blank(column: string): string;
  /**
   * Whether a cell is spelled as a number that is not a finite one: NaN, an infinity (`inf`,
   * `-Infinity`) or a number too large for a double (`1e309`); such cells are no numbers.
   */
  nonFinite(column: string): string;
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

/** The plain decimal spelling of a number (after ',' and '$' are dropped), in every engine's regex flavour. */
const NUMBER_SPELLING = '^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$';
/** NaN and the infinities, spelled as the engines and spreadsheets write them (lowercased). */
const NON_FINITE_WORD = '^[-+]?(nan|inf|infinity)$';

const duckdbDates: DateSqlFlavor = {
  matches: (e, p) => `regexp_matches(${e}, '${p}')`,
  replace: (e, p, r) => `regexp_replace(${e}, '${p}', '${r}')`,
  fromYmd: (t) => `TRY_CAST(${t} AS DATE)`,
};

/**
 * DuckDB: a `YYYY-MM-DD…` cell that DuckDB's own cast reads with a four-digit year (a time after
 * it included) takes that cast, which gives what the rule gives (tested); every other cell runs
 * the rule's pattern matching. A CASE, as DuckDB's coalesce would evaluate both for every row.
 */
function duckdbDate(column: string, order: DayMonthOrder): string {
  const c = quoteIdent(column);
  return `(CASE WHEN ${c} LIKE '____-__-__%' AND year(TRY_CAST(${c} AS DATE)) >= 1000 THEN TRY_CAST(${c} AS DATE) ELSE ${textDateSql(cellTextSql(c), order, duckdbDates)} END)`;
}

/** The text with ',' and '$' dropped, as the number rule cleans it. */
const cleanedSql = (text: string) => `replace(replace(trim(${text}), ',', ''), '$', '')`;

export const duckdbDialect: SqlDialect = {
  name: 'duckdb',
  text: (c) => quoteIdent(c),
  number: (c) => numericExpr(c),
  summable: (c) => numericExpr(c),
  date: (c, order = 'by-separator') => duckdbDate(c, order),
  dateLike: (c) => {
    const s = cellTextSql(quoteIdent(c));
    return `(${textDateSql(s, 'month-first', duckdbDates, { compact: false })} IS NOT NULL OR ${textDateSql(s, 'day-first', duckdbDates, { compact: false })} IS NOT NULL)`;
  },
  dayMonthProof: (c) => {
    const q = quoteIdent(c);
    return `(CASE WHEN contains(${q}, '/') OR contains(${q}, '.') THEN ${dayMonthProofSql(cellTextSql(q), duckdbDates, (e) => `TRY_CAST(${e} AS INTEGER)`)} END)`;
  },
  blank: (c) => blankSql(quoteIdent(c)),
  nonFinite: (c) => {
    // The patterns run only on cells that are no number (a CASE, so DuckDB evaluates them lazily).
    const cleaned = cleanedSql(quoteIdent(c));
    return `(CASE WHEN ${numericExpr(c)} IS NOT NULL OR ${quoteIdent(c)} IS NULL THEN false ELSE (regexp_matches(lower(${cleaned}), '${NON_FINITE_WORD}') OR regexp_matches(${cleaned}, '${NUMBER_SPELLING}')) END)`;
  },
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
    return `(CASE WHEN ${t} ~ ${NUMBER} THEN ${safeFloat(t)} WHEN ${cleaned} ~ ${NUMBER} THEN ${safeFloat(cleaned)} END)`;
  };
  const dates: DateSqlFlavor = {
    matches: (e, p) => `(${e} ~ '${p}')`,
    replace: (e, p, r) => `regexp_replace(${e}, '${p}', '${r}')`,
    // Checked before make_date, because a failed cast would end the whole query in Postgres; the
    // text is bound once (a scalar subquery) rather than repeated in every check, and the
    // subquery runs only for cells in one of the forms.
    fromYmd: (t) =>
      `(CASE WHEN ${t} IS NOT NULL THEN (SELECT CASE WHEN fl_m BETWEEN 1 AND 12 AND fl_d BETWEEN 1 AND (CASE WHEN fl_m = 2 THEN (CASE WHEN (fl_y % 4 = 0 AND fl_y % 100 <> 0) OR fl_y % 400 = 0 THEN 29 ELSE 28 END) WHEN fl_m IN (4, 6, 9, 11) THEN 30 ELSE 31 END) THEN make_date(fl_y, fl_m, fl_d) END ` +
      `FROM (SELECT split_part(fl_t, '-', 1)::int AS fl_y, split_part(fl_t, '-', 2)::int AS fl_m, split_part(fl_t, '-', 3)::int AS fl_d FROM (SELECT ${t} AS fl_t) AS fl_text) AS fl_ymd) END)`,
  };
  const asText = (c: string) => `(${quoteIdent(c)})::text`;
  return {
    name: 'postgres',
    text: (c) => asText(c),
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
          return fromText(asText(c));
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
          return fromText(asText(c));
      }
    },
    date: (c, order = 'by-separator') =>
      kinds[c] === 'date' ? `(${quoteIdent(c)})::date` : textDateSql(cellTextSql(asText(c)), order, dates),
    dateLike: (c) => {
      if (kinds[c] === 'date') return `(${quoteIdent(c)} IS NOT NULL)`;
      const s = cellTextSql(asText(c));
      return `(${textDateSql(s, 'month-first', dates, { compact: false })} IS NOT NULL OR ${textDateSql(s, 'day-first', dates, { compact: false })} IS NOT NULL)`;
    },
    dayMonthProof: (c) => {
      if (kinds[c] === 'date') return 'NULL::int';
      const t = asText(c);
      return `(CASE WHEN strpos(${t}, '/') > 0 OR strpos(${t}, '.') > 0 THEN ${dayMonthProofSql(cellTextSql(t), dates, (e) => `(${e})::int`)} END)`;
    },
    blank: (c) => blankSql(asText(c)),
    nonFinite: (c) => {
      const q = quoteIdent(c);
      switch (kinds[c]) {
        case 'int':
        case 'date':
          return 'false';
        case 'decimal':
          return `(${q} IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric))`;
        case 'float':
          return `(${q} IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8))`;
        default: {
          const cleaned = cleanedSql(asText(c));
          return `(${fromText(asText(c))} IS NULL AND (lower(${cleaned}) ~ '${NON_FINITE_WORD}' OR ${cleaned} ~ '${NUMBER_SPELLING}'))`;
        }
      }
    },
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

/**
 * A number text (it matched the number pattern) as float8, as DuckDB reads it: too large for a
 * double is no number (NULL), too small is 0. Postgres' own cast raises an error for both, which
 * would end the query, so such texts go through numeric first. Plain short texts cannot be out of
 * range and take the direct cast.
 */
function safeFloat(t: string): string {
  const exponent = `substring(${t} from '[eE]([-+]?[0-9]+)')::numeric`;
  const zeroMantissa = `${t} !~ '^[^eE]*[1-9]'`;
  return (
    `(CASE WHEN length(${t}) <= 200 AND ${t} !~ '[eE][-+]?[0-9]{3}' THEN (${t})::float8 ` +
    `WHEN ${zeroMantissa} THEN 0::float8 ` +
    `WHEN ${t} ~ '[eE]' AND abs(${exponent}) > 900 THEN (CASE WHEN ${exponent} > 0 THEN NULL ELSE 0::float8 END) ` +
    // The bounds are rounded towards the safe side: the cast below never sees a value it refuses.
    `WHEN abs((${t})::numeric) >= 1.7976931348623158e308 THEN NULL ` +
    `WHEN abs((${t})::numeric) <= 2.4703282292062328e-324 THEN 0::float8 ` +
    `ELSE (${t})::numeric::float8 END)`
  );
}

/** How the scan plans read a Postgres column, from its type's OID (pg_type). */
export function pgColumnKind(typeOid: number): PgColumnKind {
  if ([20, 21, 23].includes(typeOid)) return 'int'; // int8, int2, int4
  if (typeOid === 1700) return 'decimal'; // numeric
  if (typeOid === 700 || typeOid === 701) return 'float'; // float4, float8
  if ([1082, 1114, 1184].includes(typeOid)) return 'date'; // date, timestamp, timestamptz
  return 'text';
}

import { isTextDate, trimSpaces } from './dates';

/**
 * The number rule of a text cell in JavaScript, for the sample profile: the same answers as the
 * SQL the scans run (numericExpr in csv.ts and the dialects' nonFinite), on the cells whose
 * spelling leaves no doubt. A cell that only DuckDB's own number parser can judge (an underscore
 * between digits, a tab around a number, …) is answered 'ask', and the profile asks DuckDB.
 */

/**
 * A plain decimal spelling, /^[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/ (the SQL
 * dialects' pattern): sign, digits with an optional point, an optional exponent. See isPlainNumber.
 */
/** NaN and the infinities (lowercased). */
const NON_FINITE_WORD = /^[-+]?(nan|inf|infinity)$/;
/** Characters DuckDB's number parser might make a number of, beyond a plain spelling. */
const MAYBE_NUMBER = /^[0-9.eE+\-_,$ \t\n\r\v\f]*$/;

export type NumberReading = number | null | 'ask';

/** The cell without ',' and '$' (after trimming spaces), as the rule cleans it. */
function cleaned(trimmed: string): string {
  return trimmed.includes(',') || trimmed.includes('$') ? trimmed.replaceAll(',', '').replaceAll('$', '') : trimmed;
}

/** PLAIN_NUMBER.test, by hand (the profile runs it on every sampled cell). */
function isPlainNumber(s: string): boolean {
  const n = s.length;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 43 || c === 45) c = s.charCodeAt(++i); // + -
  let digits = 0;
  while (c >= 48 && c <= 57) {
    digits++;
    c = s.charCodeAt(++i);
  }
  if (c === 46) {
    // .
    c = s.charCodeAt(++i);
    while (c >= 48 && c <= 57) {
      digits++;
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) return false;
  if (c === 101 || c === 69) {
    // e E
    c = s.charCodeAt(++i);
    if (c === 43 || c === 45) c = s.charCodeAt(++i);
    let exponent = 0;
    while (c >= 48 && c <= 57) {
      exponent++;
      c = s.charCodeAt(++i);
    }
    if (exponent === 0) return false;
  }
  return i === n;
}

function plain(text: string): number | null {
  const v = Number(text);
  // Too large for a double: DuckDB reads no number (and neither does the rule).
  return Number.isFinite(v) ? v : null;
}

/** The cell's finite number, null when it is none, or 'ask' when only DuckDB can tell. */
export function cellNumber(raw: string): NumberReading {
  const trimmed = trimSpaces(raw);
  if (isPlainNumber(trimmed)) return plain(trimmed);
  const clean = cleaned(trimmed);
  if (clean !== trimmed && isPlainNumber(clean)) return plain(clean);
  return /[0-9]/.test(raw) && MAYBE_NUMBER.test(raw) ? 'ask' : null;
}

/** Whether a cell that is no number is spelled as one that is not finite: NaN, an infinity, an overflow (1e309). */
export function isNonFiniteNumber(raw: string): boolean {
  const clean = cleaned(trimSpaces(raw));
  return NON_FINITE_WORD.test(clean.toLowerCase()) || isPlainNumber(clean);
}

/** Whether a filled cell is a date written as text (any form but bare digits, either day/month order). */
export function isDateCell(raw: string): boolean {
  // Every form is at least six characters and starts with a digit or a month's first letter.
  const trimmed = trimSpaces(raw);
  if (trimmed.length < 6) return false;
  const c = trimmed.charCodeAt(0) | 0x20;
  return ((c >= 0x30 && c <= 0x39) || 'jfmasond'.includes(String.fromCharCode(c))) && isTextDate(trimmed);
}

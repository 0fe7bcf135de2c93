/** SQL text helpers shared by the scan plans (no database import, so any host can use them). */

/** my col -> "my col" */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** it's -> 'it''s' */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * The calendar date of a text cell (a date, or a timestamp whose date part is read), else NULL.
 * The plain cast handles clean columns fast; the second reads the first ten characters.
 */
export function dateOfCell(column: string): string {
  return `coalesce(TRY_CAST(${quoteIdent(column)} AS DATE), TRY_CAST(left(trim(${quoteIdent(column)}), 10) AS DATE))`;
}

/** SQL text helpers shared by the scan plans (no database import, so any host can use them). */

/** my col -> "my col" */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** it's -> 'it''s' */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

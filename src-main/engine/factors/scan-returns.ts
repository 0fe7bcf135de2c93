import { csvRelation, inspectCsv } from '../../services/sources/csv';
import { withConnection } from '../../services/sources/duckdb';
import { quoteIdent, quoteLiteral } from '../../services/sources/sql';

/**
 * The fast path for reading a price history: DuckDB scans the CSV and computes the log returns
 * (weekends dropped first unless asked), so a 500 x 2,520 history never becomes a million
 * JavaScript objects. It returns null when the file has any problem (a bad date, price or ticker,
 * two prices on a day, a ticker with one price, a missing column): the careful reader in
 * inputs.ts then reports the exact line, so the two paths agree on every valid file.
 */
export async function scanReturns(file: string, includeWeekends: boolean): Promise<Map<string, Map<string, number>> | null> {
  let table;
  try {
    table = await inspectCsv(file);
  } catch {
    return null;
  }
  const find = (name: string) => table.columns.find((c) => c.trim().toLowerCase() === name);
  const [d, t, c] = [find('date'), find('ticker'), find('close')];
  if (!d || !t || !c) return null;
  return withConnection(async (conn) => {
    try {
      await conn.run(
        `CREATE TEMP TABLE prices AS SELECT trim(${quoteIdent(d)}) AS d_text, trim(${quoteIdent(t)}) AS t, TRY_CAST(trim(${quoteIdent(c)}) AS DOUBLE) AS c FROM ${csvRelation(table)}`,
      );
    } catch {
      return null;
    }
    const checks = await conn.runAndReadAll(`
      WITH typed AS (
        SELECT t, c, CASE WHEN regexp_full_match(d_text, '\\d{4}-\\d{2}-\\d{2}') THEN TRY_CAST(d_text AS DATE) END AS d FROM prices
      )
      SELECT
        (SELECT count(*) FROM typed WHERE d IS NULL OR c IS NULL OR NOT isfinite(c) OR c <= 0 OR t IS NULL OR t = '') AS bad,
        (SELECT count(*) FROM (SELECT 1 FROM typed GROUP BY t, d HAVING count(*) > 1)) AS duplicated,
        (SELECT count(*) FROM (SELECT 1 FROM typed ${includeWeekends ? '' : 'WHERE dayofweek(d) NOT IN (0, 6)'} GROUP BY t HAVING count(*) < 2)) AS lonely,
        (SELECT count(*) FROM typed) AS total_rows`);
    const [bad, duplicated, lonely, rows] = checks.getRows()[0]!.map(Number);
    if (bad! > 0 || duplicated! > 0 || lonely! > 0 || rows! < 2) return null;
    const names = (await conn.runAndReadAll('SELECT DISTINCT t FROM prices ORDER BY t')).getColumnsJS()[0] as string[];
    // Ticker ids (their rank in code-unit order, as the careful reader sorts) and day numbers keep the transfer numeric.
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const id = new Map(names.map((n, i) => [n, i]));
    await conn.run(`CREATE TEMP TABLE ids AS SELECT * FROM (VALUES ${names.map((n, i) => `(${quoteLiteral(n)}, ${i})`).join(', ')}) v(t, id)`);
    const reader = await conn.runAndReadAll(`
      WITH typed AS (SELECT t, c, CAST(d_text AS DATE) AS d FROM prices ${includeWeekends ? '' : 'WHERE dayofweek(CAST(d_text AS DATE)) NOT IN (0, 6)'}),
      r AS (SELECT t, d, ln(c / lag(c) OVER (PARTITION BY t ORDER BY d)) AS r FROM typed)
      SELECT ids.id, CAST(d - DATE '1970-01-01' AS INTEGER) AS day, r FROM r JOIN ids USING (t) WHERE r IS NOT NULL ORDER BY ids.id, day`);
    const [tid, days, values] = reader.getColumnsJS() as [number[], number[], number[]];
    const dateText = new Map<number, string>();
    const maps = names.map(() => new Map<string, number>());
    for (let i = 0; i < values.length; i++) {
      const day = days[i]!;
      let text = dateText.get(day);
      if (text === undefined) dateText.set(day, (text = new Date(day * 86_400_000).toISOString().slice(0, 10)));
      maps[tid[i]!]!.set(text, values[i]!);
    }
    void id;
    const out = new Map(names.map((n, i) => [n, maps[i]!]));
    return out;
  });
}

// The reference for `npm run bench`: the same work as `factorlens analyze`, as one bare DuckDB
// query over the CSV with DuckDB's own type detection. Modes: sum, median, period, drivers, wide.
import { DuckDBInstance } from '@duckdb/node-api';

const [file, mode = 'sum'] = process.argv.slice(2);
const rel = `read_csv('${file.replaceAll("'", "''")}', header = true)`;
const queries = {
  sum: `SELECT region, channel, product_line, count(*) AS n, sum(revenue_usd), sum(cost_usd), sum(orders) FROM ${rel} GROUP BY ALL ORDER BY 5 DESC`,
  median: `SELECT region, channel, product_line, count(*) AS n,
      median(revenue_usd), median(cost_usd), median(orders),
      quantile_cont(revenue_usd, [0.5, 0.9]), quantile_cont(cost_usd, [0.5, 0.9]), quantile_cont(orders, [0.5, 0.9])
    FROM ${rel} GROUP BY ALL ORDER BY 5 DESC`,
  period: `WITH t AS (SELECT * FROM ${rel})
    SELECT * FROM (SELECT region, channel, product_line, count(*) AS n, sum(revenue_usd), sum(cost_usd), sum(orders) FROM t GROUP BY ALL)
    UNION ALL BY NAME
    SELECT * FROM (SELECT CASE WHEN order_date BETWEEN DATE '2026-05-01' AND DATE '2026-05-31' THEN 'current' ELSE 'previous' END AS win,
      region, channel, product_line, count(*) AS n, sum(revenue_usd) FROM t
      WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-05-31' GROUP BY ALL)`,
  drivers: `SELECT CASE WHEN order_date BETWEEN DATE '2026-05-01' AND DATE '2026-05-31' THEN 'new' ELSE 'base' END AS side,
      count(*), sum(revenue_usd), sum(orders), sum(orders * avg_price_usd), avg(abs(orders * avg_price_usd - revenue_usd) / abs(revenue_usd))
    FROM ${rel} WHERE order_date BETWEEN DATE '2026-04-01' AND DATE '2026-05-31' GROUP BY 1`,
};
// wide: the 5,000-column file, its columns named (DuckDB's own detection of 5,000 columns takes
// tens of seconds), summing one of them by the group column: the work `analyze --group-by grp --metrics c1` does.
if (mode === 'wide') {
  const { readFileSync } = await import('node:fs');
  const header = readFileSync(file, 'utf8')
    .slice(0, 1 << 20)
    .split('\n', 1)[0]
    .split(',');
  const columns = `{${header.map((h) => `'${h}': 'VARCHAR'`).join(', ')}}`;
  queries.wide = `SELECT grp, count(*), sum(TRY_CAST(c1 AS DOUBLE)) FROM read_csv('${file.replaceAll("'", "''")}', header = true, auto_detect = false, columns = ${columns}) GROUP BY ALL`;
}
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const reader = await conn.runAndReadAll(queries[mode]);
process.stdout.write(`${reader.currentRowCount} rows\n`);

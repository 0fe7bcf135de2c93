// The reference for `npm run bench`: the same group-by as `factorlens analyze`, as one bare DuckDB
// query over the CSV with DuckDB's own type detection.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const instance = await DuckDBInstance.create(':memory:');
const conn = await instance.connect();
const reader = await conn.runAndReadAll(
  `SELECT region, channel, product_line, count(*) AS n, sum(revenue_usd), sum(cost_usd), sum(orders)
   FROM read_csv('${file.replaceAll("'", "''")}', header = true) GROUP BY ALL ORDER BY 5 DESC`,
);
process.stdout.write(`${reader.currentRowCount} groups\n`);

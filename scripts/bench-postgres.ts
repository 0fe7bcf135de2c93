// `npm run bench` (third part): `factorlens analyze` over a Postgres table through pushdown, side
// by side with psql running the same GROUP BY, at 1M and 5M rows; and the CLI's peak memory at
// both sizes (it should not grow with the table: only the cube comes back). Figures only.
// Run with tsx (it reuses the tests' throwaway server).
import path from 'node:path';
import pg from 'pg';
import { best as bestOf } from './bench-util.mjs';
import { startTestServer } from '../tests/pg/server';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const best = (cmd: string, args: string[]) => bestOf(RUNS, cmd, args, { cwd: root });

const server = await startTestServer();
try {
  const admin = new pg.Client({ connectionString: server.url() });
  await admin.connect();
  for (const rows of [1_000_000, 5_000_000]) {
    process.stdout.write(`Loading ${rows.toLocaleString('en-US')} rows into Postgres…\n`);
    await admin.query(`CREATE TABLE sales_${rows} AS
      SELECT (DATE '2025-01-01' + (i % 540))::date AS order_date,
             (ARRAY['US','EU','APAC','LATAM','MEA'])[1 + i % 5] AS region,
             (ARRAY['Direct','Partner','Marketplace'])[1 + (i / 5) % 3] AS channel,
             (ARRAY['Core','Premium','AddOn','Services'])[1 + (i / 15) % 4] AS product_line,
             round(((i::bigint * 7919) % 300000) / 100.0 + 200, 2)::numeric(12,2) AS revenue_usd,
             round(((i::bigint * 104729) % 200000) / 100.0, 2)::numeric(12,2) AS cost_usd,
             (1 + i % 60)::int AS orders
      FROM generate_series(1, ${rows}) AS i`);
    await admin.query(`ANALYZE sales_${rows}`);
  }
  await admin.end();
  const psql = (await import('node:child_process')).execFileSync('sh', ['-c', 'command -v psql']).toString().trim();
  process.stdout.write(`\nanalyze over Postgres (pushdown), best of ${RUNS}\n`);
  process.stdout.write(`${'what'.padEnd(52)}${'wall s'.padStart(9)}${'vs psql'.padStart(9)}${'peak MB'.padStart(10)}\n`);
  const peaks: number[] = [];
  let ratio5m = 0;
  for (const rows of [1_000_000, 5_000_000]) {
    const table = `sales_${rows}`;
    const ref = await best(psql, [
      '-X',
      '-q',
      '-o',
      '/dev/null',
      '-d',
      server.url(),
      '-c',
      `SELECT region, channel, product_line, count(*), sum(revenue_usd), sum(cost_usd), sum(orders) FROM ${table} GROUP BY 1, 2, 3`,
    ]);
    const cli = await best(process.execPath, [
      path.join(root, 'bin', 'factorlens.js'),
      'analyze',
      '--postgres-url',
      server.url(),
      '--postgres-ssl-mode',
      'disable',
      '--query',
      `SELECT * FROM ${table}`,
      '--group-by',
      'region,channel,product_line',
      '--metrics',
      'revenue_usd,cost_usd,orders',
      '--rank-by',
      'revenue_usd',
      '--output-format',
      'json',
      '--out',
      path.join(root, 'bench-data', 'bench_pg.json'),
    ]);
    peaks.push(cli.peak);
    if (rows === 5_000_000) ratio5m = cli.seconds / ref.seconds;
    const label = `${(rows / 1e6).toFixed(0)}M rows`;
    process.stdout.write(
      `${`psql GROUP BY (reference), ${label}`.padEnd(52)}${ref.seconds.toFixed(2).padStart(9)}${'1.00x'.padStart(9)}${(ref.peak / 1e6).toFixed(0).padStart(10)}\n`,
    );
    process.stdout.write(
      `${`factorlens analyze (CLI process tree), ${label}`.padEnd(52)}${cli.seconds.toFixed(2).padStart(9)}${`${(cli.seconds / ref.seconds).toFixed(2)}x`.padStart(9)}${(cli.peak / 1e6).toFixed(0).padStart(10)}\n`,
    );
  }
  const flat = peaks[1]! <= peaks[0]! * 1.15;
  process.stdout.write(
    `targets: within 1.5x of psql at 5M rows: ${ratio5m <= 1.5 ? 'met' : 'NOT met'}; client memory flat from 1M to 5M rows (within 15%): ${flat ? 'met' : 'NOT met'}\n`,
  );
} finally {
  server.stop();
}

/**
 * The bad-input battery: every case is a real command line that must fail with a typed error.
 * For each one the built CLI (`node bin/factorlens.js`) must print `Error [CODE]: message` and a
 * `Hint:` line on stderr, no stack trace, exit with the given status (2 for a usage error: a bad
 * flag value or a command line the parser refuses; 1 when the run itself failed), and write
 * nothing: the case's folder holds exactly the files it started with.
 *
 * To add a case, append one object to the table of its command: `args` run in a fresh temp
 * folder holding the `setup` files (paths in args are relative to it; the demo data and the
 * shared fixtures below are absolute). The parser's own errors (a missing required flag, a bad
 * choice, an unknown flag or command, a flag without its value) are typed too: see parserCases.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../src-shared/errors';

const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');
const data = (name: string) => path.join(root, 'data', name);
const SALES = data('factorlens_demo_sales.csv');
const REVENUE = data('demo_revenue_residual.csv');
const PRICES = data('prices.csv');
const FACTORS = data('factors.csv');
const PORTFOLIO = data('portfolio.csv');
const HOLDINGS = data('holdings.csv');

/** Files made once for the cases that need a real artifact (absolute paths, outside the case folders). */
const shared = mkdtempSync(path.join(os.tmpdir(), 'fl-battery-shared-'));
const ANALYZE_JSON = path.join(shared, 'analyze.json');
const SUGGEST_JSON = path.join(shared, 'suggest.json');
const SUGGEST_MD = path.join(shared, 'suggest.md');

interface BadInput {
  name: string;
  args: string[];
  /** Files written in the case's folder before it runs (relative path -> content; a path ending in / is a folder). */
  setup?: Record<string, string | Buffer>;
  code: ErrorCode;
  exit: 1 | 2;
}

// ---- inputs -------------------------------------------------------------------------------

/** Weekdays from Monday 2025-01-06. */
function weekdays(n: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(2025, 0, 6); out.length < n; t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** A long-format price file of `tickers` over `days` weekdays; `edit` may change the rows (after the header). */
function priceCsv(tickers: string[], days: number, edit: (rows: string[]) => string[] = (r) => r): string {
  const rows = weekdays(days).flatMap((date, d) =>
    tickers.map((t, i) => `${date},${t},${(100 + 10 * i + 3 * Math.sin(d * (i + 1))).toFixed(4)}`),
  );
  return `date,ticker,close\n${edit(rows).join('\n')}\n`;
}

// A JSON array of records (or one record per line) is read as a table whatever its name; one object is not a table.
const JSON_OBJECT = '{\n  "report": "sales",\n  "owner": "finance"\n}\n';
const ZIP = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(40, 0), Buffer.from('xl/workbook.xml')]);
const TABLE = 'region,channel,revenue\nEU,Direct,10\nUS,Partner,20\nEU,Partner,5\n';

// ---- the cases ----------------------------------------------------------------------------

/** The file problems every command that reads a table must refuse: the input, its setup and the code. */
const FILE_PROBLEMS: Record<string, { input: string; setup?: BadInput['setup']; code: ErrorCode }> = {
  'missing file': { input: 'missing.csv', code: 'FILE_NOT_FOUND' },
  'a folder as input': { input: 'folder', setup: { 'folder/': '' }, code: 'FILE_UNREADABLE' },
  'empty file': { input: 'e.csv', setup: { 'e.csv': '' }, code: 'FILE_EMPTY' },
  'JSON object named .csv': { input: 'report.csv', setup: { 'report.csv': JSON_OBJECT }, code: 'NOT_A_TABLE' },
  'zip named .csv': { input: 'book.csv', setup: { 'book.csv': ZIP }, code: 'NOT_A_TABLE' },
};

/** `command --input <problem file> ...extra` for each of `problems` (all of them unless given; a few keep the battery fast). */
function fileCases(command: string, extra: string[], problems = Object.keys(FILE_PROBLEMS)): BadInput[] {
  return problems.map((p) => {
    const { input, setup, code } = FILE_PROBLEMS[p]!;
    return { name: `${command}: ${p}`, setup, args: [command, '--input', input, ...extra], code, exit: 1 };
  });
}

const analyzeCases: BadInput[] = [
  ...fileCases('analyze', ['--out', 'out/a.md'], ['missing file', 'a folder as input', 'empty file', 'zip named .csv']),
  {
    name: 'analyze: header only',
    setup: { 'h.csv': 'region,revenue\n' },
    args: ['analyze', '--input', 'h.csv', '--group-by', 'region'],
    code: 'NO_DATA_ROWS',
    exit: 1,
  },
  {
    name: 'analyze: JSON named .csv, --count-only',
    setup: { 'j.csv': '{\n  "a": 1,\n  "b": "x"\n}\n' },
    args: ['analyze', '--input', 'j.csv', '--count-only'],
    code: 'NOT_A_TABLE',
    exit: 1,
  },
  {
    name: 'analyze: YAML named .csv',
    setup: { 'y.csv': 'name: sales\nowner: finance\ncolumns:\n  - region\n' },
    args: ['analyze', '--input', 'y.csv', '--count-only'],
    code: 'NOT_A_TABLE',
    exit: 1,
  },
  {
    name: 'analyze: INI file',
    setup: { 'settings.csv': '[server]\nport=8080\nhost=localhost\n' },
    args: ['analyze', '--input', 'settings.csv', '--count-only'],
    code: 'NOT_A_TABLE',
    exit: 1,
  },
  {
    name: 'analyze: log file',
    setup: { 'app.csv': '2026-01-01 12:00:00 INFO started\n2026-01-01 12:00:05 WARN slow\n' },
    args: ['analyze', '--input', 'app.csv', '--count-only'],
    code: 'NOT_A_TABLE',
    exit: 1,
  },
  {
    name: 'analyze: latin-1 text',
    setup: { 'l.csv': Buffer.from('city,revenue\nMünchen,10\nKöln,20\n', 'latin1') },
    args: ['analyze', '--input', 'l.csv', '--group-by', 'city'],
    code: 'BAD_ENCODING',
    exit: 1,
  },
  {
    name: 'analyze: NUL bytes in text',
    setup: { 'n.csv': 'region,revenue\nEU\u0000,10\n' },
    args: ['analyze', '--input', 'n.csv'],
    code: 'NOT_A_TABLE',
    exit: 1,
  },
  {
    name: 'analyze: ragged row',
    setup: { 'r.csv': 'region,revenue\nEU,10\nUS,20,5\n' },
    args: ['analyze', '--input', 'r.csv', '--group-by', 'region'],
    code: 'RAGGED_ROW',
    exit: 1,
  },
  {
    name: 'analyze: unterminated quote',
    setup: { 'q.csv': 'region,revenue\n"EU,10\nUS,20\n' },
    args: ['analyze', '--input', 'q.csv', '--group-by', 'region'],
    code: 'NOT_A_TABLE',
    exit: 1,
  },
  { name: 'analyze: unknown --group-by', args: ['analyze', '--input', SALES, '--group-by', 'regio'], code: 'UNKNOWN_COLUMN', exit: 1 },
  {
    name: 'analyze: unknown --where column',
    args: ['analyze', '--input', SALES, '--group-by', 'region', '--where', 'country=EU'],
    code: 'UNKNOWN_COLUMN',
    exit: 1,
  },
  {
    name: 'analyze: unknown --date-column',
    args: ['analyze', '--input', SALES, '--group-by', 'region', '--date-column', 'day'],
    code: 'UNKNOWN_COLUMN',
    exit: 1,
  },
  {
    name: 'analyze: non-numeric metric',
    args: ['analyze', '--input', SALES, '--group-by', 'region', '--metrics', 'channel'],
    code: 'NON_NUMERIC_METRIC',
    exit: 1,
  },
  {
    name: 'analyze: nothing to group by',
    setup: { 'ids.csv': 'order_id,amount\n1,10\n2,20\n' },
    args: ['analyze', '--input', 'ids.csv'],
    code: 'NO_GROUP_COLUMNS',
    exit: 1,
  },
  ...['0', '-1', 'abc'].map((v): BadInput => ({
    name: `analyze: --top '${v}'`,
    args: ['analyze', '--input', SALES, '--top', v],
    code: 'BAD_ARGUMENT',
    exit: 2,
  })),
  { name: 'analyze: --auto-group-k 0', args: ['analyze', '--input', SALES, '--auto-group-k', '0'], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'analyze: --auto-group-k 50', args: ['analyze', '--input', SALES, '--auto-group-k', '50'], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'analyze: --percentiles p200', args: ['analyze', '--input', SALES, '--percentiles', 'p200'], code: 'BAD_ARGUMENT', exit: 2 },
  {
    name: 'analyze: --alert-rule without a number',
    args: ['analyze', '--input', SALES, '--alert-rule', 'top5_share>>60'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze: --alert-top5-share not a number',
    args: ['analyze', '--input', SALES, '--alert-top5-share', '60%'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  { name: 'analyze: --where without =', args: ['analyze', '--input', SALES, '--where', 'region'], code: 'BAD_ARGUMENT', exit: 2 },
  {
    name: 'analyze: period flag without --date-column',
    args: ['analyze', '--input', SALES, '--time-grain', 'month'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze: bad --anchor-date',
    args: ['analyze', '--input', SALES, '--date-column', 'order_date', '--anchor-date', '15/04/2026'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze: impossible --anchor-date',
    args: ['analyze', '--input', SALES, '--date-column', 'order_date', '--anchor-date', '2026-02-30'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze: explicit and derived windows together',
    args: [
      'analyze',
      '--input',
      SALES,
      '--date-column',
      'order_date',
      '--time-grain',
      'week',
      '--current-start',
      '2026-03-01',
      '--current-end',
      '2026-03-31',
      '--previous-start',
      '2026-02-01',
      '--previous-end',
      '2026-02-28',
    ],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze: a window that starts after it ends',
    args: [
      'analyze',
      '--input',
      SALES,
      '--date-column',
      'order_date',
      '--current-start',
      '2026-03-31',
      '--current-end',
      '2026-03-01',
      '--previous-start',
      '2026-02-01',
      '--previous-end',
      '2026-02-28',
    ],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze: overlapping windows',
    args: [
      'analyze',
      '--input',
      SALES,
      '--date-column',
      'order_date',
      '--current-start',
      '2026-02-15',
      '--current-end',
      '2026-03-31',
      '--previous-start',
      '2026-02-01',
      '--previous-end',
      '2026-02-28',
    ],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  { name: 'analyze: unknown profile', args: ['analyze', '--input', SALES, '--profile', 'nope'], code: 'BAD_ARGUMENT', exit: 2 },
  {
    name: 'analyze: profile file that is not TOML',
    setup: { 'p.toml': '[profiles.x\ntop = 3\n' },
    args: ['analyze', '--input', SALES, '--profile', 'x', '--profile-config', 'p.toml'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze: --profile-config without --profile',
    setup: { 'p.toml': '[profiles.x]\ntop = 3\n' },
    args: ['analyze', '--input', SALES, '--profile-config', 'p.toml'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  { name: 'analyze: no input at all', args: ['analyze', '--group-by', 'region'], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'analyze: --input and --query', args: ['analyze', '--input', SALES, '--query', 'SELECT 1'], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'analyze: --query without a server', args: ['analyze', '--query', 'SELECT 1'], code: 'BAD_ARGUMENT', exit: 2 },
  {
    name: 'analyze: a URL that is not Postgres',
    args: ['analyze', '--postgres-url', 'mysql://me@127.0.0.1/db', '--query', 'SELECT 1'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
];

const validateCases: BadInput[] = [
  ...fileCases('analyze-validate', [], ['JSON object named .csv']),
  {
    name: 'analyze-validate: a ragged row far down',
    setup: { 'r.csv': `region,revenue\n${'EU,1\n'.repeat(50)}US,2,3\n` },
    args: ['analyze-validate', '--input', 'r.csv', '--group-by', 'region'],
    code: 'RAGGED_ROW',
    exit: 1,
  },
];

const suggestCases: BadInput[] = [
  ...fileCases('analyze-suggest', ['--out', 'out/s.md'], ['missing file', 'JSON object named .csv']),
  {
    name: 'analyze-suggest: --sample-rows 0',
    args: ['analyze-suggest', '--input', SALES, '--out', 'out/s.md', '--sample-rows', '0'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-suggest: --auto-group-k 25',
    args: ['analyze-suggest', '--input', SALES, '--out', 'out/s.md', '--auto-group-k', '25'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-suggest: empty --profile-name',
    args: ['analyze-suggest', '--input', SALES, '--out', 'out/s.md', '--profile-name', ''],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
];

const compareCases: BadInput[] = [
  {
    name: 'analyze-compare: missing --base',
    args: ['analyze-compare', '--base', 'nope.json', '--new', ANALYZE_JSON],
    code: 'FILE_NOT_FOUND',
    exit: 1,
  },
  {
    name: 'analyze-compare: the Markdown report',
    args: ['analyze-compare', '--base', SUGGEST_MD, '--new', ANALYZE_JSON],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-compare: not an analyze artifact',
    args: ['analyze-compare', '--base', ANALYZE_JSON, '--new', SUGGEST_JSON, '--out', 'out/c.md'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-compare: --top-movers 0',
    args: ['analyze-compare', '--base', ANALYZE_JSON, '--new', ANALYZE_JSON, '--top-movers', '0'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
];

const drivers = (...extra: string[]) => ['analyze-drivers', '--input', REVENUE, '--metric', 'revenue_usd', '--out', 'out/d.md', ...extra];
const period = ['--date-column', 'date', '--anchor-date', '2026-04-15'];
const segmentsRun = (...extra: string[]) => [
  'analyze-segments',
  '--input',
  REVENUE,
  '--metric',
  'revenue_usd',
  '--out',
  'out/s.md',
  ...extra,
];
const segmentsCases: BadInput[] = [
  ...fileCases('analyze-segments', ['--metric', 'revenue_usd', '--date-column', 'date', '--anchor-date', '2026-04-15'], ['zip named .csv']),
  {
    name: 'analyze-segments: no comparison (no date column, second file or expected column)',
    args: segmentsRun(),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-segments: a ratio without its denominator',
    args: segmentsRun('--numerator', 'orders', '--date-column', 'date'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-segments: an unknown dimension',
    args: segmentsRun('--dimensions', 'region,country', '--date-column', 'date'),
    code: 'UNKNOWN_COLUMN',
    exit: 1,
  },
  {
    name: 'analyze-segments: --max-depth 4',
    args: segmentsRun('--max-depth', '4', '--date-column', 'date'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-segments: the metric as a dimension',
    args: segmentsRun('--dimensions', 'revenue_usd', '--date-column', 'date'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-segments: a Postgres query with --input-new (two snapshots are two files)',
    args: [
      'analyze-segments',
      '--postgres-url',
      'postgres://nobody@127.0.0.1:1/none',
      '--query',
      'SELECT 1',
      '--input-new',
      REVENUE,
      '--metric',
      'revenue_usd',
    ],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-segments: windows with no rows',
    args: segmentsRun('--date-column', 'date', '--anchor-date', '2020-01-15'),
    code: 'NO_DATA_ROWS',
    exit: 1,
  },
];

const driversCases: BadInput[] = [
  ...fileCases('analyze-drivers', ['--metric', 'revenue_usd', ...period], ['zip named .csv']),
  { name: 'analyze-drivers: no --date-column nor --input-new', args: drivers(), code: 'BAD_ARGUMENT', exit: 2 },
  {
    name: 'analyze-drivers: unknown --metric',
    args: ['analyze-drivers', '--input', REVENUE, '--metric', 'profit', ...period],
    code: 'UNKNOWN_COLUMN',
    exit: 1,
  },
  { name: 'analyze-drivers: unknown --by', args: drivers(...period, '--by', 'country'), code: 'UNKNOWN_COLUMN', exit: 1 },
  {
    name: 'analyze-drivers: --identity without =',
    args: drivers(...period, '--identity', 'orders * avg_price_usd'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-drivers: --identity with an unknown column',
    args: drivers(...period, '--identity', 'revenue_usd = orders * price'),
    code: 'UNKNOWN_COLUMN',
    exit: 1,
  },
  {
    name: 'analyze-drivers: --identity of one term',
    args: drivers(...period, '--identity', 'revenue_usd = orders'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-drivers: --identity for another metric',
    args: drivers(...period, '--identity', 'orders = traffic * conversion_rate'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-drivers: windows without rows',
    args: drivers('--date-column', 'date', '--anchor-date', '2019-01-15'),
    code: 'NO_DATA_ROWS',
    exit: 1,
  },
  {
    name: 'analyze-drivers: overlapping windows',
    args: drivers(
      '--date-column',
      'date',
      '--current-start',
      '2026-03-01',
      '--current-end',
      '2026-03-31',
      '--previous-start',
      '2026-03-15',
      '--previous-end',
      '2026-04-15',
    ),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'analyze-drivers: --input-new with other columns',
    setup: { 'new.csv': TABLE },
    args: drivers('--input-new', 'new.csv'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
];

const investigate = (...extra: string[]) => [
  'analyze-investigate',
  '--input',
  REVENUE,
  '--metric',
  'revenue_usd',
  '--anchor-date',
  '2026-04-15',
  '--out',
  'out/i.md',
  ...extra,
];
const investigateCases: BadInput[] = [
  ...fileCases('analyze-investigate', ['--metric', 'revenue_usd'], ['a folder as input']),
  { name: 'analyze-investigate: --top-drivers 0', args: investigate('--top-drivers', '0'), code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'analyze-investigate: unbalanced --drivers', args: investigate('--drivers', 'sum(orders'), code: 'BAD_ARGUMENT', exit: 2 },
  {
    name: 'analyze-investigate: --drivers on an unknown column',
    args: investigate('--drivers', 'sum(visits)'),
    code: 'UNKNOWN_COLUMN',
    exit: 1,
  },
  { name: 'analyze-investigate: unknown --date-column', args: investigate('--date-column', 'day'), code: 'UNKNOWN_COLUMN', exit: 1 },
  {
    name: 'analyze-investigate: no date column to find',
    setup: { 't.csv': TABLE },
    args: ['analyze-investigate', '--input', 't.csv', '--metric', 'revenue'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
];

const fit = (...extra: string[]) => ['factors', 'fit', '--out', 'out/fit', ...extra];
const TICKERS = ['AAA', 'BBB', 'CCC'];
const factorsCases: BadInput[] = [
  { name: 'factors fit: --k 0', args: fit('--prices', PRICES, '--k', '0'), code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'factors fit: missing prices file', args: fit('--prices', 'nope.csv'), code: 'FILE_NOT_FOUND', exit: 1 },
  {
    name: 'factors fit: prices are JSON',
    setup: { 'p.csv': '[{"date":"2025-01-02","ticker":"AAA","close":1}]' },
    args: fit('--prices', 'p.csv'),
    code: 'NOT_A_TABLE',
    exit: 1,
  },
  {
    name: 'factors fit: prices without a close column',
    setup: { 'p.csv': 'date,ticker,price\n2025-01-06,AAA,1\n' },
    args: fit('--prices', 'p.csv'),
    code: 'UNKNOWN_COLUMN',
    exit: 1,
  },
  {
    name: 'factors fit: a close that is not a number',
    setup: { 'p.csv': priceCsv(TICKERS, 30, (r) => [...r.slice(0, 9), '2025-01-09,AAA,n/a', ...r.slice(10)]) },
    args: fit('--prices', 'p.csv'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'factors fit: a negative close',
    setup: { 'p.csv': priceCsv(TICKERS, 30, (r) => [...r, '2025-03-03,AAA,-5']) },
    args: fit('--prices', 'p.csv'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    // 03/03/2025 or Mar 3 2025 are dates now (issue 16); 30 February is none.
    name: 'factors fit: a date that is no date',
    setup: { 'p.csv': priceCsv(TICKERS, 30, (r) => [...r, '2025-02-30,AAA,101']) },
    args: fit('--prices', 'p.csv'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'factors fit: two prices on one day',
    setup: { 'p.csv': priceCsv(TICKERS, 30, (r) => [...r, r[0]!]) },
    args: fit('--prices', 'p.csv'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'factors fit: one ticker',
    setup: { 'p.csv': priceCsv(['AAA'], 30) },
    args: fit('--prices', 'p.csv'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'factors fit: too few dates',
    setup: { 'p.csv': priceCsv(TICKERS, 10) },
    args: fit('--prices', 'p.csv'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'factors fit: --portfolio with --holdings',
    args: fit('--prices', PRICES, '--portfolio', PORTFOLIO, '--holdings', HOLDINGS),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'factors fit: a portfolio ticker without prices',
    setup: { 'w.csv': 'ticker,weight\nAAA,0.5\nZZZ,0.5\n' },
    args: fit('--prices', PRICES, '--portfolio', 'w.csv'),
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'factors regress: missing --factors file',
    args: ['factors', 'regress', '--prices', PRICES, '--factors', 'nope.csv', '--out', 'out/r'],
    code: 'FILE_NOT_FOUND',
    exit: 1,
  },
  {
    name: 'factors regress: a factor value that is not a number',
    setup: { 'f.csv': 'date,MKT\n2025-01-02,0.1\n2025-01-03,x\n' },
    args: ['factors', 'regress', '--prices', PRICES, '--factors', 'f.csv', '--out', 'out/r'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'factors regress: a factors file with dates only',
    setup: { 'f.csv': 'date\n2025-01-02\n' },
    args: ['factors', 'regress', '--prices', PRICES, '--factors', 'f.csv', '--out', 'out/r'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'factors regress: --newey-west -1',
    args: ['factors', 'regress', '--prices', PRICES, '--factors', FACTORS, '--out', 'out/r', '--newey-west', '-1'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
];

const otherCases: BadInput[] = [
  {
    name: 'report: a folder without artifacts',
    setup: { 'empty/': '' },
    args: ['report', '--artifacts', 'empty'],
    code: 'FILE_NOT_FOUND',
    exit: 1,
  },
  {
    name: 'report: factors.json that is not JSON',
    setup: { 'fit/factors.json': '{ not json' },
    args: ['report', '--artifacts', 'fit', '--out', 'out/report.md'],
    code: 'NOT_A_TABLE',
    exit: 1,
  },
  {
    name: 'explain-analyze: missing model',
    args: ['explain-analyze', '--model', 'nope.gguf', '--analysis-json', ANALYZE_JSON, '--question', 'Why?'],
    code: 'MODEL_MISSING',
    exit: 1,
  },
  {
    name: 'explain-analyze: a model file that is not GGUF',
    setup: { 'm.gguf': 'not a model' },
    args: ['explain-analyze', '--model', 'm.gguf', '--analysis-json', ANALYZE_JSON, '--question', 'Why?'],
    code: 'MODEL_INVALID',
    exit: 1,
  },
  {
    name: 'explain-analyze: missing --analysis-json',
    args: ['explain-analyze', '--model', 'nope.gguf', '--analysis-json', 'nope.json', '--question', 'Why?'],
    code: 'FILE_NOT_FOUND',
    exit: 1,
  },
  {
    name: 'explain-analyze: --temperature 5',
    args: ['explain-analyze', '--model', 'nope.gguf', '--analysis-json', ANALYZE_JSON, '--question', 'Why?', '--temperature', '5'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'explain: a missing artifacts folder',
    args: ['explain', '--model', 'nope.gguf', '--artifacts', 'nope', '--question', 'Why?'],
    code: 'FILE_NOT_FOUND',
    exit: 1,
  },
  { name: 'serve: --port abc', args: ['serve', '--port', 'abc'], code: 'BAD_ARGUMENT', exit: 2 },
  {
    name: 'serve: a workspace that is not one',
    setup: { 'notes.flworkspace': 'just some text\n' },
    args: ['serve', '--port', '0', '--workspace', 'notes.flworkspace'],
    code: 'FILE_UNREADABLE',
    exit: 1,
  },
];

/** Command lines the parser refuses before any command runs: BAD_ARGUMENT, exit 2, like a bad flag value. */
const parserCases: BadInput[] = [
  { name: 'parser: a missing required flag', args: ['analyze-compare', '--base', ANALYZE_JSON], code: 'BAD_ARGUMENT', exit: 2 },
  {
    name: 'parser: a missing required flag of a nested command',
    args: ['factors', 'fit', '--prices', PRICES],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  { name: 'parser: a bad choice', args: ['analyze', '--input', SALES, '--agg', 'avg'], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'parser: an unknown option', args: ['analyze', '--input', SALES, '--bogus'], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'parser: a misspelt option', args: ['analyze', '--input', SALES, '--tpo', '5'], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'parser: an option without its value', args: ['analyze', '--input'], code: 'BAD_ARGUMENT', exit: 2 },
  {
    name: 'parser: an option followed by another flag instead of its value',
    args: ['analyze', '--input', SALES, '--top', '--count-only'],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  {
    name: 'parser: a word that belongs to no flag',
    args: ['analyze-compare', 'extra', '--base', ANALYZE_JSON, '--new', ANALYZE_JSON],
    code: 'BAD_ARGUMENT',
    exit: 2,
  },
  { name: 'parser: an unknown command', args: ['analyse', '--input', SALES], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'parser: an unknown nested command', args: ['factors', 'fitt', '--prices', PRICES], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'parser: a command of commands without one', args: ['factors'], code: 'BAD_ARGUMENT', exit: 2 },
  { name: 'parser: no command at all', args: [], code: 'BAD_ARGUMENT', exit: 2 },
];

const battery: BadInput[] = [
  ...parserCases,
  ...analyzeCases,
  ...validateCases,
  ...suggestCases,
  ...compareCases,
  ...driversCases,
  ...segmentsCases,
  ...investigateCases,
  ...factorsCases,
  ...otherCases,
];

// ---- running ------------------------------------------------------------------------------

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The case folder's files before and after (relative paths). */
  before: string[];
  after: string[];
}

function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)) + (e.isDirectory() ? '/' : ''))
    .sort();
}

function run(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, FACTORLENS_HOME: path.join(shared, 'home') };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function runCase(c: BadInput): Promise<Outcome> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'fl-battery-'));
  for (const [rel, content] of Object.entries(c.setup ?? {})) {
    const file = path.join(cwd, rel);
    if (rel.endsWith('/')) {
      mkdirSync(file, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  const before = tree(cwd);
  const r = await run(c.args, cwd);
  return { ...r, before, after: tree(cwd) };
}

/** Runs every case, `width` at a time. */
async function runAll(cases: BadInput[], width: number): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      out.set(c.name, await runCase(c));
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

const ERROR_LINE = /^Error \[([A-Z_]+)\]: \S.*$/m;
const outcomes = new Map<string, Outcome>();
const typed = new Set<string>();

describe('bad-input battery: every bad command line gets a typed error, a hint and no output', () => {
  beforeAll(async () => {
    // The artifacts the compare and explain cases read.
    const made = await run(
      ['analyze', '--input', SALES, '--group-by', 'region', '--metrics', 'revenue_usd', '--output-format', 'json', '--out', ANALYZE_JSON],
      shared,
    );
    expect(made.stderr).toBe('');
    const suggested = await run(['analyze-suggest', '--input', SALES, '--out', SUGGEST_MD], shared);
    expect(suggested.stderr).toBe('');
    for (const [name, outcome] of await runAll(battery, 4)) outcomes.set(name, outcome);
  }, 360_000);

  afterAll(() => {
    console.log(`battery: ${battery.length} bad inputs, ${typed.size} typed`);
  });

  it('has a unique name per case', () => {
    expect(new Set(battery.map((c) => c.name)).size).toBe(battery.length);
    expect(battery.length).toBeGreaterThanOrEqual(60);
  });

  it.each(battery.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = outcomes.get(c.name)!;
    const shown = `${c.args.join(' ')}\n${r.stderr}${r.stdout}`;
    const code = ERROR_LINE.exec(r.stderr)?.[1];
    expect(code, shown).toBe(c.code);
    expect(ERROR_CODES as readonly string[]).toContain(code);
    expect(r.stderr, shown).toMatch(/^Hint: \S.*$/m);
    expect(r.stderr, shown).not.toMatch(/\n\s+at /);
    expect(r.status, shown).toBe(c.exit);
    expect(r.after, 'nothing written').toEqual(r.before);
    typed.add(c.name);
  });
});

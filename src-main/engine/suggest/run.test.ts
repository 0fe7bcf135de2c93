import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withScan } from '../../sources/scan';
import { duckdbNumberReader } from '../../sources/profile';
import { runSuggest, type SuggestOptions } from './run';
import { readSuggestSample } from './sample-rows';
import { byteOrder, statsInSql, statsOfCsvSample } from './sample-stats';

const root = path.resolve(__dirname, '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-suggest-'));
const write = (name: string, body: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
};
const options = (o: Partial<SuggestOptions> = {}): SuggestOptions => ({
  profileName: 'suggested',
  autoGroupK: 3,
  maxMetrics: 3,
  sampleRows: 2000,
  sampleMode: 'head',
  sampleSeed: 42,
  ...o,
});

/** Cells that test every reading: quotes, a quoted line end, spaces, numbers only DuckDB can judge, dates, ties of values in byte order. */
const tricky = [
  'name,amount,when,flag,note,uni',
  '"Smith, J",1,2026-01-07,1,"said ""hi""",é',
  'Lee,"1,000",01/07/2026,0,,\u{1F600}',
  ' Ann ,$7,Mar 4 2026,1,"two\nlines",\uE000',
  'Bo,NaN, 2026-01-07 ,0,  ,\uFFFD',
  'Cy,1e309,20260105,1,x,\u{1F600}',
  'Di,1_000,2026-01-07T10:00:00Z,0,x,\uE000',
  'Ed,inf,2026-02-30,1,"x",a',
  'Fa,\t12,,0,"  ",b',
  'Gu,-Infinity,2026/1/3,1,y,B',
  'Ha,,0999-01-01,0,z,é',
  'Ha,12 ,2026-1-7,0,z,e\u0301',
  'Ha, 1_0 ,12026-01-07,0,z,""',
].join('\n');

/** The sample stats read in JavaScript and counted in SQL, over the same rows. */
async function bothStats(file: string, sampleRows: number, seed: number | null) {
  return withScan({ kind: 'file', path: file }, async (scan) => {
    const countRows = async () => Number((await scan.rows(`SELECT count(*) AS n FROM ${scan.relation}`))[0]!.n);
    const { fileRows, sample } = await readSuggestSample(scan, file, sampleRows, seed, countRows);
    return {
      fileRows,
      rows: await countRows(),
      js:
        sample &&
        (await statsOfCsvSample(
          sample,
          duckdbNumberReader((sql) => scan.rows(sql)),
        )),
      sql: await statsInSql(scan, scan.sample(sampleRows, seed)),
    };
  });
}

describe('analyze-suggest sample stats', () => {
  it('are the same read in JavaScript as counted in SQL: first rows and seeded random rows, demo files and tricky cells', async () => {
    const files = [
      'data/factorlens_demo_sales.csv',
      'data/factorlens_demo_sales_150.csv',
      'data/demo_revenue_residual.csv',
      'tests/fixtures/small.csv',
    ].map((f) => path.join(root, f));
    files.push(write('tricky.csv', tricky), write('tricky-crlf.csv', `${tricky.replaceAll('\n', '\r\n')}\r\n`));
    for (const file of files) {
      for (const [rows, seed] of [
        [2000, null],
        [7, null],
        [2000, 42],
        [5, 7],
        [30, 8],
      ] as const) {
        const { fileRows, rows: counted, js, sql } = await bothStats(file, rows, seed);
        expect(js, `${file} ${rows} ${seed}`).not.toBeNull();
        expect(fileRows).toBe(counted);
        expect([file, rows, seed, js]).toEqual([file, rows, seed, sql]);
      }
    }
  });

  it('counts the tricky cells as the rule reads them', async () => {
    const { js } = await bothStats(write('tricky2.csv', tricky), 2000, null);
    const [name, amount, when, , , uni] = js!.columns;
    // ' Ann ' and 'Ann' would be one value; 'Ha' three times is the top value.
    expect(name).toMatchObject({
      nonEmpty: 12,
      distinct: 10,
      topValues: [
        ['Ha', 3],
        ['Ann', 1],
        ['Bo', 1],
        ['Cy', 1],
        ['Di', 1],
      ],
    });
    // Numbers: 1, 1,000, $7, 1_000, \t12, 12 , 1_0 (NaN, 1e309, inf, -Infinity are not finite).
    expect(amount).toMatchObject({ nonEmpty: 11, numeric: 7 });
    // YYYY-MM-DD… cells that read as dates: 2026-01-07, ' 2026-01-07 ', 2026-01-07T10:00:00Z, 0999-01-01 (not 2026-02-30, 2026-1-7, 12026-01-07).
    expect(when!.isoDates).toBe(4);
    // Ties in byte order, as SQL sorts text: é (C3 A9), U+E000 (EE 80 80), U+1F600 (F0 9F 98 80); then B, a, b, e+U+0301, U+FFFD.
    expect(uni!.topValues).toEqual([
      ['é', 2],
      ['\uE000', 2],
      ['\u{1F600}', 2],
      ['B', 1],
      ['a', 1],
    ]);
    expect(['\u{1F600}', '\uE000', 'é', 'B', 'a', 'b'].sort(byteOrder)).toEqual(['B', 'a', 'b', 'é', '\uE000', '\u{1F600}']);
  });

  it('a file that is not plain CSV (a blank line) is sampled in SQL, with the same suggestion', async () => {
    const file = write('blank.csv', 'region,revenue\nUS,1\n\nEU,2\nUS,3\n');
    const a = await runSuggest(file, options());
    expect(a).toMatchObject({ rows: 3, sampled_rows: 3, suggested_group_by: ['region'], suggested_metrics: ['revenue'] });
    expect(a.columns[0]!.top_values).toEqual([
      ['US', 2],
      ['EU', 1],
    ]);
    await expect(runSuggest(write('header.csv', 'region,revenue\n'), options())).rejects.toMatchObject({ code: 'NO_DATA_ROWS' });
  });
});

describe('analyze-suggest on a wide table', () => {
  it('3,000 columns by 1,000 rows: every column profiled, the documented suggestion, in seconds', async () => {
    const regions = ['US', 'EU', 'APAC', 'LATAM', 'MEA'];
    const header = ['order_date', 'region', 'channel', 'product_line', 'revenue_usd', 'cost_usd', 'orders'];
    // Fillers: quantities named without a metric word (metrics of the lowest priority), and free text (too many values to group by).
    for (let c = 0; header.length < 3000; c++) header.push(c % 2 === 0 ? `m${c}` : `note${c}`);
    const lines = [header.join(',')];
    for (let r = 0; r < 1000; r++) {
      const cells = [
        `2026-0${1 + (r % 6)}-${String(1 + (r % 28)).padStart(2, '0')}`,
        regions[r % 5]!,
        ['Direct', 'Partner', 'Marketplace'][r % 3]!,
        ['Core', 'Premium', 'AddOn', 'Services'][r % 4]!,
        String(100 + r),
        String(40 + r),
        String(1 + (r % 9)),
      ];
      for (let c = 7; c < 3000; c++) cells.push(c % 2 === 1 ? String((r * c) % 997) : `text ${(r * 31 + c) % 400}`);
      lines.push(cells.join(','));
    }
    const file = write('wide.csv', `${lines.join('\n')}\n`);
    const started = Date.now();
    const a = await runSuggest(file, options());
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(a).toMatchObject({
      rows: 1000,
      sampled_rows: 1000,
      suggested_group_by: ['region', 'product_line', 'channel'],
      suggested_metrics: ['revenue_usd', 'cost_usd', 'orders'],
      suggested_rank_by: 'revenue_usd',
      suggested_date_column: 'order_date',
      warnings: [],
    });
    expect(a.columns).toHaveLength(3000);
    expect(a.columns[1]).toMatchObject({
      name: 'region',
      inferred_role: 'dimension',
      distinct_count: 5,
      top_values: [
        ['APAC', 200],
        ['EU', 200],
        ['LATAM', 200],
        ['MEA', 200],
        ['US', 200],
      ],
    });
    expect(a.columns[0]).toMatchObject({ inferred_role: 'date', date_ratio: 1 });
    expect(a.columns[7]).toMatchObject({ name: 'm0', inferred_role: 'metric', numeric_ratio: 1 });
    expect(a.columns[8]).toMatchObject({ name: 'note1', inferred_role: 'text_other', numeric_ratio: 0, distinct_count: 400 });
    expect(new Set(a.columns.map((c) => c.inferred_role))).toEqual(new Set(['date', 'dimension', 'metric', 'text_other']));
    // A seeded random sample of it is read in JavaScript too: the same seed, the same rows.
    const r1 = await runSuggest(file, options({ sampleMode: 'random', sampleRows: 300, sampleSeed: 9 }));
    const r2 = await runSuggest(file, options({ sampleMode: 'random', sampleRows: 300, sampleSeed: 9 }));
    expect(r1.sampled_rows).toBe(300);
    expect(r1.columns).toEqual(r2.columns);
    expect(r1.suggested_group_by).toEqual(['region', 'product_line', 'channel']);
  }, 60_000);
});

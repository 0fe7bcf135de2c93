import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectCsv } from '../../sources/csv';
import { readCsvSample, sampleCell, type CsvSample } from '../../sources/csv-sample';
import { readCsvRows } from './csv-rows';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-csv-rows-'));
const write = (name: string, body: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, body);
  return file;
};
const cells = (s: CsvSample, columns: number) =>
  Array.from({ length: s.rows }, (_, r) => Array.from({ length: columns }, (__, c) => sampleCell(s, c, r)));

describe('reading chosen rows of a CSV file', () => {
  it('gives the chosen records whatever the chunks (quoted line ends and quotes across chunk ends)', async () => {
    const body = 'id,note,value\r\n1,"a\r\nb",10\r\n2,"say ""x""",20\r\n3,,30\r\n4,"",40\r\n5,"e\nf",50';
    const table = await inspectCsv(write('quoted.csv', body));
    const every = (await readCsvSample(table, [0, 1, 2], 100))!;
    const all = cells(every, 3);
    expect(all).toHaveLength(5);
    for (const chunk of [1, 2, 3, 5, 7, 16, 1 << 20]) {
      for (const rows of [[1], [2, 3], [1, 3, 5], [5], [1, 2, 3, 4, 5]]) {
        const read = await readCsvRows(table, rows, [0, 1, 2], 5, chunk);
        expect([chunk, rows, read && cells(read, 3)]).toEqual([chunk, rows, rows.map((r) => all[r - 1])]);
      }
    }
  });

  it('gives up on what DuckDB could number differently: a blank line, another row count', async () => {
    const table = await inspectCsv(write('blank.csv', 'a,b\n1,2\n\n3,4\n'));
    expect(await readCsvRows(table, [2], [0, 1], 2)).toBeNull();
    const plain = await inspectCsv(write('plain.csv', 'a,b\n1,2\n3,4\n'));
    expect(await readCsvRows(plain, [2], [0, 1], 3)).toBeNull();
    expect(cells((await readCsvRows(plain, [2], [0, 1], 2))!, 2)).toEqual([['3', '4']]);
  });
});

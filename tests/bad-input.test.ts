import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema, type AnalyzeOptionsInput } from '../src-shared/analyze-options';
import { AppError } from '../src-shared/errors';
import { describeDataset } from '../src-main/services/datasets';
import { runAnalyze } from '../src-main/engine/analyze/run';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-bad-'));
function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}
const small = path.resolve(__dirname, 'fixtures/small.csv');

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

const analyze = (f: string, o: AnalyzeOptionsInput = {}) =>
  runAnalyze({ source: { kind: 'file', path: f }, options: AnalyzeOptionsSchema.parse(o) });

describe('bad input gets a typed error that says what to do', () => {
  it('a missing file', async () => {
    const e = await failure(analyze(path.join(dir, 'nope.csv')));
    expect(e.code).toBe('FILE_NOT_FOUND');
    expect(e.message).toContain('nope.csv');
    expect(e.hint).toBeTruthy();
  });

  it('a folder instead of a file', async () => {
    const e = await failure(analyze(dir));
    expect(e.code).toBe('FILE_UNREADABLE');
  });

  it('an empty file and a file of blank lines', async () => {
    expect((await failure(analyze(file('empty.csv', '')))).code).toBe('FILE_EMPTY');
    expect((await failure(analyze(file('blank.csv', '\n\n  \n')))).code).toBe('FILE_EMPTY');
  });

  it('a header-only file', async () => {
    const e = await failure(analyze(file('header.csv', 'a,b,c\n'), { groupBy: ['a'], metrics: ['b'] }));
    expect(e.code).toBe('NO_DATA_ROWS');
    expect(e.hint).toMatch(/rows/);
  });

  it('a binary file and an HTML page', async () => {
    const bin = await failure(analyze(file('data.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2, 3]))));
    expect(bin.code).toBe('NOT_A_TABLE');
    expect(bin.message).toMatch(/zip archive \(an Excel \.xlsx workbook is one\)/);
    const html = await failure(
      analyze(file('page.csv', '<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table></body></html>\n')),
    );
    expect(html.code).toBe('NOT_A_TABLE');
    expect(html.message).toMatch(/HTML/);
  });

  it('a ragged row names its line', async () => {
    const f = file('ragged.csv', 'team,sales\nRed,1\nBlue,2,extra\nGreen,3\n');
    const e = await failure(analyze(f, { groupBy: ['team'], metrics: ['sales'] }));
    expect(e.code).toBe('RAGGED_ROW');
    expect(e.message).toContain('line 3');
    expect(e.message).toContain('3 fields but the header has 2');
    // Adding it to a workspace finds the same problem before any analysis.
    expect((await failure(describeDataset({ kind: 'file', path: f }))).code).toBe('RAGGED_ROW');
  });

  it('text that is not UTF-8', async () => {
    const e = await failure(
      analyze(file('latin1.csv', Buffer.concat([Buffer.from('team,sales\n'), Buffer.from([0x52, 0xe9, 0xe9, 0x2c, 0x31, 0x0a])])), {
        groupBy: ['team'],
        metrics: ['sales'],
      }),
    );
    expect(e.code).toBe('BAD_ENCODING');
  });

  it('a BOM and quoted newlines are read correctly', async () => {
    const f = file('bom.csv', '\uFEFFteam,note,sales\r\nRed,"two\nlines",1\r\nRed,plain,2\r\nBlue,"a, b",4\r\n');
    const a = await analyze(f, { groupBy: ['team'], metrics: ['sales'] });
    expect(a.group_by).toEqual(['team']);
    expect(a.groups.map((g) => [g.group, g.count, g.sales])).toEqual([
      ['Red', 2, 3],
      ['Blue', 1, 4],
    ]);
  });

  it('an unknown column lists the available ones', async () => {
    for (const o of [
      { groupBy: ['teem'] },
      { groupBy: ['team'], metrics: ['sale'] },
      { groupBy: ['team'], where: [{ column: 'colour', value: 'x' }] },
    ]) {
      const e = await failure(analyze(small, o));
      expect(e.code).toBe('UNKNOWN_COLUMN');
      expect(e.message).toContain('Available columns: day, team, region, sales, units, is_promo');
    }
    const rank = await failure(analyze(small, { groupBy: ['team'], metrics: ['sales'], rankBy: 'units' }));
    expect(rank.code).toBe('UNKNOWN_COLUMN');
    expect(rank.message).toContain('Available: count, sales');
  });

  it('a non-numeric metric', async () => {
    const e = await failure(analyze(small, { groupBy: ['team'], metrics: ['region'] }));
    expect(e.code).toBe('NON_NUMERIC_METRIC');
    expect(e.message).toContain("'region'");
    expect(e.hint).toContain('sales');
  });

  it('nothing to group by', async () => {
    const e = await failure(analyze(file('numbers.csv', 'a,b\n1,2\n3,4\n')));
    expect(e.code).toBe('NO_GROUP_COLUMNS');
    // Named in words; the host says where (the CLI its flag, the workbench its field).
    expect(e.hint).toContain('Name the columns to group by');
    expect(e.hint).not.toContain('--');
    expect(e.options).toEqual(['groupBy']);
  });
});

import { appendFileSync, copyFileSync, mkdtempSync, truncateSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withScan } from './scan';

const root = path.resolve(__dirname, '../..');
const copyOfDemo = () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'fl-scan-')), 'sales.csv');
  copyFileSync(path.join(root, 'data/factorlens_demo_sales.csv'), file);
  return file;
};
const countRows = (file: string, during: () => void = () => {}) =>
  withScan({ kind: 'file', path: file }, async (scan) => {
    const [row] = await scan.rows(`SELECT count(*) AS n FROM ${scan.relation}`);
    during();
    return row!.n;
  });

describe('a file that changes while it is scanned', () => {
  it('counts an unchanged file', async () => {
    expect(await countRows(copyOfDemo())).toBe(100);
  });

  it('refuses the result when the file was truncated, grown or removed meanwhile', async () => {
    const a = copyOfDemo();
    await expect(countRows(a, () => truncateSync(a, 500))).rejects.toMatchObject({
      code: 'FILE_CHANGED',
      message: expect.stringContaining('changed size'),
    });
    const b = copyOfDemo();
    await expect(countRows(b, () => appendFileSync(b, 'x\n'))).rejects.toMatchObject({ code: 'FILE_CHANGED' });
    const c = copyOfDemo();
    await expect(countRows(c, () => unlinkSync(c))).rejects.toMatchObject({
      code: 'FILE_CHANGED',
      message: expect.stringContaining('was removed'),
    });
  });
});

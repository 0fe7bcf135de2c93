import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchArgs, openRequests } from './open-requests';

describe('files the operating system asks the app to open', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-open-'));
  for (const f of ['sales.csv', 'Prices.TSV', 'team.flworkspace', 'other.flworkspace', 'notes.pdf', 'wide.parquet'])
    writeFileSync(path.join(dir, f), 'x');
  mkdirSync(path.join(dir, 'folder.csv'));

  it('sorts tables and the workspace, resolves them against the working folder, and drops the rest', () => {
    const r = openRequests(
      [
        '--no-sandbox',
        'sales.csv',
        path.join(dir, 'Prices.TSV'),
        'missing.csv',
        'folder.csv',
        'notes.pdf',
        'team.flworkspace',
        'wide.parquet',
        'sales.csv',
      ],
      dir,
    );
    expect(r).toEqual({
      workspace: path.join(dir, 'team.flworkspace'),
      tables: [path.join(dir, 'sales.csv'), path.join(dir, 'Prices.TSV'), path.join(dir, 'wide.parquet')],
    });
  });

  it('keeps the last workspace named, and gives nothing for a launch with no files', () => {
    expect(openRequests(['team.flworkspace', 'other.flworkspace'], dir).workspace).toBe(path.join(dir, 'other.flworkspace'));
    expect(openRequests([], dir)).toEqual({ workspace: null, tables: [] });
  });

  it('reads the arguments after the program, and after the app folder when run from source', () => {
    expect(launchArgs(['/opt/FactorLens/factorlens-workbench', '/home/a/sales.csv'], false)).toEqual(['/home/a/sales.csv']);
    expect(launchArgs(['/repo/node_modules/electron/dist/electron', '/repo', 'sales.csv'], true)).toEqual(['sales.csv']);
  });
});

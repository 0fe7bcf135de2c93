import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-shared/errors';
import { inspectCsv } from './csv';
import { rejectNonTables } from './not-a-table';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-sniff-'));

/** The NOT_A_TABLE message for this text, or null when it is accepted. */
function refusal(text: string, complete = true): string | null {
  try {
    rejectNonTables(Buffer.from(text, 'utf8'), 'f.csv', complete);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('NOT_A_TABLE');
    expect((err as AppError).hint).toBeTruthy();
    return (err as AppError).message;
  }
}

describe('files that are not tables are refused before a CSV reader turns them into one', () => {
  it('JSON: a document, an array of records, JSON lines, and one too long to parse from its head', () => {
    expect(refusal('{\n  "region": "EU",\n  "revenue": 10\n}\n')).toBe('f.csv holds JSON, not a CSV table');
    expect(refusal('[{"a":1},{"a":2}]')).toBe('f.csv holds JSON, not a CSV table');
    expect(refusal('\uFEFF  [\n  [1, 2],\n  [3, 4]\n]\n')).toBe('f.csv holds JSON, not a CSV table');
    expect(refusal('{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n')).toBe('f.csv holds JSON lines (one JSON value per line), not a CSV table');
    // The head of a large file ends mid-record: the start still says JSON.
    expect(refusal('[\n  {"order_id": 1, "region": "EU"},\n  {"order_id": 2, "reg', false)).toBe('f.csv holds JSON, not a CSV table');
    expect(refusal('{"a":1}\n{"a":2}\n{"a":', false)).toMatch(/JSON lines/);
  });

  it('INI/TOML, YAML and log files', () => {
    expect(refusal('[profiles.weekly]\ngroup_by = ["region", "channel"]\ntop = 10\n')).toMatch(/INI or TOML settings file/);
    expect(refusal('; settings\n[server]\nport=8080\nhost=localhost\n')).toMatch(/INI or TOML/);
    expect(refusal('name: sales\nowner: finance\ncolumns:\n  - region\n  - revenue\n')).toMatch(/YAML document/);
    expect(refusal('---\nkey: value\n')).toMatch(/YAML/);
    expect(refusal('2026-01-01 12:00:00 INFO started\n2026-01-01 12:00:01,123 WARN disk, 91% full\n  continued\n')).toMatch(/log file/);
    expect(refusal('Jan  3 10:00:01 host sshd[12]: accepted\nJan  3 10:00:02 host cron[9]: run\n')).toMatch(/log file/);
  });

  it('keeps every real table, one-column ones included', () => {
    const tables = [
      'region,revenue\nEU,10\nUS,20\n',
      'name\nAlice\nBob\n',
      '[id],[name]\n1,Alice\n',
      '[tag]\nfoo\nbar\n',
      'time\n12:30\n13:45\n',
      'note\nTODO: call back\nok\n',
      'timestamp,level,message\n2026-01-01 12:00:00,INFO,started\n',
      'equation\na=1\nb=2\n',
      '{id}\n1\n2\n',
      'id;amount\n1;[2]\n',
    ];
    for (const t of tables) expect(refusal(t), t).toBeNull();
  });
});

describe('header names are made unique, and the reader says so', () => {
  const inspect = async (header: string) => {
    const f = path.join(dir, `h${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(
      f,
      `${header}\n${header
        .split(',')
        .map((_, i) => i)
        .join(',')}\n`,
    );
    return inspectCsv(f);
  };

  it('a repeated name gets the first free suffix, never one another column has', async () => {
    const t = await inspect('x,y,x');
    expect(t.columns).toEqual(['x', 'y', 'x_2']);
    expect(t.notices).toEqual(["column 'x' appears twice in the header; the second is read as 'x_2'"]);
    const clash = await inspect('x,x,x_2,X');
    expect(clash.columns).toEqual(['x', 'x_3', 'x_2', 'X_4']);
    expect(clash.notices).toEqual([
      "column 'x' appears 3 times in the header (ignoring case: 'x', 'X'); the others are read as 'x_3', 'X_4'",
    ]);
  });

  it('a blank header cell is named by its position; a clean header has no notice', async () => {
    const t = await inspect('a,,b');
    expect(t.columns).toEqual(['a', 'column_2', 'b']);
    expect(t.notices).toEqual(["header cell 2 is blank; that column is read as 'column_2'"]);
    expect((await inspect('a,b,c')).notices).toEqual([]);
  });
});

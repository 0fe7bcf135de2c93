import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBigCsv } from './fixtures/big-csv';

/**
 * The CLI's progress line: on stderr when stderr is a terminal (run here under a pseudo-terminal
 * with util-linux `script`), nothing when it is not; stdout is the same either way.
 */
const root = path.resolve(__dirname, '..');
const bin = path.join(root, 'bin', 'factorlens.js');
let dir: string;
let file: string;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const args = () => ['analyze', '--input', file, '--group-by', 'region,channel', '--metrics', 'revenue'];

beforeAll(async () => {
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  if (!hasScript)
    throw new Error('these tests need `script` (util-linux) to run the CLI under a pseudo-terminal: apt-get install bsdutils');
  dir = mkdtempSync(path.join(os.tmpdir(), 'factorlens-cli-progress-'));
  file = path.join(dir, 'big.csv');
  await writeBigCsv(file, 2_500_000);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI progress on stderr', () => {
  it('under a terminal, rewrites one line with the stage and a rising percent, cleared at the end; stdout is unchanged', () => {
    const out = path.join(dir, 'tty-stdout.txt');
    // stderr is the pseudo-terminal; stdout goes to a file, to compare it with a piped run.
    const command = `${[process.execPath, bin, ...args()].map(shellQuote).join(' ')} > ${shellQuote(out)}`;
    const r = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const terminal = r.stdout;
    const lines = terminal.split('\r\x1b[2K').filter((l) => l.trim() !== '');
    const percents = lines
      .map((l) => /\]\s+(\d+)% Scanning rows/.exec(l)?.[1])
      .filter((p): p is string => p !== undefined)
      .map(Number);
    expect(percents.length).toBeGreaterThanOrEqual(3);
    expect(percents.some((p) => p > 10 && p < 95)).toBe(true);
    for (let i = 1; i < percents.length; i++) expect(percents[i]!).toBeGreaterThanOrEqual(percents[i - 1]!);
    // Never a new line on the terminal: the line is rewritten in place, and cleared last.
    expect(terminal).not.toContain('\n');
    expect(terminal.endsWith('\r\x1b[2K')).toBe(true);

    const piped = spawnSync(process.execPath, [bin, ...args()], { encoding: 'utf8', timeout: 120_000 });
    expect(piped.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(piped.stdout);
  }, 240_000);

  it('piped, stderr gets nothing', () => {
    const piped = spawnSync(process.execPath, [bin, ...args()], { encoding: 'utf8', timeout: 120_000 });
    expect(piped.status).toBe(0);
    expect(piped.stdout).toContain('region');
    expect(piped.stderr).toBe('');
  }, 120_000);
});

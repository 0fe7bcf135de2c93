import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../../src-shared/analyze-options';
import { runAnalyze } from '../engine/analyze/run';
import { analyzeOutputPaths, writeAnalyzeOutputs, writeFilesAtomically } from './output';
import { analyzeHtml } from './render-html';
import { analyzeMarkdown } from './render-markdown';

const small = path.resolve(__dirname, '../../tests/fixtures/small.csv');

describe('output paths', () => {
  it('uses the seed default paths', () => {
    expect(analyzeOutputPaths('factorlens_demo_sales', 'both')).toEqual({
      md: path.join('artifacts', 'analyze_factorlens_demo_sales.md'),
      json: path.join('artifacts', 'analyze_factorlens_demo_sales.json'),
    });
    expect(analyzeOutputPaths('Analyze_q1', 'html')).toEqual({ html: path.join('artifacts', 'Analyze_q1.html') });
    expect(analyzeOutputPaths('x', 'md', 'out/brief.txt')).toEqual({ md: 'out/brief.txt' });
  });

  it('never lets one output of "both" overwrite the other', () => {
    expect(analyzeOutputPaths('x', 'both', 'out/run.json')).toEqual({ md: path.join('out', 'run.md'), json: 'out/run.json' });
    expect(analyzeOutputPaths('x', 'both', 'out/run.md')).toEqual({ md: 'out/run.md', json: path.join('out', 'run.json') });
    expect(analyzeOutputPaths('x', 'both', 'out/run')).toEqual({ md: 'out/run', json: path.join('out', 'run.json') });
  });
});

describe('writing', () => {
  it('writes all files or none', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    writeFileSync(path.join(dir, 'blocker'), 'a file where a folder is needed');
    await expect(
      writeFilesAtomically([
        { path: path.join(dir, 'ok.md'), content: 'fine' },
        { path: path.join(dir, 'blocker', 'x.json'), content: '{}' },
      ]),
    ).rejects.toMatchObject({ code: 'WRITE_FAILED' });
    expect(readdirSync(dir)).toEqual(['blocker']);
  });

  it('renders Markdown, JSON and HTML from the artifact', async () => {
    const artifact = await runAnalyze({ source: { kind: 'file', path: small }, options: AnalyzeOptionsSchema.parse({ groupBy: ['team'], metrics: ['sales', 'units'], rankBy: 'sales' }) });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    const written = await writeAnalyzeOutputs(artifact, { md: path.join(dir, 'a', 'r.md'), json: path.join(dir, 'a', 'r.json'), html: path.join(dir, 'a', 'r.html') });
    expect(written).toHaveLength(3);
    expect(JSON.parse(readFileSync(path.join(dir, 'a', 'r.json'), 'utf8'))).toEqual(artifact);

    const md = analyzeMarkdown(artifact);
    expect(md).toContain('# Analysis Brief');
    expect(md).toContain('| team | Records | Record Share | sales | sales Share | units |');
    expect(md).toContain('| Blue | 3 | 37.50% | 1,012 | 93.70% | 7 |');
    expect(md).toContain('Largest segment is `Blue` with 37.5% of records and 93.7% of total sales.');
    expect(md).toContain('Top 3 segments by sales represent 100.0% of records and 100.0% of sales.');
    expect(md).toContain('## Insights');
    expect(md).toContain('- Concentration is high: the top 3 segments by sales hold 100.0% of records across 3 segments.');

    const html = analyzeHtml(artifact);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<td class="right">1,012</td>');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|(src|href)="?https?:/);
    expect(existsSync(path.join(dir, 'a', 'r.html'))).toBe(true);
  });

  it('the Insights section names blank records, single-record segments and a different leader', async () => {
    const a = await runAnalyze({ source: { kind: 'file', path: small }, options: AnalyzeOptionsSchema.parse({ groupBy: ['region'], metrics: ['units'], rankBy: 'units' }) });
    // North 4 records / 5 units, South 3 / 9, (blank) 1 / 1.
    const md = analyzeMarkdown(a);
    expect(md).toContain('- 12.5% of records have no value in any group column (`(blank)`); fill or exclude them before acting on shares.');
    expect(md).toContain('- 1 of 3 segments hold a single record; raise the minimum records per segment or group by fewer columns for steadier shares.');
    expect(md).toContain('- The largest segment by records (`North`) is not the largest by units (`South`).');
  });

  it('escapes segment names in HTML', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    const f = path.join(dir, 'x.csv');
    writeFileSync(f, 'name,v\n<img src=x onerror=alert(1)>,1\nplain,2\n');
    const artifact = await runAnalyze({ source: { kind: 'file', path: f }, options: AnalyzeOptionsSchema.parse({ groupBy: ['name'], metrics: ['v'] }) });
    const html = analyzeHtml(artifact);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes segment and column names in the Markdown brief', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    const f = path.join(dir, 'payloads.csv');
    const rows = ['<script>alert(1)</script>,1', '<script>alert(1)</script>,2', '<script>alert(1)</script>,3', '<img src=x onerror=alert(1)>,10', '"x`[x](javascript:alert(1))",4', '"two\nlines",5', 'a|b,6'];
    writeFileSync(f, `segment,amt|<b>x</b>\n${rows.join('\n')}\n`);
    const artifact = await runAnalyze({ source: { kind: 'file', path: f }, options: AnalyzeOptionsSchema.parse({ groupBy: ['segment'], metrics: ['amt|<b>x</b>'], topInsights: 3 }) });
    expect(artifact.groups.map((g) => g.group)).toContain('two\nlines');
    const md = analyzeMarkdown(artifact);

    expect(md).not.toContain('<script');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<b>');
    expect(md).not.toContain('](javascript:');
    expect(md).toContain('- Largest segment is &lt;script&gt;alert(1)&lt;/script&gt; with 42.9% of records and 19.4% of total amt|&lt;b&gt;x&lt;/b&gt;.');
    expect(md).toContain('- `a|b` holds 14.3% of records and 19.4% of amt|&lt;b&gt;x&lt;/b&gt;: a concentration to watch.');
    // The name with a backtick unpairs the code spans of its sentence: all of it is text then.
    expect(md).toContain('- Top 5 segments: \\`&lt;script&gt;alert(1)&lt;/script&gt;\\`, \\`&lt;img src=x onerror=alert(1)&gt;\\`, \\`a|b\\`, \\`two lines\\`, \\`x\\`\\[x\\]\\(javascript:alert(1))\\`.');

    // Every line of a section is a bullet, a table row, a heading or blank: no value broke a line.
    const lines = md.split('\n');
    expect(lines.filter((l) => l !== '' && !/^(- |\| |\|---|#{1,3} )/.test(l))).toEqual([]);
    const table = lines.slice(lines.indexOf('## Top Groups') + 2).filter((l) => l.startsWith('|'));
    expect(table).toHaveLength(2 + 5);
    expect(table[0]).toBe('| segment | Records | Record Share | amt\\|&lt;b&gt;x&lt;/b&gt; | amt\\|&lt;b&gt;x&lt;/b&gt; Share |');
    expect(table).toContain('| a\\|b | 1 | 14.29% | 6 | 19.35% |');
    expect(table).toContain('| two lines | 1 | 14.29% | 5 | 16.13% |');
    expect(table).toContain('| x\\`\\[x\\]\\(javascript:alert(1)) | 1 | 14.29% | 4 | 12.90% |');
    // Six cell borders per row: unescaped pipes only.
    for (const row of table) expect(row.match(/(?<!\\)\|/g)).toHaveLength(6);
  });
});

const isLinux = process.platform === 'linux';

describe('paths that cannot be written', () => {
  it.skipIf(!isLinux)('a folder under /proc fails at once', async () => {
    const started = Date.now();
    const err = await writeFilesAtomically([{ path: '/proc/x/y.json', content: '{}' }]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'WRITE_FAILED', message: 'cannot write /proc/x/y.json (at /proc/x): no folder can be created there' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a file where a folder is needed names both', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    writeFileSync(path.join(dir, 'blocker'), 'a file');
    const target = path.join(dir, 'blocker', 'sub', 'x.json');
    await expect(writeFilesAtomically([{ path: target, content: '{}' }])).rejects.toMatchObject({ code: 'WRITE_FAILED', message: `cannot write ${target}: ${path.join(dir, 'blocker')} is a file, not a folder` });
    expect(readdirSync(dir)).toEqual(['blocker']);
  });

  it('a folder given as the file fails before anything is written', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    mkdirSync(path.join(dir, 'report.md'));
    await expect(writeFilesAtomically([{ path: path.join(dir, 'report.json'), content: '{}' }, { path: path.join(dir, 'report.md'), content: '#' }])).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: `cannot write ${path.join(dir, 'report.md')}: it is a folder, not a file`,
    });
    expect(readdirSync(dir)).toEqual(['report.md']);
  });

  it('a name too long is reported as such', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    const target = path.join(dir, `${'n'.repeat(300)}.json`);
    await expect(writeFilesAtomically([{ path: target, content: '{}' }])).rejects.toMatchObject({ code: 'WRITE_FAILED', message: `cannot write ${target}: the name is too long` });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the folders it created when a later file fails', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    writeFileSync(path.join(dir, 'blocker'), 'a file');
    await expect(
      writeFilesAtomically([
        { path: path.join(dir, 'new', 'deeper', 'ok.md'), content: 'fine' },
        { path: path.join(dir, 'blocker', 'x.json'), content: '{}' },
      ]),
    ).rejects.toMatchObject({ code: 'WRITE_FAILED' });
    expect(readdirSync(dir)).toEqual(['blocker']);
  });
});

describe('temporary files', () => {
  /** The pid of a process that has ended. */
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

  it('a write leaves only its targets', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    await writeFilesAtomically([
      { path: path.join(dir, 'r.md'), content: '# r' },
      { path: path.join(dir, 'r.json'), content: '{}' },
    ]);
    expect(readdirSync(dir).sort()).toEqual(['r.json', 'r.md']);
  });

  it('the next write to a path removes the stale temporary files of killed writes to it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-out-'));
    const dead = deadPid();
    const stale = `.r.json.${dead}.0badc0de.factorlens-tmp`;
    const legacy = `r.json.${dead}.0123abcd.tmp`;
    const oldButAlive = `.r.json.${process.ppid}.aaaaaaaa.factorlens-tmp`;
    const freshAlive = `.r.json.${process.ppid}.bbbbbbbb.factorlens-tmp`;
    const otherTarget = `.other.json.${dead}.cccccccc.factorlens-tmp`;
    for (const name of [stale, legacy, oldButAlive, freshAlive, otherTarget]) writeFileSync(path.join(dir, name), '{"partial": [1, 2');
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    utimesSync(path.join(dir, oldButAlive), twoMinutesAgo, twoMinutesAgo);

    const content = `${JSON.stringify({ values: Array.from({ length: 1000 }, (_, i) => i) })}\n`;
    await writeFilesAtomically([{ path: path.join(dir, 'r.json'), content }]);
    expect(readdirSync(dir).sort()).toEqual([freshAlive, otherTarget, 'r.json'].sort());
    expect(readFileSync(path.join(dir, 'r.json'), 'utf8')).toBe(content);
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnalyzeOptionsSchema } from '../../../src-shared/analyze-options';
import { runAnalyze } from '../../engine/analyze/run';
import { analyzeOutputPaths, writeAnalyzeOutputs, writeFilesAtomically } from './output';
import { analyzeHtml } from './render-html';
import { analyzeMarkdown } from './render-markdown';

const small = path.resolve(__dirname, '../../../tests/fixtures/small.csv');

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
    expect(md).toContain('- 1 of 3 segments hold a single record; raise --min-records or group by fewer columns for steadier shares.');
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
});

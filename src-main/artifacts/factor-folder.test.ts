import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFit } from '../engine/factors/fit';
import { factorsFolderFiles } from './factor-folder';
import { factorsMarkdown } from './render-factors';

const data = path.resolve(__dirname, '../../data');

describe('factor folder CSVs and report with hostile factor labels', () => {
  it('prefixes formulas, quotes commas, keeps numbers, and escapes the labels in Markdown', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fl-labels-'));
    const labels = path.join(dir, 'labels.csv');
    writeFileSync(labels, 'factor,label\nfactor_1,"=cmd|\' /C calc\'!A0"\nfactor_2,"@HYPERLINK(""http://e.test"",""x"")"\nfactor_3,<img src=x onerror=alert(1)>\n');
    const a = await runFit({ prices: path.join(data, 'prices.csv'), k: 3, kAuto: false, portfolio: path.join(data, 'portfolio.csv'), holdings: null, includeWeekends: false, missing: 'common', labels });

    const files = factorsFolderFiles(a, 'fit');
    const risk = (files.find((f) => f.path === path.join('fit', 'risk.csv'))!.content as string).split('\n');
    expect(risk[0]).toBe('factor,label,share_of_variance');
    expect(risk[1]).toBe(`factor_1,'=cmd|' /C calc'!A0,${a.risk.factor_share[0]!.toFixed(8)}`);
    expect(risk[2]).toBe(`factor_2,"'@HYPERLINK(""http://e.test"",""x"")",${a.risk.factor_share[1]!.toFixed(8)}`);
    expect(risk[3]).toBe(`factor_3,<img src=x onerror=alert(1)>,${a.risk.factor_share[2]!.toFixed(8)}`);
    // Negative numbers stay numbers: no quote before them anywhere in the numeric files.
    const attribution = files.find((f) => f.path === path.join('fit', 'attribution.csv'))!.content as string;
    expect(attribution).toMatch(/,-0\.\d{8}/);
    expect(attribution).not.toContain("'");

    const md = factorsMarkdown(a);
    expect(md).not.toContain('<img');
    expect(md).toContain("| factor_1 | =cmd\\|' /C calc'!A0 |");
    expect(md).toContain('| factor_2 | @HYPERLINK("http://e.test","x") |');
    expect(md).toContain('| factor_3 | &lt;img src=x onerror=alert(1)&gt; |');
  });
});

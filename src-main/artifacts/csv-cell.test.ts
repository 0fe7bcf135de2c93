import { describe, expect, it } from 'vitest';
import { csvCell, csvText, fixed } from './csv-cell';

describe('csvCell', () => {
  it('prefixes text a spreadsheet would run as a formula', () => {
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0");
    expect(csvCell('+SUM(1)')).toBe("'+SUM(1)");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@HYPERLINK("http://e.test","x")')).toBe('"\'@HYPERLINK(""http://e.test"",""x"")"');
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe('"\'\rx"');
    expect(csvCell('\uff1d1+1')).toBe("'\uff1d1+1");
  });

  it('keeps numbers as numbers', () => {
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(fixed(-0.5, 8))).toBe('-0.50000000');
    expect(csvCell(fixed(0.000123, 4))).toBe('0.0001');
    expect(csvCell('AAPL')).toBe('AAPL');
    expect(csvCell('2025-01-02')).toBe('2025-01-02');
  });

  it('quotes a comma, a quote or a line break (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });
});

describe('csvText', () => {
  it('writes the header and one line per row', () => {
    expect(csvText(['factor', 'label', 'share'], [['factor_1', '=HYPERLINK("x")', fixed(0.25, 2)], ['specific', 'a, b', -0.5]])).toBe(
      'factor,label,share\nfactor_1,"\'=HYPERLINK(""x"")",0.25\nspecific,"a, b",-0.5\n',
    );
  });
});

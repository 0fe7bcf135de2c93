import { describe, expect, it } from 'vitest';
import { markdownCell, markdownCode, markdownName, markdownSentence, markdownText } from './markdown-escape';

describe('markdownText', () => {
  it('turns HTML into text', () => {
    expect(markdownText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markdownText('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(markdownText('&#106;avascript &amp;')).toBe('&amp;#106;avascript &amp;amp;');
  });

  it('leaves no link, image, code span or emphasis', () => {
    expect(markdownText('[x](javascript:alert(1))')).toBe('\\[x\\]\\(javascript:alert(1))');
    expect(markdownText('![i](https://e.test/p.png)')).toBe('!\\[i\\]\\(https://e.test/p.png)');
    expect(markdownText('x`[x](javascript:alert(1))')).toBe('x\\`\\[x\\]\\(javascript:alert(1))');
    expect(markdownText('*bold* _it_ ~~gone~~ a\\b')).toBe('\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~ a\\\\b');
  });

  it('keeps underscores inside words, which cannot open emphasis', () => {
    expect(markdownText('customer_id')).toBe('customer_id');
    expect(markdownText('_id')).toBe('\\_id');
    expect(markdownText('snake_case_')).toBe('snake_case\\_');
  });

  it('puts every value on one line', () => {
    expect(markdownText('North\nSouth')).toBe('North South');
    expect(markdownText('a\r\nb\tc\u2028d\u0000e')).toBe('a  b c d e');
  });

  it('cannot start a heading, a list or a quote at the start of a line', () => {
    expect(markdownText('# Title')).toBe('\\# Title');
    expect(markdownText('- item')).toBe('\\- item');
    expect(markdownText('+ item')).toBe('\\+ item');
    expect(markdownText('1. first')).toBe('1\\. first');
    expect(markdownText('2) second')).toBe('2\\) second');
    expect(markdownText('> quote')).toBe('&gt; quote');
    expect(markdownText('12.5% of records')).toBe('12.5% of records');
    expect(markdownText('2025-01-02')).toBe('2025-01-02');
    expect(markdownText('Team #1')).toBe('Team #1');
  });
});

describe('markdownCell', () => {
  it('escapes the pipe that would end the cell, as well as what markdownText escapes', () => {
    expect(markdownCell('a|b')).toBe('a\\|b');
    expect(markdownCell('<b>x</b>|y\nz')).toBe('&lt;b&gt;x&lt;/b&gt;\\|y z');
  });

  it('leaves our numbers as they are', () => {
    expect(markdownCell('-0.5')).toBe('-0.5');
    expect(markdownCell('+18.33')).toBe('+18.33');
    expect(markdownCell('1,012')).toBe('1,012');
  });
});

describe('markdownCode', () => {
  it('uses a fence longer than any run of backticks in the value', () => {
    expect(markdownCode('Blue')).toBe('`Blue`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('a``b`c')).toBe('```a``b`c```');
  });

  it('pads values that start or end with a backtick or a space', () => {
    expect(markdownCode('`tick')).toBe('`` `tick ``');
    expect(markdownCode(' lead')).toBe('`  lead `');
    expect(markdownCode('x\ny')).toBe('`x y`');
  });
});

describe('markdownName', () => {
  it('is code for plain names and escaped text for names holding markup', () => {
    expect(markdownName('Blue')).toBe('`Blue`');
    expect(markdownName('C:\\data\\q1_sales.csv')).toBe('`C:\\data\\q1_sales.csv`');
    expect(markdownName('x`y')).toBe('``x`y``');
    expect(markdownName('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markdownName('x`[x](javascript:alert(1))')).toBe('x\\`\\[x\\]\\(javascript:alert(1))');
  });
});

describe('markdownSentence', () => {
  it('keeps our code spans and escapes what is between them', () => {
    expect(markdownSentence('Largest segment is `Blue` with 37.5% of records and 93.7% of total sales.')).toBe('Largest segment is `Blue` with 37.5% of records and 93.7% of total sales.');
    expect(markdownSentence('Top 2 segments: `<img src=x onerror=alert(1)>`, `a|b`.')).toBe('Top 2 segments: &lt;img src=x onerror=alert(1)&gt;, `a|b`.');
    expect(markdownSentence('of total <b>amt</b>.')).toBe('of total &lt;b&gt;amt&lt;/b&gt;.');
  });

  it('escapes everything when a name holding a backtick leaves the spans unpaired', () => {
    expect(markdownSentence('Largest segment is `x`[x](javascript:alert(1))` with 50.0% of records.')).toBe('Largest segment is \\`x\\`\\[x\\]\\(javascript:alert(1))\\` with 50.0% of records.');
  });
});

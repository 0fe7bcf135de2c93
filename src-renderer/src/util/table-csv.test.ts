import { describe, expect, it } from 'vitest';
import { csvFileName, tableCsv } from './table-csv';

interface Row {
  segment: string;
  records: number;
  revenue: number | null;
}

const columns = [
  { label: 'Segment', value: (r: Row) => r.segment },
  { label: 'Records', value: (r: Row) => r.records },
  { label: 'Revenue', value: (r: Row) => r.revenue },
];

describe('tables as CSV', () => {
  it('writes raw numbers, quotes as RFC 4180 says and defuses formula-like text', () => {
    const rows: Row[] = [
      { segment: 'US', records: 29, revenue: 4020509.65 },
      { segment: 'Smith, "Jr"', records: 1, revenue: -0.5 },
      { segment: '=HYPERLINK("x")', records: 2, revenue: null },
      { segment: '-3 | EU', records: 3, revenue: 1e-7 },
    ];
    expect(tableCsv(columns, rows)).toBe(
      ['Segment,Records,Revenue', 'US,29,4020509.65', '"Smith, ""Jr""",1,-0.5', `"'=HYPERLINK(""x"")",2,`, "'-3 | EU,3,1e-7", ''].join(
        '\n',
      ),
    );
  });

  it('writes numbers unrounded but without the noise of binary sums', () => {
    const sum = 0.1 + 0.2; // 0.30000000000000004
    expect(tableCsv(columns, [{ segment: 'x', records: 3, revenue: 4020509.6500000004 }])).toBe(
      'Segment,Records,Revenue\nx,3,4020509.65\n',
    );
    expect(tableCsv([{ label: 'v', value: (r: number) => r }], [sum, 1 / 3, -1234567.891])).toBe(
      'v\n0.3\n0.333333333333333\n-1234567.891\n',
    );
  });

  it('writes the header alone for an empty table', () => {
    expect(tableCsv(columns, [])).toBe('Segment,Records,Revenue\n');
  });

  it('names the file after the run and the table', () => {
    expect(csvFileName('factorlens_demo_sales.csv by region', 'segments')).toBe('factorlens_demo_sales-by-region-segments.csv');
    expect(csvFileName('Revenue: Feb → Mar / EU', 'drivers')).toBe('Revenue-Feb-Mar-EU-drivers.csv');
    expect(csvFileName('', '')).toBe('table.csv');
  });
});

import type { Source } from '../../src-shared/analyze-options';
import type { ColumnValues, DateRange, MatchCounts, MatchCountsRequest } from '../../src-shared/contract';
import { unknownColumnError } from '../../src-shared/errors';
import { sampleDayMonthOrder } from '../engine/analyze/date-reading';
import { columnValuesSql, dateRangeSql, distinctValuesSql, matchCountsSql } from '../sources/column-values';
import { withScan, type Scan } from '../sources/scan';

/**
 * What the analyze form asks of a dataset before a run, answered by the scan engine where the
 * rows live: a column's values (for the filter pickers), how many rows the filters and period
 * windows keep (so an empty one shows before the run), and a date column's first and last day
 * (the period windows anchor on the last one).
 */

function checkColumn(scan: Scan, column: string, role: string, option: string): string {
  if (!scan.columns.includes(column)) throw unknownColumnError(role, column, scan.columns, option);
  return column;
}

/** The column's most common values (those containing `search`, ignoring case), with their rows, and how many such values there are. */
export async function columnValues(source: Source, column: string, search: string, limit: number): Promise<ColumnValues> {
  return withScan(source, async (scan) => {
    checkColumn(scan, column, 'filter', 'where');
    const rows = await scan.rows(columnValuesSql(scan.relation, column, scan.dialect, limit, search));
    const [total] = await scan.rows(distinctValuesSql(scan.relation, column, scan.dialect, search));
    return { values: rows.map((r) => ({ value: String(r.v), rows: Number(r.n) })), distinct: Number(total?.n ?? 0) };
  });
}

/** Rows in the table, rows all filters keep, rows each filter keeps alone and, with a date column, kept rows per window. */
export async function matchCounts(source: Source, request: Omit<MatchCountsRequest, 'id'>): Promise<MatchCounts> {
  return withScan(source, async (scan) => {
    for (const w of request.where) checkColumn(scan, w.column, 'filter', 'where');
    const period = request.period
      ? {
          column: checkColumn(scan, request.period.dateColumn, 'date', 'dateColumn'),
          order: await sampleDayMonthOrder(scan, request.period.dateColumn),
          current: request.period.current,
          previous: request.period.previous,
        }
      : null;
    const [row] = await scan.rows(matchCountsSql(scan.relation, scan.dialect, request.where, request.whereIgnoreCase, period));
    const n = (key: string) => Number(row?.[key] ?? 0);
    return {
      rows: n('rows'),
      kept: n('kept'),
      perFilter: request.where.map((_, i) => n(`f${i}`)),
      windows: period ? { current: n('current'), previous: n('previous') } : null,
    };
  });
}

/** A date column's first and last day (null when no cell reads as a date) and how many cells are dates. */
export async function dateRange(source: Source, column: string): Promise<DateRange> {
  return withScan(source, async (scan) => {
    checkColumn(scan, column, 'date', 'dateColumn');
    const order = await sampleDayMonthOrder(scan, column);
    const [row] = await scan.rows(dateRangeSql(scan.relation, column, scan.dialect, order));
    const day = (v: unknown) => (v === null || v === undefined ? null : String(v).slice(0, 10));
    return { column, first: day(row?.first), last: day(row?.last), dates: Number(row?.n ?? 0) };
  });
}

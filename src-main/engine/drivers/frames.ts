import type { Windows } from '../../../src-shared/periods';
import type { DayMonthOrder } from '../../sources/dates';
import type { Scan } from '../../sources/scan';
import { quoteLiteral } from '../../sources/sql';
import { datedRowsSql } from '../analyze/date-reading';

/**
 * The two frames of period mode: the rows of the previous window are the base, of the current
 * window the new frame, with the date read once per row in the given day/month order.
 */
export interface PeriodFrames {
  /** The rows of both windows, with fl_side 'base' or 'new'. */
  frames: string;
  /** Every row, with fl_side (NULL outside both windows) and its date cell's check (fl_proof, fl_unreadable). */
  allRows: string;
}

export function periodFrames(
  scan: Pick<Scan, 'dialect' | 'relation'>,
  dateColumn: string,
  windows: Windows,
  order: DayMonthOrder,
): PeriodFrames {
  const d = scan.dialect;
  const { current, previous } = windows;
  const side = `(CASE WHEN fl_day BETWEEN DATE ${quoteLiteral(previous.start)} AND DATE ${quoteLiteral(previous.end)} THEN 'base' WHEN fl_day BETWEEN DATE ${quoteLiteral(current.start)} AND DATE ${quoteLiteral(current.end)} THEN 'new' END)`;
  return {
    frames: `SELECT * FROM (SELECT *, ${side} AS fl_side FROM (SELECT *, ${d.date(dateColumn, order)} AS fl_day FROM ${scan.relation}) AS fl_d) AS fl_s WHERE fl_side IS NOT NULL`,
    allRows: `SELECT *, ${side} AS fl_side FROM ${d.sub(datedRowsSql(scan, dateColumn, order), 'fl_dated')}`,
  };
}

/** Thrown when the whole date column proves another day/month order than the one the frames were read in. */
export class DateOrderChanged extends Error {
  constructor(readonly order: DayMonthOrder) {
    super(`the date column reads ${order}`);
  }
}

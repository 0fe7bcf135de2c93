import type { PeriodCompare } from '../../../src-shared/artifacts/analyze';

/**
 * How the period comparison read dates like 01/07/2026, when the column's cells decided an order
 * (day first or month first). Without one (each cell read by its separator, or an older run)
 * there is nothing to say: null.
 */
export function dayMonthOrderLine(order: PeriodCompare['day_month_order']): string | null {
  if (order === 'day-first') return 'Dates like 01/07/2026 read day first (1 July 2026).';
  if (order === 'month-first') return 'Dates like 01/07/2026 read month first (7 January 2026).';
  return null;
}

import { AppError } from '../../../src-shared/errors';
import type { DATE_ORDERS } from '../../../src-shared/analysis-options';
import { DATE_FORMS, dayMonthOrder, describeOrder, type DayMonthOrder } from '../../sources/dates';

/**
 * The day/month order of a factor input's `01/02/2000` dates. The cells decide when they can (a
 * first number of 13..31 proves day first, a second one month first; the rule of sources/dates.ts);
 * when they cannot and some cell reads differently in the two orders, the analyst is asked
 * (--date-order, or the form's choice), as a price history read the wrong way round would give a
 * model of shuffled returns without a word.
 */
export type AskedOrder = (typeof DATE_ORDERS)[number];

/** What a column's cells say about their day/month order. */
export interface OrderEvidence {
  dayFirst: boolean;
  monthFirst: boolean;
  /** A cell of the day/month form that reads as two different dates (01/02/2000), or null. */
  ambiguous: string | null;
  /** A cell that proved the order (13/02/2000), for the note. */
  proof: string | null;
}

const DAY_MONTH = new RegExp(DATE_FORMS.dayMonth.test);

/** The evidence of a column's cells (distinct cells suffice). */
export function orderEvidence(cells: Iterable<string>): OrderEvidence {
  const out: OrderEvidence = { dayFirst: false, monthFirst: false, ambiguous: null, proof: null };
  for (const cell of cells) {
    const s = cell.trim().toLowerCase();
    if (!DAY_MONTH.test(s)) continue;
    const [a, b] = s.split(/[/.]/, 2).map(Number) as [number, number];
    if (a >= 13 && a <= 31 && b >= 1 && b <= 12) {
      out.dayFirst = true;
      out.proof ??= cell.trim();
    } else if (b >= 13 && b <= 31 && a >= 1 && a <= 12) {
      out.monthFirst = true;
      out.proof ??= cell.trim();
    } else if (a !== b && a >= 1 && a <= 12 && b >= 1 && b <= 12) out.ambiguous ??= cell.trim();
  }
  return out;
}

export interface DecidedOrder {
  order: DayMonthOrder;
  /** How the order was decided, for the run's warnings; null when no cell needed one. */
  note: string | null;
}

/** The order to read a column in: the one asked for, the one its cells prove, or an error that asks. */
export function decideOrder(asked: AskedOrder, evidence: OrderEvidence, label: string, column: string): DecidedOrder {
  if (asked !== 'auto') {
    const seen = evidence.ambiguous ?? evidence.proof;
    return { order: asked, note: seen ? `${column}: dates read ${describeOrder(asked)}, as asked` : null };
  }
  const order = dayMonthOrder(evidence);
  if (order !== 'by-separator') {
    return { order, note: `${column}: dates read ${describeOrder(order)}, detected from cells such as '${evidence.proof}'` };
  }
  if (evidence.dayFirst && evidence.monthFirst)
    throw new AppError(
      'BAD_ARGUMENT',
      `${label}: the dates in '${column}' mix both day/month orders (some cells read only day first, others only month first)`,
      "Write the dates one way (2000-01-31 is never ambiguous), or say which order applies: --date-order day-first or month-first, or the form's day/month order.",
      ['dateOrder'],
    );
  if (evidence.ambiguous)
    throw new AppError(
      'BAD_ARGUMENT',
      `${label}: dates like '${evidence.ambiguous}' in '${column}' could be day first or month first, and no cell tells which (no day above 12)`,
      'Say how they read: --date-order day-first or --date-order month-first on the command line, or the day/month order of the form.',
      ['dateOrder'],
    );
  // Only cells that read the same either way (03/03/2000), or no day/month cells at all.
  return { order: 'month-first', note: null };
}

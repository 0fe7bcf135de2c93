import { AppError } from '../../../src-shared/errors';
import { likelyPriceColumn } from '../../../src-shared/price-columns';

/**
 * The three columns of a long-form price table (one row per ticker and date): named by the
 * analyst, or the seed's `ticker`, `date` and `close` (case does not matter). A table that names
 * them otherwise (vega's `symbol,date,price`) is refused with the columns it likely means, so a
 * column is never taken for prices by a guess.
 */
export interface PriceColumnNames {
  ticker: string | null;
  date: string | null;
  price: string | null;
}

export const NO_NAMED_COLUMNS: PriceColumnNames = { ticker: null, date: null, price: null };

const USUAL = { ticker: 'ticker', date: 'date', price: 'close' } as const;

const OPTION = { ticker: 'tickerColumn', date: 'dateColumn', price: 'priceColumn' } as const;
const FLAG = { ticker: '--ticker-column', date: '--date-column', price: '--price-column' } as const;

/** The index of each column in the header (as written), or an error naming the header's columns. */
export function findPriceColumns(
  names: readonly string[],
  named: PriceColumnNames,
  label: string,
): { ticker: number; date: number; price: number } {
  const lower = names.map((n) => n.trim().toLowerCase());
  const find = (role: keyof PriceColumnNames): number => {
    const given = named[role];
    const wanted = (given ?? USUAL[role]).trim().toLowerCase();
    const i = lower.indexOf(wanted);
    if (i >= 0) return i;
    const flag = `${FLAG[role]} ${likelyPriceColumn(role, names)?.trim() ?? '<column>'}`;
    throw new AppError(
      'UNKNOWN_COLUMN',
      given
        ? `${label} has no '${given}' column (named as the ${role} column). Columns: ${names.join(', ')}`
        : `${label} has no '${USUAL[role]}' column. Columns: ${names.join(', ')}`,
      `Name the ${role} column: ${flag} on the command line, or the ${role} column picker of the form.`,
      [OPTION[role]],
    );
  };
  const out = { ticker: find('ticker'), date: find('date'), price: find('price') };
  if (new Set([out.ticker, out.date, out.price]).size < 3)
    throw new AppError(
      'BAD_ARGUMENT',
      `the ticker, date and price columns of ${label} must be three different columns (got ${names[out.ticker]}, ${names[out.date]}, ${names[out.price]})`,
      'Name a different column for each.',
      ['tickerColumn', 'dateColumn', 'priceColumn'],
    );
  return out;
}

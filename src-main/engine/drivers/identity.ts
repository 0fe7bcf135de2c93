import type { IdentityFit, IdentityTerm } from '../../../src-shared/artifacts/drivers';
import { AppError } from '../../../src-shared/errors';
import { isIdLikeForSuggest } from '../suggest/roles';

/** Identities a metric may follow: products and ratios of two or three of its table's columns. */

export const MAX_MAPE = 0.15;
export const MIN_FIT_ROWS = 20;
/** Three-term identities are searched when there are at most this many candidate columns. */
export const MAX_COLUMNS_FOR_TRIPLES = 8;

/** Columns that are codes or identifiers, not quantities. */
export function isCodeLike(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    isIdLikeForSuggest(name) ||
    lower.endsWith('_code') ||
    lower === 'code' ||
    lower.includes('zip') ||
    lower.includes('postal') ||
    lower.endsWith('_no') ||
    lower.endsWith('_number')
  );
}

export function describeIdentity(metric: string, terms: IdentityTerm[]): string {
  const parts = terms.map((t, i) =>
    i === 0 ? (t.power === 1 ? t.column : `1 / ${t.column}`) : `${t.power === 1 ? '*' : '/'} ${t.column}`,
  );
  return `${metric} = ${parts.join(' ')}`;
}

/** Every candidate identity over the given columns (header order), pairs before triples. */
export function candidateIdentities(columns: string[]): IdentityTerm[][] {
  const out: IdentityTerm[][] = [];
  const t = (column: string, power: 1 | -1): IdentityTerm => ({ column, power });
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      const [a, b] = [columns[i]!, columns[j]!];
      out.push([t(a, 1), t(b, 1)], [t(a, 1), t(b, -1)], [t(b, 1), t(a, -1)]);
    }
  }
  if (columns.length <= MAX_COLUMNS_FOR_TRIPLES) {
    for (let i = 0; i < columns.length; i++) {
      for (let j = i + 1; j < columns.length; j++) {
        for (let k = j + 1; k < columns.length; k++) {
          const [a, b, c] = [columns[i]!, columns[j]!, columns[k]!];
          out.push([t(a, 1), t(b, 1), t(c, 1)], [t(a, 1), t(b, 1), t(c, -1)], [t(a, 1), t(c, 1), t(b, -1)], [t(b, 1), t(c, 1), t(a, -1)]);
        }
      }
    }
  }
  return out;
}

/**
 * Parses a stated identity, "revenue_usd = orders * avg_price_usd" (also "/" and three terms). Column
 * names resolve exactly, then ignoring case.
 */
export function parseIdentity(text: string, columns: string[]): { metric: string; terms: IdentityTerm[] } {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw new AppError(
      'BAD_ARGUMENT',
      `invalid identity '${text}': expected "metric = a * b" (or a / b, or three terms)`,
      'Write the identity as "revenue_usd = orders * avg_price_usd": the metric, =, then two or three columns joined by * or /.',
      ['identity'],
    );
  const resolve = (name: string) => {
    const n = name.trim();
    const found = columns.find((c) => c === n) ?? columns.find((c) => c.toLowerCase() === n.toLowerCase());
    if (!found)
      throw new AppError(
        'UNKNOWN_COLUMN',
        `the identity names column '${n}', which is not in the table. Available columns: ${columns.join(', ')}`,
        'Use column names exactly as in the header (case may differ).',
        ['identity'],
      );
    return found;
  };
  const metric = resolve(text.slice(0, eq));
  const rhs = text.slice(eq + 1).trim();
  const tokens = rhs.split(/\s*([*/])\s*/);
  const terms: IdentityTerm[] = [{ column: resolve(tokens[0] ?? ''), power: 1 }];
  for (let i = 1; i < tokens.length; i += 2) terms.push({ column: resolve(tokens[i + 1] ?? ''), power: tokens[i] === '/' ? -1 : 1 });
  if (terms.length < 2 || terms.length > 3)
    throw new AppError(
      'BAD_ARGUMENT',
      `the identity needs two or three driver columns joined by * or / (got '${rhs}')`,
      'For example "revenue_usd = orders * avg_price_usd" or "margin = profit / revenue".',
      ['identity'],
    );
  return { metric, terms };
}

/** Picks the best-fitting identity (lowest MAPE; fewer terms, then search order, on ties). */
export function chooseIdentity(metric: string, fits: IdentityFit[]): IdentityFit {
  const usable = fits.filter((f) => f.fit_rows >= MIN_FIT_ROWS && Number.isFinite(f.fit_mape));
  // MAPEs within a hair of each other are a tie (float noise must not pick a longer identity).
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9;
  const ranked = usable
    .map((f, order) => ({ f, order }))
    .sort(
      (x, y) =>
        (close(x.f.fit_mape, y.f.fit_mape) ? 0 : x.f.fit_mape - y.f.fit_mape) || x.f.terms.length - y.f.terms.length || x.order - y.order,
    );
  const best = ranked[0]?.f;
  if (!best || best.fit_mape > MAX_MAPE) {
    const near = ranked
      .slice(0, 3)
      .map(({ f }) => `${f.expression} (MAPE ${(f.fit_mape * 100).toFixed(1)}%)`)
      .join('; ');
    throw new AppError(
      'BAD_ARGUMENT',
      `no identity fits '${metric}' within ${MAX_MAPE * 100}% MAPE${near ? `; closest: ${near}` : ''}`,
      'State the identity yourself, as "metric = a * b", or check that the metric really is a product or ratio of other columns.',
      ['identity'],
    );
  }
  return best;
}

import type { IdentityFit, IdentityForm, IdentityTerm } from '../../../src-shared/artifacts/drivers';
import { AppError } from '../../../src-shared/errors';
import { isIdLikeForSuggest } from '../suggest/roles';

/** Identities a metric may follow: products and ratios of two or three of its table's columns, and sums of them. */

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

/** An identity's right-hand side: its terms and how they combine. */
export interface Formula {
  form: IdentityForm;
  terms: IdentityTerm[];
}

export function describeIdentity(metric: string, terms: IdentityTerm[], form: IdentityForm = 'product'): string {
  const [times, over] = form === 'sum' ? ['+', '-'] : ['*', '/'];
  const parts = terms.map((t, i) =>
    i === 0
      ? t.power === 1
        ? t.column
        : form === 'sum'
          ? `-${t.column}`
          : `1 / ${t.column}`
      : `${t.power === 1 ? times : over} ${t.column}`,
  );
  return `${metric} = ${parts.join(' ')}`;
}

/**
 * Every candidate identity over the given columns (header order): products and ratios of pairs,
 * sums and differences of pairs, then (with few columns) products and sums of triples.
 */
export function candidateIdentities(columns: string[]): Formula[] {
  const out: Formula[] = [];
  const t = (column: string, power: 1 | -1): IdentityTerm => ({ column, power });
  const product = (...terms: IdentityTerm[]): Formula => ({ form: 'product', terms });
  const sum = (...terms: IdentityTerm[]): Formula => ({ form: 'sum', terms });
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      const [a, b] = [columns[i]!, columns[j]!];
      out.push(product(t(a, 1), t(b, 1)), product(t(a, 1), t(b, -1)), product(t(b, 1), t(a, -1)));
      out.push(sum(t(a, 1), t(b, 1)), sum(t(a, 1), t(b, -1)), sum(t(b, 1), t(a, -1)));
    }
  }
  if (columns.length <= MAX_COLUMNS_FOR_TRIPLES) {
    for (let i = 0; i < columns.length; i++) {
      for (let j = i + 1; j < columns.length; j++) {
        for (let k = j + 1; k < columns.length; k++) {
          const [a, b, c] = [columns[i]!, columns[j]!, columns[k]!];
          out.push(
            product(t(a, 1), t(b, 1), t(c, 1)),
            product(t(a, 1), t(b, 1), t(c, -1)),
            product(t(a, 1), t(c, 1), t(b, -1)),
            product(t(b, 1), t(c, 1), t(a, -1)),
            sum(t(a, 1), t(b, 1), t(c, 1)),
          );
        }
      }
    }
  }
  return out;
}

const IDENTITY_EXAMPLE =
  'Write the identity as "revenue_usd = orders * avg_price_usd" or "revenue = online + store": the metric, =, then columns joined by * and / (a product, two or three columns) or by + and - (a sum, two or more).';

/**
 * Parses a stated identity: "revenue_usd = orders * avg_price_usd" (also "/", three terms) or a
 * sum, "revenue = online + store" (also "-", any number of terms). Column names resolve exactly,
 * then ignoring case; a name that holds an operator ("e-commerce") is read as one name when the
 * table has that column.
 */
export function parseIdentity(text: string, columns: string[]): { metric: string } & Formula {
  const eq = text.indexOf('=');
  if (eq <= 0)
    throw new AppError('BAD_ARGUMENT', `invalid identity '${text}': expected "metric = a * b" or "metric = a + b"`, IDENTITY_EXAMPLE, [
      'identity',
    ]);
  const find = (name: string) => {
    const n = name.trim();
    return columns.find((c) => c === n) ?? columns.find((c) => c.toLowerCase() === n.toLowerCase()) ?? null;
  };
  const unknown = (n: string) =>
    new AppError(
      'UNKNOWN_COLUMN',
      `the identity names column '${n.trim()}', which is not in the table. Available columns: ${columns.join(', ')}`,
      'Use column names exactly as in the header (case may differ).',
      ['identity'],
    );
  const metric = find(text.slice(0, eq));
  if (!metric) throw unknown(text.slice(0, eq));
  const rhs = text.slice(eq + 1).trim();
  // Pieces between operators; the longest run of pieces that names a column is one operand.
  const pieces = rhs.split(/([*/+-])/);
  const operands: { op: string; column: string }[] = [];
  let op = '';
  for (let i = 0; i < pieces.length;) {
    if (i === 0 && pieces[0]!.trim() === '' && pieces[1] === '-') {
      op = '-';
      i = 2;
      continue;
    }
    let found: { column: string; next: number } | null = null;
    for (let j = pieces.length - 1; j >= i; j -= 2) {
      const column = find(pieces.slice(i, j + 1).join(''));
      if (column) {
        found = { column, next: j + 1 };
        break;
      }
    }
    if (!found) throw unknown(pieces[i]!);
    operands.push({ op, column: found.column });
    op = pieces[found.next] ?? '';
    i = found.next + 1;
  }
  const ops = new Set(operands.slice(1).map((o) => o.op));
  const form: IdentityForm = ops.has('+') || ops.has('-') || operands[0]?.op === '-' ? 'sum' : 'product';
  const mixed = form === 'sum' ? ops.has('*') || ops.has('/') : false;
  const count = operands.length;
  if (mixed || count < 2 || (form === 'product' && count > 3))
    throw new AppError(
      'BAD_ARGUMENT',
      mixed
        ? `the identity mixes a product and a sum ('${rhs}'); each run explains one of them`
        : `the identity needs two or three columns joined by * or /, or two or more joined by + or - (got '${rhs}')`,
      IDENTITY_EXAMPLE,
      ['identity'],
    );
  const terms: IdentityTerm[] = operands.map((o) => ({ column: o.column, power: o.op === '/' || o.op === '-' ? -1 : 1 }));
  return { metric, form, terms };
}

/** No identity fits the metric: the best one tried (null when none could be measured) and how far it misses. */
export class NoIdentityFits extends AppError {
  constructor(
    readonly metric: string,
    readonly best: IdentityFit | null,
    message: string,
    hint: string,
  ) {
    super('BAD_ARGUMENT', message, hint, ['identity']);
  }
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
    throw new NoIdentityFits(
      metric,
      best ?? null,
      `no identity fits '${metric}' within ${MAX_MAPE * 100}% MAPE${near ? `; closest: ${near}` : ''}`,
      'State the identity yourself, as "metric = a * b" or "metric = a + b", or check that the metric really is a product, ratio or sum of other columns.',
    );
  }
  return best;
}

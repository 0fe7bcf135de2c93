import { AppError } from '../../../src-shared/errors';

/** A driver of analyze-investigate: an aggregate of one column (or of the rows) per window. */
export interface DriverExpr {
  fn: 'sum' | 'avg' | 'count' | 'count_distinct';
  /** null for count(*). */
  column: string | null;
  label: string;
}

const FUNCTIONS: Record<string, DriverExpr['fn']> = {
  sum: 'sum',
  avg: 'avg',
  mean: 'avg',
  count: 'count',
  count_distinct: 'count_distinct',
  distinct_count: 'count_distinct',
  n_distinct: 'count_distinct',
};

export function labelOf(fn: DriverExpr['fn'], column: string | null): string {
  return column === null ? 'count(*)' : `${fn}(${column})`;
}

/** "sum(orders)", "avg(price)", "count(*)", "count_distinct(user_id)" or a bare column (a sum). */
export function parseDriverExpr(text: string, resolve: (name: string) => string): DriverExpr {
  const t = text.trim();
  const m = /^([A-Za-z_]+)\s*\(\s*(.*?)\s*\)$/.exec(t);
  if (!m) {
    const column = resolve(t);
    return { fn: 'sum', column, label: column };
  }
  const fn = FUNCTIONS[m[1]!.toLowerCase()];
  if (!fn)
    throw new AppError(
      'BAD_ARGUMENT',
      `unknown driver function '${m[1]}' in '${t}'`,
      'Use sum(col), avg(col), count(col), count(*) or count_distinct(col).',
    );
  const inner = m[2]!;
  if (inner === '*' || inner === '') {
    if (fn !== 'count') throw new AppError('BAD_ARGUMENT', `'${t}' needs a column`, 'Only count(*) takes no column.');
    return { fn: 'count', column: null, label: 'count(*)' };
  }
  const column = resolve(inner);
  return { fn, column, label: labelOf(fn, column) };
}

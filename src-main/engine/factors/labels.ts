import { parse } from 'csv-parse/sync';
import { AppError } from '../../../src-shared/errors';

/**
 * Factor names (SPEC 10.5): a base name by rank, plus the tickers that load most and least on the
 * factor. Our eigenvector signs are deterministic (largest loading positive), so "high" and "low"
 * are stable between runs.
 */
const BASES = ['Primary Shared Move', 'Secondary Shared Move', 'Cross-Asset Spread', 'Higher-Order Pattern', 'Higher-Order Pattern'];

export function autoLabels(tickers: string[], loadings: number[][], k: number): string[] {
  return Array.from({ length: k }, (_, f) => {
    const order = tickers.map((t, i) => ({ t, v: loadings[i]![f]! })).sort((a, b) => a.v - b.v || (a.t < b.t ? -1 : 1));
    const low = order.slice(0, 2).map((o) => o.t);
    const high = order
      .slice()
      .reverse()
      .map((o) => o.t)
      .filter((t) => !low.includes(t))
      .slice(0, 2);
    const base = BASES[f] ?? 'Latent Statistical Factor';
    return `${base} (high: ${high.join('/') || '-'}; low: ${low.join('/')})`;
  });
}

/**
 * A factor-labels file: `factor,label` rows (header optional, `#` comments, comma or tab). A factor
 * may be named `factor_2`, `factor_2_contrib` or `2`. Returns the labels with the file's overrides;
 * rows for factors the model does not have are skipped.
 */
export function applyLabelsFile(labels: string[], text: string, source: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const body = lines.filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).join('\n');
  const delimiter = body.split('\n', 1)[0]!.includes('\t') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parse(body, { delimiter, trim: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    throw new AppError(
      'NOT_A_TABLE',
      `${source} is not a factor-labels table: ${(err as Error).message}`,
      'Write one "factor,label" pair per line.',
    );
  }
  const out = [...labels];
  rows.forEach((row, i) => {
    const [key = '', ...rest] = row;
    const label = rest.join(delimiter === ',' ? ', ' : ' ').trim();
    if (i === 0 && key.toLowerCase() === 'factor') return;
    const m = /^(?:factor_)?(\d+)(?:_contrib)?$/i.exec(key);
    if (!m)
      throw new AppError(
        'BAD_ARGUMENT',
        `${source}: '${key}' is not a factor (use factor_1, factor_1_contrib or 1)`,
        'Fix that row of the labels file.',
      );
    const f = Number(m[1]) - 1;
    if (f < 0) throw new AppError('BAD_ARGUMENT', `${source}: factors are numbered from 1 ('${key}')`, 'Fix that row of the labels file.');
    if (label === '') throw new AppError('BAD_ARGUMENT', `${source}: ${key} has an empty label`, 'Give each listed factor a name.');
    // One labels file may serve models of several sizes: names of factors beyond k are not used.
    if (f < out.length) out[f] = label;
  });
  return out;
}

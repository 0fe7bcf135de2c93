import { randomUUID } from 'node:crypto';
import type { FactorsArtifact } from '../../src-shared/artifacts/factors';

/**
 * The text of factors.json, in pieces to write one after the other: exactly what
 * JSON.stringify(artifact, null, 2) writes, except that the T x assets standardised returns (1.26
 * million numbers for 500 tickers over ten years) are written a few rows at a time, from the
 * typed rows the engine hands over, so the whole text (tens of megabytes) is never held at once.
 */
export function* factorsJson(a: FactorsArtifact): Generator<string> {
  const rows = a.model.standardized_returns;
  if (!rows) return yield `${JSON.stringify(a, null, 2)}\n`;
  // The rows' place in the text: a marker no artifact value can hold.
  const marker = JSON.stringify(`\u0000${randomUUID()}`);
  const text = JSON.stringify({ ...a, model: { ...a.model, standardized_returns: JSON.parse(marker) as string } }, null, 2);
  const at = text.indexOf(marker);
  yield text.slice(0, at);
  yield* matrixJson(rows, 2);
  yield `${text.slice(at + marker.length)}\n`;
}

/** An array of number rows as JSON.stringify(rows, null, 2) writes it at nesting depth `depth`, 64 rows a piece. */
function* matrixJson(rows: (number[] | Float64Array)[], depth: number): Generator<string> {
  if (rows.length === 0) return yield '[]';
  const outer = '  '.repeat(depth);
  const inner = `${outer}  `;
  const separator = `,\n${inner}  `;
  const rowJson = (row: number[] | Float64Array) => {
    if (row.length === 0) return '[]';
    // A number's JSON is its string; NaN and infinities (which a fit never produces) are null.
    let values = row.join(separator);
    if (/[NI]/.test(values)) values = Array.from(row, (v) => (Number.isFinite(v) ? String(v) : 'null')).join(separator);
    return `[\n${inner}  ${values}\n${inner}]`;
  };
  for (let start = 0; start < rows.length; start += 64) {
    yield `${start === 0 ? '[' : ','}\n${inner}${rows.slice(start, start + 64).map(rowJson).join(`,\n${inner}`)}`;
  }
  yield `\n${outer}]`;
}

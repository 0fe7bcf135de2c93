import type { Evidence } from './evidence';

/**
 * Every number of an answer, checked against the evidence: verified when it equals a value of an
 * evidence line as written (allowing for the rounding the answer shows, thousands separators, a
 * sign, a % sign, and k/M/B suffixes), linked to the lines it matches; unverified otherwise. Years
 * and dates are not facts to check; evidence ids ([E3]) are references, not numbers.
 */
export interface CheckedNumber {
  /** As written in the answer. */
  text: string;
  value: number;
  /** Where it is in the answer. */
  index: number;
  verified: boolean;
  evidence: string[];
}

const SCALE: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6, b: 1e9, B: 1e9, bn: 1e9 };
const NUMBER = /(?<![\w.[])([-+−]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s?(?:bn|[kKmMbB])\b)?(%)?/g;

export function checkNumbers(answer: string, evidence: Evidence[]): CheckedNumber[] {
  const out: CheckedNumber[] = [];
  // Dates (2026-03-15, 2026-03) are spans whose parts are not numbers to check.
  const dates = [...answer.matchAll(/\b\d{4}-\d{1,2}(?:-\d{1,2})?\b/g)].map((d) => [d.index!, d.index! + d[0].length] as const);
  // Names from the data ("Store 12", "Tier 1") are names, not numbers to check, wherever the answer repeats them.
  for (const name of quotedNames(evidence)) {
    for (let at = answer.indexOf(name); at >= 0; at = answer.indexOf(name, at + name.length)) dates.push([at, at + name.length]);
  }
  for (const m of answer.matchAll(NUMBER)) {
    const [text, sign, whole, frac, suffix] = [m[0], m[1], m[2]!, m[3], m[4]?.trim()];
    const index = m.index!;
    // Evidence ids and dates are skipped: [E3], 2026-03-15, and a bare year.
    if (answer[index - 1] === 'E' && answer[index - 2] === '[') continue;
    if (dates.some(([from, to]) => index + (sign ? 1 : 0) >= from && index < to)) continue;
    // A bare year is not checked, unless the evidence has that very value (then it is verified).
    if (!frac && !suffix && !sign && /^(19|20)\d{2}$/.test(whole) && !evidence.some((e) => e.values.includes(Number(whole)))) continue;
    const base = Number(`${whole.replaceAll(',', '')}${frac ? `.${frac}` : ''}`);
    const value = (sign === '-' || sign === '−' ? -1 : 1) * base * (suffix ? (SCALE[suffix] ?? 1) : 1);
    // Half a unit of the last digit shown (or of the suffix's precision) is rounding.
    const step = 10 ** -(frac?.length ?? 0) * (suffix ? (SCALE[suffix] ?? 1) : 1);
    const tolerance = step / 2 + 1e-9 * Math.max(1, Math.abs(value));
    const matches = evidence.filter((e) =>
      e.values.some((v) => Math.abs(Math.abs(v) - Math.abs(value)) <= tolerance && (Math.sign(v) === Math.sign(value) || !sign || v === 0)),
    );
    out.push({ text, value, index, verified: matches.length > 0, evidence: matches.map((e) => e.id) });
  }
  return out;
}

/** The quoted data values of the evidence that contain a digit (segment, column and factor names). */
function quotedNames(evidence: Evidence[]): string[] {
  const names = new Set<string>();
  for (const e of evidence) for (const m of e.text.matchAll(/"([^"]*\d[^"]*)"/g)) if (m[1]!.trim().length > 1) names.add(m[1]!);
  return [...names].sort((a, b) => b.length - a.length);
}

/** A citation of evidence lines: [E2] or [E1, E3]. */
export const CITATION = /\[E\d+(?:\s*,\s*E\d+)*\]/;

/** Whether an answer is grounded: it cites evidence, and every number it states is verified. */
export function isGrounded(answer: string, evidence: Evidence[]): boolean {
  if (!answer.trim() || !CITATION.test(answer)) return false;
  return checkNumbers(answer, evidence).every((n) => n.verified);
}

/** Amounts for people, in stories and on chart labels: three significant digits and a K/M/B suffix. */

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });

/** 880172.44 -> "880K", 5370391.8 -> "5.37M", 0.0068 -> "0.0068" (a value that rounds to 0 is "0"). */
export function shortAmount(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : value < 0 ? '−∞' : '–';
  const text = compact.format(value);
  return text === '-0' ? '0' : text;
}

/** Always signed: -880172.44 -> "-880K", 82426.66 -> "+82.4K"; 0 -> "0". */
export function signedShortAmount(value: number): string {
  const text = shortAmount(value);
  if (text === '0' || text.startsWith('-') || !Number.isFinite(value)) return text;
  return `+${text}`;
}

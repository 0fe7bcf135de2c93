import { AppError } from '../../../src-shared/errors';

/** A whole-number flag value, at least `min`; a typed BAD_ARGUMENT otherwise. */
export function wholeNumber(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new AppError('BAD_ARGUMENT', `${flag} must be a whole number of at least ${min} (got '${text}')`);
  return n;
}

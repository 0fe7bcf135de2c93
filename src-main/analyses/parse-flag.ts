import { AppError } from '../../src-shared/errors';

/** A flag parser's complaint as a BAD_ARGUMENT naming its option, with what to write instead. */
export function written<T>(parse: () => T, option: string, hint: string): T {
  try {
    return parse();
  } catch (err) {
    throw new AppError('BAD_ARGUMENT', (err as Error).message, hint, [option]);
  }
}

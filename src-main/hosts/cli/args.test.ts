import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import { parseFlagValues, wholeNumber } from './args';

function failure(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a failure');
}

describe('flag values', () => {
  it('a whole number within its range, written with digits only', () => {
    expect(wholeNumber('--top', '20', 1)).toBe(20);
    expect(wholeNumber('--top', ' 7 ', 1)).toBe(7);
    expect(wholeNumber('--top-insights', '0', 0)).toBe(0);
    for (const bad of ['0', '-1', 'abc', '1.5', '', '1e3', '0x10']) {
      const e = failure(() => wholeNumber('--top', bad, 1));
      expect(e.code).toBe('BAD_ARGUMENT');
      expect(e.message).toBe(`--top must be a whole number of at least 1 (got '${bad}')`);
      expect(e.hint).toBe('Give --top a whole number of 1 or more, written with digits only, e.g. --top 10.');
    }
    const high = failure(() => wholeNumber('--max-tokens', '5000', 16, 4096));
    expect(high.message).toBe("--max-tokens must be a whole number from 16 to 4096 (got '5000')");
    expect(high.hint).toBe('Give --max-tokens a whole number from 16 to 4096, written with digits only, e.g. --max-tokens 16.');
  });

  it('a schema failure names the flag and what it accepts, never a zod error', () => {
    const schema = z.object({
      sampleRows: z.number().int().min(1).max(20),
      profileName: z.string().min(1),
      mode: z.enum(['head', 'random']),
    });
    const flags = { sampleRows: '--sample-rows', profileName: '--profile-name' };
    expect(parseFlagValues(schema, { sampleRows: 3, profileName: 'x', mode: 'head' }, flags)).toEqual({
      sampleRows: 3,
      profileName: 'x',
      mode: 'head',
    });
    const big = failure(() => parseFlagValues(schema, { sampleRows: 25, profileName: 'x', mode: 'head' }, flags));
    expect(big.code).toBe('BAD_ARGUMENT');
    expect(big.message).toBe("--sample-rows must be at most 20 (got '25')");
    expect(big.hint).toBe('Change --sample-rows (it must be at most 20), or leave the flag out to use its default.');
    expect(failure(() => parseFlagValues(schema, { sampleRows: 3, profileName: '', mode: 'head' }, flags)).message).toBe(
      "--profile-name must be a non-empty text (got '')",
    );
    // A key without a mapping is spelled as its flag.
    expect(failure(() => parseFlagValues(schema, { sampleRows: 3, profileName: 'x', mode: 'tail' as 'head' }, flags)).message).toBe(
      "--mode must be one of head, random (got 'tail')",
    );
  });
});

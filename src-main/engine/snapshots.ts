import type { Source } from '../../src-shared/analyze-options';
import { AppError } from '../../src-shared/errors';
import type { Scan } from '../sources/scan';

/**
 * Two-snapshot mode (a base file and a new file with the same header), shared by the analyses
 * that offer it. A Postgres query has no second snapshot: it is compared across two periods.
 */
export function requireFileSnapshots(source: Source | null | undefined, withNew: boolean): void {
  if (withNew && source && source.kind !== 'file') {
    throw new AppError(
      'BAD_ARGUMENT',
      'two-snapshot mode compares two files; a Postgres query is compared across two periods',
      'Compare two periods of the query (name its date column and the windows), or export both snapshots as files.',
      ['dateColumn', 'windows'],
    );
  }
}

/** The new snapshot's relation beside the scan of the base one (null without one); its header must be the base's. */
export async function newSnapshot(
  scan: Scan,
  req: { input: string; inputNew: string | null },
): Promise<{ relation: string; columns: string[] } | null> {
  if (!req.inputNew) return null;
  const other = await scan.fileRelation!(req.inputNew);
  if (other.columns.join('\u0000') !== scan.columns.join('\u0000')) {
    throw new AppError(
      'BAD_ARGUMENT',
      `${req.inputNew} has different columns from ${req.input}`,
      'Both files need the same header (same names in the same order).',
    );
  }
  return other;
}

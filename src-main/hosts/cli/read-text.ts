import { readFile } from 'node:fs/promises';
import { AppError } from '../../../src-shared/errors';

/**
 * The text of a file a flag names. A path that does not exist is FILE_NOT_FOUND, a folder or a
 * file that may not be read is FILE_UNREADABLE, each said in words (never a bare ENOENT) with
 * `hint` saying what to pass instead.
 */
export async function readTextFile(flag: string, file: string, hint: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new AppError(
        'FILE_NOT_FOUND',
        `${flag} ${file}: no such file`,
        `Check the path (relative paths start from the current folder). ${hint}`,
      );
    if (code === 'EISDIR') throw new AppError('FILE_UNREADABLE', `${flag} ${file} is a folder, not a file`, hint);
    if (code === 'EACCES' || code === 'EPERM')
      throw new AppError('FILE_UNREADABLE', `${flag} ${file}: no permission to read it`, `Give yourself read access to the file. ${hint}`);
    throw new AppError('FILE_UNREADABLE', `${flag} ${file} cannot be read: ${(err as Error).message}`, hint);
  }
}

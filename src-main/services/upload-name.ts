import { AppError } from '../../src-shared/errors';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;

/**
 * The name an uploaded file is kept under. Only a plain file name is taken: no folder part, not
 * `.` or `..`, no control characters (so nothing is written outside its uploads folder). Other
 * characters a file system may not like become `_`.
 */
export function plainUploadName(name: string): string {
  const notPlain = name === '' || name === '.' || name === '..' || /[/\\]/.test(name) || name.search(CONTROL) >= 0;
  if (notPlain || Buffer.byteLength(name) > 200) {
    throw new AppError(
      'BAD_REQUEST',
      `'${name.replace(CONTROL, '?')}' is not a plain file name for an upload`,
      'Give the name of the file alone (at most 200 bytes), without a folder, `.`, `..`, `/`, `\\` or control characters.',
    );
  }
  return name.replace(/[^\w.\- ]+/g, '_');
}

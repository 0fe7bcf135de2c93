import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../src-shared/errors';

/**
 * Which files an API call may name. The desktop app lets the analyst name any file (they pick it
 * in a native dialog). The web host limits them to a few folders, so a page holding the token
 * cannot read /etc/passwd (or a key file) through the workbench.
 */
export interface FileAccess {
  /** True when only files inside some folders may be named (the web host). */
  readonly limited: boolean;
  /**
   * The file's absolute path (its real path, symlinks resolved, when limited) if a caller may
   * name it; PATH_NOT_ALLOWED otherwise. `what` names the file in the message ("the CA file").
   */
  allow(file: string, what: string): Promise<string>;
}

/** The desktop app: any file. */
export const anyFile: FileAccess = {
  limited: false,
  allow: async (file) => path.resolve(file),
};

/**
 * Only files inside `folders` (checked on real paths, so a symlink in an allowed folder that
 * points elsewhere is refused). `folders` is read at each check: a folder made later counts.
 */
export function filesInside(
  folders: () => string[],
  refusal: (file: string, what: string, folders: string[]) => AppError = webRefusal,
): FileAccess {
  return {
    limited: true,
    allow: async (file, what) => {
      const target = await realPathOf(file);
      const roots = await Promise.all(folders().map(realPathOf));
      if (roots.some((root) => isInside(target, root))) return target;
      throw refusal(file, what, folders());
    },
  };
}

/** The web host's refusal: the folders it may read, and how to add one. */
const webRefusal = (file: string, what: string, folders: string[]): AppError =>
  new AppError(
    'PATH_NOT_ALLOWED',
    `${what} ${file} is outside the folders this web workbench may read (${folders.join(', ')})`,
    'Restart `factorlens serve` with `--allow-dir <folder>` for the folder that holds it (repeat the flag for more folders), or upload the file instead.',
  );

function isInside(target: string, root: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * The real path of a file that may not exist yet: the real path of its nearest existing folder
 * plus the rest. Whether the file exists is not revealed by the check (refused either way).
 */
export async function realPathOf(file: string): Promise<string> {
  let head = path.resolve(file);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(head), ...rest);
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return path.resolve(file);
      rest.unshift(path.basename(head));
      head = parent;
    }
  }
}

import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * What the operating system asks the app to open: a workspace (`.flworkspace`, the app is its
 * editor) or tables ("Open with" on a CSV; the other formats the app reads come along). On
 * Windows and Linux they arrive as command-line arguments, on macOS as `open-file` events. Flags
 * (Chromium's and Electron's own, `--inspect`, …), missing files and folders are left out.
 */
export interface OpenRequests {
  /** The last workspace named, absolute; null when none. */
  workspace: string | null;
  /** Table files, absolute, in the order given, each once. */
  tables: string[];
}

const TABLE = /\.(csv|tsv|txt|parquet|json|jsonl|ndjson)$/i;
const WORKSPACE = /\.flworkspace$/i;

const isFile = (file: string): boolean => {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** Sorts the paths of a launch or an `open-file` event into a workspace and tables. */
export function openRequests(args: readonly string[], cwd: string): OpenRequests {
  const result: OpenRequests = { workspace: null, tables: [] };
  for (const arg of args) {
    if (arg === '' || arg.startsWith('-')) continue;
    const file = path.resolve(cwd, arg);
    if (!isFile(file)) continue;
    if (WORKSPACE.test(file)) result.workspace = file;
    else if (TABLE.test(file) && !result.tables.includes(file)) result.tables.push(file);
  }
  return result;
}

/** The arguments after the program (and, when run as `electron <app folder>`, after the folder). */
export function launchArgs(argv: readonly string[], runFromSource: boolean): string[] {
  return argv.slice(runFromSource ? 2 : 1);
}

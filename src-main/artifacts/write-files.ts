import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../src-shared/errors';

/**
 * Writing reports and artifact folders: all files or none, through temporary files named after
 * their target (`.<name>.<pid>.<random>.factorlens-tmp` beside it), so one left by a killed run
 * is recognisable and removed by the next write to the same path. A path that cannot be written
 * fails at once with WRITE_FAILED naming it; folders this write created are removed again.
 */

const TEMP_SUFFIX = '.factorlens-tmp';
/** A temporary file this old is stale even if its pid is alive (the pid may be reused). */
const STALE_AFTER_MS = 60_000;

/** The target's name as it appears in its temporary files (long names shortened, still unique). */
function tempStem(name: string): string {
  return name.length <= 120 ? name : `${name.slice(0, 100)}-${createHash('sha1').update(name).digest('hex').slice(0, 12)}`;
}

function tempPath(target: string): string {
  return path.join(path.dirname(target), `.${tempStem(path.basename(target))}.${process.pid}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Our temporary files for `target`, and those of earlier versions (`<name>.<pid>.<hex>.tmp`): name → pid. */
function tempPattern(target: string): RegExp {
  const name = path.basename(target);
  return new RegExp(`^(?:\\.${escapeRegExp(tempStem(name))}\\.(\\d+)\\.[0-9a-f]{8}${escapeRegExp(TEMP_SUFFIX)}|${escapeRegExp(name)}\\.(\\d+)\\.[0-9a-f]{8}\\.tmp)$`);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temporary files being written now; removed if the process exits (Ctrl-C, a kill the CLI catches). */
const inFlight = new Set<string>();
let exitHookInstalled = false;

function track(tmp: string): void {
  if (!exitHookInstalled) {
    process.on('exit', () => {
      for (const file of inFlight) rmSync(file, { force: true });
    });
    exitHookInstalled = true;
  }
  inFlight.add(tmp);
}

/** Removes temporary files of earlier writes to `target` whose process is gone or that are over a minute old. */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const dir = path.dirname(target);
  const pattern = tempPattern(target);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    const file = path.join(dir, name);
    if (!match || inFlight.has(file)) continue;
    try {
      const info = await lstat(file);
      if (!info.isFile()) continue;
      if (isAlive(Number(match[1] ?? match[2])) && Date.now() - info.mtimeMs < STALE_AFTER_MS) continue;
      await rm(file, { force: true });
      removed.push(file);
    } catch {
      // Another process removed or renamed it meanwhile: nothing to clean.
    }
  }
  return removed;
}

type Stage = 'folder' | 'file' | 'target';

class WriteProblem extends Error {
  constructor(
    readonly stage: Stage,
    readonly at: string,
    readonly errno: string,
    detail: string,
  ) {
    super(detail);
  }
}

const errnoOf = (err: unknown) => (err as NodeJS.ErrnoException).code ?? 'UNKNOWN';

/** Creates the missing folders of `dir` one by one (fs.mkdir's recursive mode loops forever under /proc). */
async function ensureFolder(dir: string, created: string[]): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  for (;;) {
    try {
      const info = await stat(current);
      if (!info.isDirectory()) throw new WriteProblem('folder', current, 'ENOTDIR', `${current} is a file, not a folder`);
      break;
    } catch (err) {
      if (err instanceof WriteProblem) throw err;
      const code = errnoOf(err);
      const parent = path.dirname(current);
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === current) throw new WriteProblem('folder', current, code, (err as Error).message);
      missing.unshift(current);
      current = parent;
    }
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
      created.push(folder);
    } catch (err) {
      const code = errnoOf(err);
      const raced = code === 'EEXIST' && (await stat(folder).catch(() => null))?.isDirectory();
      if (!raced) throw new WriteProblem('folder', folder, code, (err as Error).message);
    }
  }
}

/** The target must be a file or not exist yet; a folder in its place or an impossible name fails before anything is written. */
async function checkTarget(target: string): Promise<void> {
  try {
    if ((await lstat(target)).isDirectory()) throw new WriteProblem('target', target, 'EISDIR', `${target} is a folder`);
  } catch (err) {
    if (err instanceof WriteProblem) throw err;
    const code = errnoOf(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return; // a missing folder is created (or reported) next
    throw new WriteProblem('target', target, code, (err as Error).message);
  }
}

function writeError(problem: WriteProblem, file: string): AppError {
  const where = problem.at === file ? file : `${file} (at ${problem.at})`;
  const pickAnother = 'Save to another path: a file in a folder you can write to (with the CLI, change --out).';
  switch (problem.errno) {
    case 'EISDIR':
      return new AppError('WRITE_FAILED', `cannot write ${file}: it is a folder, not a file`, 'Give the path of a file (a name after the folder), or remove the folder.');
    case 'ENOTDIR':
      return new AppError('WRITE_FAILED', `cannot write ${file}: ${problem.at} is a file, not a folder`, pickAnother);
    case 'EACCES':
    case 'EPERM':
      return new AppError('WRITE_FAILED', `cannot write ${where}: permission denied`, `You may not create files there. ${pickAnother}`);
    case 'EROFS':
      return new AppError('WRITE_FAILED', `cannot write ${where}: the file system is read-only`, pickAnother);
    case 'ENAMETOOLONG':
      return new AppError('WRITE_FAILED', `cannot write ${file}: the name is too long`, 'Use a shorter file or folder name.');
    case 'ENOSPC':
    case 'EDQUOT':
      return new AppError('WRITE_FAILED', `cannot write ${file}: the disk is full`, 'Free some space, or choose a folder on another disk.');
    case 'ENOENT':
      return new AppError('WRITE_FAILED', `cannot write ${where}: ${problem.stage === 'folder' ? 'no folder can be created there' : 'no file can be created in that folder'}`, pickAnother);
    default:
      return new AppError('WRITE_FAILED', `cannot write ${where}: ${problem.message}`, 'Check that the folder exists or can be created and that you may write there.');
  }
}

/**
 * Writes several files all-or-nothing: each goes to a temporary file beside it first, and all are
 * renamed into place only when every one was written, so a failure never leaves a half-written
 * file. On failure the temporary files and the folders created for them are removed. A content
 * given as pieces of text is written piece by piece (a large file is never held whole).
 */
export async function writeFilesAtomically(files: { path: string; content: string | Iterable<string> }[]): Promise<void> {
  const staged: { tmp: string; final: string; shown: string }[] = [];
  const created: string[] = [];
  let current = files[0]?.path ?? '';
  try {
    for (const f of files) {
      current = f.path;
      const target = path.resolve(f.path);
      await checkTarget(target);
      await ensureFolder(path.dirname(target), created);
      await removeStaleTemps(target);
      const tmp = tempPath(target);
      track(tmp);
      try {
        await writeFile(tmp, f.content, { encoding: 'utf8', flag: 'wx' });
      } catch (err) {
        await rm(tmp, { force: true });
        inFlight.delete(tmp);
        throw new WriteProblem('file', path.dirname(target), errnoOf(err), (err as Error).message);
      }
      staged.push({ tmp, final: target, shown: f.path });
    }
    for (const s of staged) {
      current = s.shown;
      try {
        await rename(s.tmp, s.final);
      } catch (err) {
        throw new WriteProblem('target', s.final, errnoOf(err), (err as Error).message);
      }
      inFlight.delete(s.tmp);
    }
  } catch (err) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    for (const s of staged) inFlight.delete(s.tmp);
    for (const folder of created.reverse()) await rmdir(folder).catch(() => undefined);
    if (err instanceof WriteProblem) throw writeError(err, current);
    throw new AppError('WRITE_FAILED', `cannot write ${current}: ${(err as Error).message}`, 'Check that the folder exists or can be created and that you may write there.');
  }
}

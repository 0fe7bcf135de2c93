import { AppError } from '../../../src-shared/errors';

/**
 * better-sqlite3 (13, Node-API) ships one prebuilt addon per platform that loads in any Node.js
 * from 22 and in Electron alike. It can still fail to load: the file missing or damaged (an
 * interrupted install, a copied node_modules from another platform), or built by hand for
 * another runtime. These are the texts Node and the loader give for that. The open itself was
 * never attempted, so the workspace is not at fault.
 */
const NATIVE_LOAD_FAILURE = [
  /was compiled against a different Node\.js version/i,
  /NODE_MODULE_VERSION \d+/,
  /Module did not self-register/i,
  /invalid ELF header|wrong ELF class|not a valid Win32 application|mach-o file, but is an incompatible architecture/i,
  /Could not locate the bindings file/i,
  /Cannot find module '[^']*better_sqlite3\.node'/i,
];

/** Whether an error thrown while opening the database is the addon failing to load. */
export function isNativeModuleFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { code?: unknown }).code === 'ERR_DLOPEN_FAILED') return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && NATIVE_LOAD_FAILURE.some((re) => re.test(message));
}

/** The runtime and platform the addon must load in, in words: "Node.js 24.1.0 on linux-x64". */
function runtimeLabel(): string {
  const electron = process.versions.electron;
  return `${electron ? `Electron ${electron}` : `Node.js ${process.versions.node}`} on ${process.platform}-${process.arch}`;
}

/** The typed error for an addon that does not load, with the loader's message on one line. */
export function nativeModuleMismatch(err: unknown): AppError {
  const detail = String((err as { message?: unknown }).message ?? err)
    .split('\n')
    .map((line) => line.trim())
    .join(' ');
  return new AppError(
    'NATIVE_MODULE_MISMATCH',
    `the SQLite module (better-sqlite3) does not load in ${runtimeLabel()}, so no workspace can be opened (${detail})`,
    'Run `npm ci` (or `npm install`) in the FactorLens Workbench folder to restore its prebuilt module for this platform, then try again; where none is published, build one with `npx node-gyp rebuild` in node_modules/better-sqlite3.',
  );
}

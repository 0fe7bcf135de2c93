import { AppError } from '../../../src-shared/errors';

/**
 * better-sqlite3 is a compiled addon, built for one runtime's ABI (NODE_MODULE_VERSION). Run
 * under another Node.js (or Electron), or on another platform, or never built at all, it fails
 * to load the moment the first database opens; these are the texts Node and the `bindings`
 * package give for that. The open itself was never attempted, so the workspace is not at fault.
 */
const NATIVE_LOAD_FAILURE = [
  /was compiled against a different Node\.js version/i,
  /NODE_MODULE_VERSION \d+/,
  /Module did not self-register/i,
  /invalid ELF header|wrong ELF class|not a valid Win32 application|mach-o file, but is an incompatible architecture/i,
  /Could not locate the bindings file/i,
];

/** Whether an error thrown while opening the database is the addon failing to load. */
export function isNativeModuleFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  if ((err as { code?: unknown }).code === 'ERR_DLOPEN_FAILED') return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && NATIVE_LOAD_FAILURE.some((re) => re.test(message));
}

/** The runtime the addon must match, in words: "Node.js 24.1.0 (NODE_MODULE_VERSION 137)". */
function runtimeLabel(): string {
  const electron = process.versions.electron;
  return `${electron ? `Electron ${electron}` : `Node.js ${process.versions.node}`} (NODE_MODULE_VERSION ${process.versions.modules})`;
}

/** The typed error for an addon that does not load, with the loader's message on one line. */
export function nativeModuleMismatch(err: unknown): AppError {
  const detail = String((err as { message?: unknown }).message ?? err)
    .split('\n')
    .map((line) => line.trim())
    .join(' ');
  return new AppError(
    'NATIVE_MODULE_MISMATCH',
    `the SQLite module (better-sqlite3) was not built for ${runtimeLabel()}, so no workspace can be opened (${detail})`,
    process.versions.electron
      ? 'Start the desktop app with `npm start`, which builds better-sqlite3 for its Electron; for the CLI and the web host, run `npm rebuild better-sqlite3` with the Node.js you use.'
      : 'Run `npm rebuild better-sqlite3` in the FactorLens Workbench folder with the Node.js you use now (after switching Node versions, rebuild once), then try again.',
  );
}

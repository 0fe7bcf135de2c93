import { describe, expect, it } from 'vitest';
import { isNativeModuleFailure, nativeModuleMismatch } from './native-module';

/** An error as Node throws it: a message and, for a module that fails to load, a code. */
const thrown = (message: string, code?: string): Error => Object.assign(new Error(message), code ? { code } : {});

// The texts as the loaders print them (Node 22 loading a module built by Node 20; the rest from
// Node's and the `bindings` package's sources).
const ABI_MISMATCH =
  "The module '/work/main/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
  'was compiled against a different Node.js version using\n' +
  'NODE_MODULE_VERSION 115. This version of Node.js requires\n' +
  'NODE_MODULE_VERSION 127. Please try re-compiling or re-installing\n' +
  'the module (for instance, using `npm rebuild` or `npm install`).';
const NOT_BUILT =
  'Could not locate the bindings file. Tried:\n' +
  ' → /app/node_modules/better-sqlite3/build/better_sqlite3.node\n' +
  ' → /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node';

describe('a compiled module that does not load', () => {
  it('is recognised from the texts Node and bindings give', () => {
    expect(isNativeModuleFailure(thrown(ABI_MISMATCH, 'ERR_DLOPEN_FAILED'))).toBe(true);
    // The same text with its code lost (re-thrown by a wrapper) is still recognised.
    expect(isNativeModuleFailure(thrown(ABI_MISMATCH))).toBe(true);
    expect(
      isNativeModuleFailure(thrown("Module did not self-register: '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'.")),
    ).toBe(true);
    expect(
      isNativeModuleFailure(
        thrown('/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node: invalid ELF header', 'ERR_DLOPEN_FAILED'),
      ),
    ).toBe(true);
    expect(isNativeModuleFailure(thrown("/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.38' not found", 'ERR_DLOPEN_FAILED'))).toBe(
      true,
    );
    expect(isNativeModuleFailure(thrown(NOT_BUILT))).toBe(true);
    // better-sqlite3 13 with its prebuilt file gone (and none built by hand): require's own text.
    expect(
      isNativeModuleFailure(
        thrown("Cannot find module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'", 'MODULE_NOT_FOUND'),
      ),
    ).toBe(true);
  });

  it('is not confused with a workspace that cannot be opened', () => {
    expect(isNativeModuleFailure(thrown('unable to open database file', 'SQLITE_CANTOPEN'))).toBe(false);
    expect(isNativeModuleFailure(thrown("EACCES: permission denied, mkdir '/root/w'", 'EACCES'))).toBe(false);
    expect(isNativeModuleFailure(thrown('Cannot open database because the directory does not exist'))).toBe(false);
    expect(isNativeModuleFailure(thrown('file is not a database', 'SQLITE_NOTADB'))).toBe(false);
    expect(isNativeModuleFailure('NODE_MODULE_VERSION 115')).toBe(false);
    expect(isNativeModuleFailure(thrown("Cannot find module 'duckdb'", 'MODULE_NOT_FOUND'))).toBe(false);
    expect(isNativeModuleFailure(null)).toBe(false);
  });

  it('becomes NATIVE_MODULE_MISMATCH, naming this runtime and platform and saying to reinstall', () => {
    const error = nativeModuleMismatch(thrown(ABI_MISMATCH, 'ERR_DLOPEN_FAILED'));
    expect(error.code).toBe('NATIVE_MODULE_MISMATCH');
    expect(error.message).toMatch(
      new RegExp(
        `^the SQLite module \\(better-sqlite3\\) does not load in Node\\.js ${process.versions.node.replace(/\./g, '\\.')} on ${process.platform}-${process.arch}, so no workspace can be opened`,
      ),
    );
    // The loader's text on one line, with both ABI numbers.
    expect(error.message).toContain(
      'was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 127.',
    );
    expect(error.message).not.toContain('\n');
    expect(error.hint).toBe(
      'Run `npm ci` (or `npm install`) in the FactorLens Workbench folder to restore its prebuilt module for this platform, then try again; where none is published, build one with `npx node-gyp rebuild` in node_modules/better-sqlite3.',
    );
  });
});

#!/usr/bin/env node
// The `factorlens` command: runs the built CLI (npm install builds it; `npm run build` rebuilds).
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

// Node 22.12 or newer: the SQLite module (better-sqlite3 13, Node-API) crashes on older Node.js
// instead of failing to load, so the version is checked before anything is opened.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `Error: FactorLens needs Node.js 22.12 or newer; this is Node.js ${process.versions.node}.\nHint: install Node.js 22 or 24 (https://nodejs.org) and run the command again.\n`,
  );
  process.exit(1);
}

// Node 22+ keeps the compiled code of the CLI's modules on disk between runs (a quiet speed-up of
// start-up; NODE_DISABLE_COMPILE_CACHE=1 turns it off). The engine process inherits the setting.
const cache = module.enableCompileCache?.();
if (cache?.directory && !process.env.NODE_COMPILE_CACHE) process.env.NODE_COMPILE_CACHE = cache.directory;

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(
    'Error: the FactorLens CLI is not built yet.\nHint: run `npm run build` in the project folder (npm install does it for you).\n',
  );
  process.exit(1);
}
await import(pathToFileURL(cli).href);

#!/usr/bin/env node
// The `factorlens` command: runs the built CLI (npm install builds it; `npm run build` rebuilds).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('Error: the FactorLens CLI is not built yet.\nHint: run `npm run build` in the project folder (npm install does it for you).\n');
  process.exit(1);
}
await import(pathToFileURL(cli).href);

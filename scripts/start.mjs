#!/usr/bin/env node
// `npm start`: opens the desktop app. It checks for the Electron binary (said plainly when it is
// missing) and builds the app if needed. better-sqlite3's prebuilt Node-API module loads in
// Electron as it does in Node, so nothing native is rebuilt for it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function fail(lines) {
  process.stderr.write(`${lines.join('\n')}\n`);
  process.exit(1);
}

// Electron keeps its binary under node_modules/electron/dist, named in path.txt. When it is
// missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1), try its own installer once, quietly.
const electronDir = path.dirname(require.resolve('electron/package.json'));
function electronBinaryPath() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
let electronBinary = electronBinaryPath();
if (!electronBinary) {
  process.stdout.write('The Electron desktop binary is not installed yet; downloading it (once)…\n');
  spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  electronBinary = electronBinaryPath();
}
if (!electronBinary) {
  fail([
    'The Electron desktop binary could not be downloaded, so the desktop window cannot open.',
    '',
    'This happens without internet access, or behind a proxy that blocks the download.',
    'To get it later, with internet access:',
    '  npx install-electron --no      (or: node node_modules/electron/install.js)',
    'then run npm start again.',
    '',
    'Meanwhile the same workbench runs in your browser:',
    '  npx factorlens serve',
  ]);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
if (!existsSync(path.join(root, 'out', 'main', 'index.js'))) {
  const built = spawnSync(npm, ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (built.status !== 0) fail(['The build failed; see the messages above.']);
}

const child = spawn(electronBinary, [root, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: process.env,
});
child.on('exit', (code) => process.exit(code ?? 0));

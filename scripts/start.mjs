#!/usr/bin/env node
// `npm start`: opens the desktop app. It checks for the Electron binary (said plainly when it is
// missing), builds the app if needed, and gives Electron its own build of better-sqlite3 so that
// the Node build used by the CLI and the tests stays untouched.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
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

// better-sqlite3 is a native module compiled for one runtime ABI. Electron gets its own copy,
// built once per Electron version into .electron-native/, and loaded through nativeBinding.
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const bindingDir = path.join(root, '.electron-native', `electron-${electronVersion}-${process.platform}-${process.arch}`);
const binding = path.join(bindingDir, 'better_sqlite3.node');
if (!existsSync(binding)) {
  process.stdout.write(`Building better-sqlite3 for Electron ${electronVersion} (once)…\n`);
  const work = path.join(os.tmpdir(), `fl-sqlite-${process.pid}`);
  cpSync(path.dirname(require.resolve('better-sqlite3/package.json')), work, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`),
  });
  const gyp = process.env.npm_config_node_gyp;
  const [cmd, args] = gyp ? [process.execPath, [gyp]] : [process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--yes', 'node-gyp']];
  const env = { ...process.env };
  delete env.npm_config_nodedir;
  const result = spawnSync(
    cmd,
    [...args, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    {
      cwd: work,
      stdio: 'inherit',
      env,
      shell: process.platform === 'win32',
    },
  );
  if (result.status !== 0)
    fail([
      'Could not build better-sqlite3 for Electron (it needs a C++ toolchain and the Electron headers).',
      'The browser version still works: npx factorlens serve',
    ]);
  mkdirSync(bindingDir, { recursive: true });
  cpSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), binding);
  rmSync(work, { recursive: true, force: true });
}

const child = spawn(electronBinary, [root, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FACTORLENS_SQLITE_BINDING: binding },
});
child.on('exit', (code) => process.exit(code ?? 0));

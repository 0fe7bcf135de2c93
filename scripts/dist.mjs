#!/usr/bin/env node
// `npm run dist`: the installers for this OS (AppImage + deb on Linux, dmg on macOS, NSIS on
// Windows) in dist/, from electron-builder.mjs.
//
//   npm run dist                          build the app (electron-vite) and package it
//   npm run dist -- --publish always      also upload to the GitHub release draft (needs GH_TOKEN)
//   npm run dist -- --with-models         also ship resources/models/*.gguf (gigabytes each)
//   npm run dist -- --dir                 only the unpacked app folder (dist/*-unpacked), no installer
//
// electron-builder packages the Electron binary that npm installed (node_modules/electron/dist),
// so nothing is downloaded. Without it (ELECTRON_SKIP_BINARY_DOWNLOAD, or no internet at install)
// this script says so and stops before building anything, with exit code 0.
// FACTORLENS_ELECTRON_DIST points at another unpacked Electron of the same version.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import config from '../electron-builder.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const PUBLISH_WHEN = ['always', 'never', 'onTag', 'onTagOrDraft'];

function parseArgs(argv) {
  const options = { publish: 'never', withModels: false, dirOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--publish' || arg === '-p') options.publish = argv[++i];
    else if (arg.startsWith('--publish=')) options.publish = arg.slice('--publish='.length);
    else if (arg === '--with-models') options.withModels = true;
    else if (arg === '--dir') options.dirOnly = true;
    else fail(`unknown option ${arg}`, 'Options: --publish always|never|onTag|onTagOrDraft, --with-models, --dir.');
  }
  if (!PUBLISH_WHEN.includes(options.publish)) {
    fail(`--publish ${options.publish ?? '(missing value)'} is not one of ${PUBLISH_WHEN.join(', ')}`, 'Use --publish always to upload.');
  }
  return options;
}

function fail(message, hint) {
  console.error(`dist: ${message}`);
  if (hint) console.error(hint);
  process.exit(1);
}

/** The executable inside an unpacked Electron folder, as electron's install.js lays it out. */
function electronExecutable(distDir) {
  if (process.platform === 'darwin') return path.join(distDir, 'Electron.app', 'Contents', 'MacOS', 'Electron');
  if (process.platform === 'win32') return path.join(distDir, 'electron.exe');
  return path.join(distDir, 'electron');
}

function electronDistDir() {
  return process.env.FACTORLENS_ELECTRON_DIST || path.join(root, 'node_modules', 'electron', 'dist');
}

function runElectronVite() {
  const bin = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('electron-vite build failed (see above); no installer was built.');
}

function builderConfig(electronDist, withModels) {
  const extraResources = [...config.extraResources];
  if (withModels) extraResources.push({ from: 'resources/models', to: 'models', filter: ['*.gguf'] });
  return { ...config, electronDist, extraResources };
}

/** electron-builder's errors carry long stacks and tool output: one line says what failed. */
function readableError(err) {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split('\n').find((line) => line.trim() !== '') ?? 'unknown error';
  return first.trim();
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const electronDist = electronDistDir();
  const { version } = require('electron/package.json');

  if (!existsSync(electronExecutable(electronDist))) {
    console.log(
      [
        `The Electron ${version} binary is not installed here (${path.relative(root, electronDist) || electronDist} has no Electron executable), so no installer was built.`,
        'electron-builder packages that binary; get it with internet access and run `npm run dist` again:',
        '  npx install-electron --no          (or: node node_modules/electron/install.js)',
        'or reinstall without ELECTRON_SKIP_BINARY_DOWNLOAD (npm ci). The release workflow (.github/workflows/release.yml) does this on every version tag.',
      ].join('\n'),
    );
    return 0;
  }

  runElectronVite();

  const { build, Platform } = require('electron-builder');
  const platform = Platform.current();
  const targets = options.dirOnly ? platform.createTarget('dir') : platform.createTarget();
  console.log(`dist: packaging for ${platform.name} with Electron ${version} from ${path.relative(root, electronDist) || electronDist}`);
  try {
    const files = await build({
      projectDir: root,
      targets,
      publish: options.publish,
      config: builderConfig(electronDist, options.withModels),
    });
    console.log(`dist: built ${files.length} file(s):`);
    for (const file of files) console.log(`  ${path.relative(root, file)}`);
    return 0;
  } catch (err) {
    console.error(`dist: electron-builder failed: ${readableError(err)}`);
    console.error('No installer was built. Run with DEBUG=electron-builder for the full log.');
    return 1;
  }
}

// electron-builder leaves handles open and resets process.exitCode: exit explicitly.
process.exit(await main());

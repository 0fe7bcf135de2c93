import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PRODUCT_NAME = 'FactorLens Workbench';

/**
 * Where workspaces live: FACTORLENS_HOME if set, else the platform's per-user application data
 * folder (the same folder Electron calls userData, so the desktop app and `factorlens serve`
 * open the same workspace).
 */
export function defaultDataDir(): string {
  if (process.env.FACTORLENS_HOME) return path.resolve(process.env.FACTORLENS_HOME);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), PRODUCT_NAME);
}

export function defaultWorkspaceFile(dataDir = defaultDataDir()): string {
  return path.join(dataDir, 'workspaces', 'default.flworkspace');
}

/** The package root (the folder with package.json) above a module URL. */
export function packageRootFrom(moduleUrl: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

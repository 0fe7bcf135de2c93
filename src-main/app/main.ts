/**
 * Electron main process: windows, menus, dialogs and the app:// protocol. Thin by design:
 * every request goes to the same Workbench service that the web host uses.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session, shell, type IpcMainInvokeEvent } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toErrorInfo } from '../../src-shared/errors';
import { writeFilesAtomically } from '../artifacts/output';
import { defaultWorkspaceFile } from '../services/paths';
import type { Workbench } from '../services/workbench';
import { openWorkbench } from '../hosts/open-workbench';
import { CONTENT_SECURITY_POLICY } from '../services/content-security-policy';
import { electronChild, electronEngineLauncher } from './engine-launcher';
import type { FromModel, ToModel } from '../explain/local/protocol';
import { electronSecretStore } from './secret-store';
import { buildMenu } from './menu';
import { launchArgs, openRequests } from './open-requests';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '..', 'renderer');
const APP_ORIGIN = 'app://workbench';

protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let win: BrowserWindow | null = null;
let workbench: Workbench | null = null;
/** Tables the OS asked to open before the page could take them (sent once it has loaded). */
let pendingTables: string[] = [];
let pageLoaded = false;
/** A workspace named at launch opens instead of the default one. */
let launchWorkspace: string | null = null;

/**
 * Files the operating system hands the app (a double-clicked .flworkspace, "Open with" on a CSV).
 * Tables are added to the open workspace by the page, as dropped files are. Another workspace
 * than the open one restarts the app on it, after asking.
 */
function openFromSystem(args: readonly string[], cwd: string): void {
  const { workspace, tables } = openRequests(args, cwd);
  if (workspace) {
    if (!workbench) launchWorkspace = workspace;
    else if (workspace !== currentWorkspace()) {
      const choice = dialog.showMessageBoxSync({
        type: 'question',
        buttons: ['Open it', 'Cancel'],
        defaultId: 0,
        cancelId: 1,
        message: `Open the workspace ${path.basename(workspace)}?`,
        detail: `FactorLens Workbench restarts on ${workspace}; the open workspace is saved as it is.`,
      });
      if (choice === 0) {
        app.relaunch({ args: [...process.argv.slice(1, app.isPackaged ? 1 : 2), workspace] });
        app.quit();
        return;
      }
    }
  }
  if (tables.length === 0) return;
  pendingTables.push(...tables);
  sendPendingTables();
  if (win?.isMinimized()) win.restore();
  win?.focus();
}

function sendPendingTables(): void {
  if (!win || !pageLoaded || pendingTables.length === 0) return;
  win.webContents.send('fl:open-paths', pendingTables);
  pendingTables = [];
}

const currentWorkspace = () => launchWorkspace ?? defaultWorkspaceFile(app.getPath('userData'));

function trustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`) && event.sender === win?.webContents;
}

function handle(channel: string, fn: (...args: unknown[]) => Promise<unknown>): void {
  ipcMain.handle(channel, async (event, ...args) => {
    if (!trustedSender(event)) throw new Error('refused: IPC from an untrusted frame');
    return fn(...args);
  });
}

function serveRenderer(): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(rendererDir, `.${rel}`);
    if (url.host !== 'workbench' || !file.startsWith(rendererDir + path.sep) || !existsSync(file)) {
      return new Response('not found', { status: 404 });
    }
    const response = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    return new Response(response.body, { status: response.status, headers });
  });
}

function lockDown(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1320,
    height: 860,
    minWidth: 960,
    minHeight: 600,
    title: 'FactorLens Workbench',
    show: false,
    webPreferences: {
      preload: path.join(here, '..', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win?.show());
  // Tables opened from the OS wait for the page (it adds them as dropped files).
  win.webContents.on('did-start-loading', () => (pageLoaded = false));
  win.webContents.on('did-finish-load', () => {
    pageLoaded = true;
    sendPendingTables();
  });
  win.on('closed', () => {
    win = null;
    pageLoaded = false;
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  await app.whenReady();
  lockDown();
  serveRenderer();

  const userData = app.getPath('userData');
  workbench = await openWorkbench({
    workspaceFile: currentWorkspace(),
    dataDir: userData,
    demoDataDir: app.isPackaged ? path.join(process.resourcesPath, 'data') : path.join(app.getAppPath(), 'data'),
    demoProfilesDir: app.isPackaged ? path.join(process.resourcesPath, 'profiles') : path.join(app.getAppPath(), 'profiles'),
    launcher: electronEngineLauncher(path.join(here, 'engine.js')),
    // llama.cpp runs in a utility process of its own: a model file that aborts it leaves the app up.
    modelLauncher: () => electronChild<ToModel, FromModel>(path.join(here, 'model.js'), 'FactorLens local model'),
    bundledModels: app.isPackaged ? path.join(process.resourcesPath, 'models') : path.join(app.getAppPath(), 'resources', 'models'),
    secrets: electronSecretStore(),
  });
  workbench.on('job', (event) => win?.webContents.send('fl:job', event));

  handle('fl:call', async (name, request) => {
    try {
      return { ok: true, value: await workbench!.handle(String(name), request) };
    } catch (err) {
      return { ok: false, error: toErrorInfo(err) };
    }
  });
  handle('fl:open-dialog', async () => {
    const result = await dialog.showOpenDialog(win!, {
      title: 'Open a table',
      properties: ['openFile', 'multiSelections'],
      filters: [
        { name: 'Tables', extensions: ['csv', 'tsv', 'txt', 'parquet', 'json', 'jsonl', 'ndjson'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return result.canceled ? [] : result.filePaths;
  });
  handle('fl:pick-file', async (title, extensions) => {
    const exts = Array.isArray(extensions) ? extensions.map(String) : [];
    const result = await dialog.showOpenDialog(win!, {
      title: String(title),
      properties: ['openFile'],
      filters: [
        { name: String(title), extensions: exts },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
  handle('fl:save-file', async (suggestedName, content) => {
    const result = await dialog.showSaveDialog(win!, { title: 'Export run', defaultPath: String(suggestedName) });
    if (result.canceled || !result.filePath) return null;
    await writeFilesAtomically([{ path: result.filePath, content: String(content) }]);
    return result.filePath;
  });

  Menu.setApplicationMenu(buildMenu(() => win, !app.isPackaged));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => workbench?.shutdown());

// One app at a time: a second launch (a file opened from the OS while the app runs) hands its
// files to this one and ends.
if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on('second-instance', (_event, argv, cwd) => openFromSystem(launchArgs(argv, !app.isPackaged), cwd));
  // macOS sends files as events, also before the app is ready (the launch itself).
  app.on('open-file', (event, file) => {
    event.preventDefault();
    openFromSystem([file], process.cwd());
  });
  openFromSystem(launchArgs(process.argv, !app.isPackaged), process.cwd());
  start().catch((err) => {
    const info = toErrorInfo(err);
    dialog.showErrorBox('FactorLens Workbench could not start', `${info.message}\n\n${info.hint ?? ''}`);
    app.exit(1);
  });
}

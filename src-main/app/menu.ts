import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../src-shared/contract';

/** The application menu; commands the renderer handles are forwarded to it. */
export function buildMenu(getWindow: () => BrowserWindow | null, isDev: boolean): Menu {
  const send = (command: MenuCommand) => () => getWindow()?.webContents.send('fl:menu', command);
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: send('open-file') },
        { type: 'separator' },
        { label: 'Export Run as Markdown…', accelerator: 'CmdOrCtrl+Shift+M', click: send('export-md') },
        { label: 'Export Run as JSON…', accelerator: 'CmdOrCtrl+Shift+J', click: send('export-json') },
        { label: 'Export Run as HTML…', accelerator: 'CmdOrCtrl+Shift+H', click: send('export-html') },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Toggle Dark Theme', accelerator: 'CmdOrCtrl+Shift+L', click: send('toggle-theme') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(isDev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }] : []),
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

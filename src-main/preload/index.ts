/**
 * The one preload (sandboxed, CommonJS): exposes a typed client of the contract as
 * window.factorlens and nothing else; no Node API reaches the page.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { DesktopBridge, JobEvent, MenuCommand } from '../../src-shared/contract';

const bridge: DesktopBridge = {
  call: (name, request) => ipcRenderer.invoke('fl:call', name, request),
  onJobEvent: (listener) => {
    const wrapped = (_e: unknown, event: JobEvent) => listener(event);
    ipcRenderer.on('fl:job', wrapped);
    return () => ipcRenderer.off('fl:job', wrapped);
  },
  onMenu: (listener) => {
    const wrapped = (_e: unknown, command: MenuCommand) => listener(command);
    ipcRenderer.on('fl:menu', wrapped);
    return () => ipcRenderer.off('fl:menu', wrapped);
  },
  onOpenPaths: (listener) => {
    const wrapped = (_e: unknown, paths: string[]) => listener(paths);
    ipcRenderer.on('fl:open-paths', wrapped);
    return () => ipcRenderer.off('fl:open-paths', wrapped);
  },
  pathForFile: (file) => webUtils.getPathForFile(file),
  openFileDialog: () => ipcRenderer.invoke('fl:open-dialog'),
  pickFile: (title, extensions) => ipcRenderer.invoke('fl:pick-file', title, extensions),
  saveFile: (suggestedName, content) => ipcRenderer.invoke('fl:save-file', suggestedName, content),
};

contextBridge.exposeInMainWorld('factorlens', bridge);

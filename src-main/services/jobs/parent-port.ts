/**
 * The channel of a helper process to its host, whichever started it: Electron's utilityProcess
 * (process.parentPort) in the desktop app, or a forked Node child's IPC in the CLI and web host.
 */
interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

export function toParent(message: unknown): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

export function onParentMessage(listener: (message: unknown) => void): void {
  if (parentPort) parentPort.on('message', (e) => listener(e.data));
  else process.on('message', listener);
}

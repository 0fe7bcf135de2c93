/**
 * The channel of a helper process to its host, whichever started it: Electron's utilityProcess
 * (process.parentPort) in the desktop app, or a forked Node child's IPC in the CLI and web host.
 */
interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

/** Sends to the host; a message to a host that is gone is dropped (the process is ending anyway). */
export function toParent(message: unknown): void {
  if (parentPort) parentPort.postMessage(message);
  else if (process.connected) process.send?.(message, undefined, {}, () => {});
}

export function onParentMessage(listener: (message: unknown) => void): void {
  if (parentPort) parentPort.on('message', (e) => listener(e.data));
  else process.on('message', listener);
}

/**
 * Calls `listener` once when the host is gone: a forked child's IPC channel closes when its
 * parent exits or is killed, whatever the signal. (Electron ends its utility processes itself
 * when the app quits.)
 */
export function onParentGone(listener: () => void): void {
  if (!parentPort) process.once('disconnect', listener);
}

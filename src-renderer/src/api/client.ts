import type { CallName, CallRequest, CallResponse, Dataset, DesktopBridge, JobEvent, MenuCommand } from '../../../src-shared/contract';
import { AppError, isErrorInfo, type ErrorInfo } from '../../../src-shared/errors';

/**
 * The renderer's one API client. In the desktop app it speaks to the preload bridge; in a
 * browser it speaks to the web host over HTTP. The rest of the renderer never knows which.
 */
export interface WorkbenchApi {
  readonly host: 'desktop' | 'web';
  call<N extends CallName>(name: N, request: CallRequest<N>): Promise<CallResponse<N>>;
  onJobEvent(listener: (event: JobEvent) => void): () => void;
  onMenu(listener: (command: MenuCommand) => void): () => void;
  /** Tables the operating system asks the desktop app to open: `add` adds them (never called in a browser). */
  onOpenFiles(listener: (add: () => Promise<Dataset[]>) => void): () => void;
  /** Adds dropped files to the workspace. */
  addFiles(files: File[]): Promise<Dataset[]>;
  /** Lets the analyst pick files (native dialog or the browser's chooser) and adds them. */
  pickAndAddFiles(): Promise<Dataset[]>;
  /** Saves an export (native Save dialog or a browser download); null when cancelled. */
  saveFile(name: string, content: string, mime: string): Promise<string | null>;
  /** A file's path on this computer (desktop: native dialog); null in the browser, where paths are typed. */
  pickFile(title: string, extensions: string[]): Promise<string | null>;
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string; hint?: string } }): T {
  if (result.ok) return result.value;
  const info = result.error as ErrorInfo;
  // The options an error is about travel with it: the notification names their form fields.
  throw new AppError(
    isErrorInfo(info) ? info.code : 'INTERNAL',
    info.message,
    info.hint,
    Array.isArray(info.options) ? info.options.map(String) : undefined,
  );
}

function desktopApi(bridge: DesktopBridge): WorkbenchApi {
  const call = async <N extends CallName>(name: N, request: CallRequest<N>) => unwrap(await bridge.call(name, request));
  const addPaths = async (paths: string[]) => {
    const added: Dataset[] = [];
    for (const path of paths) added.push(await call('datasets.addFile', { path }));
    return added;
  };
  return {
    host: 'desktop',
    call,
    onJobEvent: (l) => bridge.onJobEvent(l),
    onMenu: (l) => bridge.onMenu(l),
    onOpenFiles: (l) => bridge.onOpenPaths((paths) => l(() => addPaths(paths))),
    addFiles: (files) => addPaths(files.map((f) => bridge.pathForFile(f)).filter((p) => p !== '')),
    pickAndAddFiles: async () => addPaths(await bridge.openFileDialog()),
    saveFile: (name, content) => bridge.saveFile(name, content),
    pickFile: (title, extensions) => bridge.pickFile(title, extensions),
  };
}

const TOKEN_KEY = 'factorlens.token';

function webToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar (and out of screenshots and history).
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function webApi(): WorkbenchApi {
  const token = webToken();
  const headers = { authorization: `Bearer ${token}` };

  async function post<T>(path: string, body: BodyInit, contentType: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, { method: 'POST', headers: { ...headers, 'content-type': contentType }, body });
    } catch {
      throw new AppError(
        'INTERNAL',
        'the workbench server is not reachable',
        'Check that `factorlens serve` is still running, then reload the page.',
      );
    }
    const payload = (await response.json().catch(() => null)) as { ok: true; value: T } | { ok: false; error: ErrorInfo } | null;
    if (!payload) throw new AppError('INTERNAL', `the server answered ${response.status} without a result`);
    return unwrap(payload);
  }

  const call = <N extends CallName>(name: N, request: CallRequest<N>) =>
    post<CallResponse<N>>(`/api/call/${name}`, JSON.stringify(request), 'application/json');

  const listeners = new Set<(event: JobEvent) => void>();
  let source: EventSource | null = null;
  const ensureEvents = () => {
    if (source) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (m) => {
      const event = JSON.parse(m.data as string) as JobEvent;
      for (const l of listeners) l(event);
    };
  };
  ensureEvents();

  const addFiles = async (files: File[]) => {
    const added: Dataset[] = [];
    for (const file of files)
      added.push(await post<Dataset>(`/api/upload?name=${encodeURIComponent(file.name)}`, file, 'application/octet-stream'));
    return added;
  };

  return {
    host: 'web',
    call,
    onJobEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onMenu: () => () => {},
    // A browser gets no files from the operating system: dropped or chosen files only.
    onOpenFiles: () => () => {},
    addFiles,
    pickAndAddFiles: () =>
      new Promise<Dataset[]>((resolve, reject) => {
        const input = document.createElement('input');
        input.type = 'file';
        input.multiple = true;
        input.accept = '.csv,.tsv,.txt,.parquet,.json,.jsonl,.ndjson,text/csv,text/tab-separated-values,application/json';
        input.addEventListener('change', () => {
          addFiles([...(input.files ?? [])]).then(resolve, reject);
        });
        input.addEventListener('cancel', () => resolve([]));
        input.click();
      }),
    saveFile: async (name, content, mime) => {
      const url = URL.createObjectURL(new Blob([content], { type: mime }));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return name;
    },
    // A browser page cannot learn a file's path; the analyst types it (the server reads it).
    pickFile: async () => null,
  };
}

export const api: WorkbenchApi = window.factorlens ? desktopApi(window.factorlens) : webApi();

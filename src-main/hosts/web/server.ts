import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { JobEvent } from '../../../src-shared/contract';
import { AppError, toErrorInfo, type ErrorInfo } from '../../../src-shared/errors';
import type { Workbench } from '../../services/workbench';
import { CONTENT_SECURITY_POLICY } from '../../services/content-security-policy';
import { fromThisLoopbackHost, sameToken } from '../loopback';

/**
 * The web host: the same workbench over HTTP on 127.0.0.1. Static files are the built renderer;
 * every /api request must carry the per-launch token (Authorization: Bearer; ?token= only for the
 * event stream, which EventSource opens without headers), and requests naming another host or
 * origin are refused (DNS rebinding, CSRF). The workbench must limit the files API calls may name.
 */
export interface WebHostOptions {
  /** The workbench, or how to open it: then only once the port is bound, so a busy port leaves no workspace file behind. */
  workbench: Workbench | (() => Promise<Workbench>);
  rendererDir: string;
  port?: number;
  token?: string;
  /** The largest upload taken, in bytes (default DEFAULT_MAX_UPLOAD_MB). */
  maxUploadBytes?: number;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  workbench: Workbench;
  close(): Promise<void>;
}

export const DEFAULT_MAX_UPLOAD_MB = 512;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const HTTP_STATUS: Partial<Record<ErrorInfo['code'], number>> = {
  UNAUTHORIZED: 401,
  PATH_NOT_ALLOWED: 403,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  INTERNAL: 500,
};

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: unknown): void {
  const error = toErrorInfo(err);
  sendJson(res, HTTP_STATUS[error.code] ?? 422, { ok: false, error });
}

async function readJson(req: http.IncomingMessage, limit = 1024 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit)
      throw new AppError('BAD_REQUEST', 'request body too large', 'Send at most 1 MiB of JSON; upload files through /api/upload.');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new AppError('BAD_REQUEST', 'request body is not valid JSON', 'Send the request as a JSON object.');
  }
}

const sizeText = (bytes: number) =>
  bytes >= 2 ** 20
    ? `${(bytes / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`
    : `${bytes.toLocaleString('en-US')} bytes`;

function uploadTooLarge(limit: number): AppError {
  return new AppError(
    'BAD_REQUEST',
    `the upload is larger than this server takes (${sizeText(limit)})`,
    'Restart `factorlens serve` with a larger `--max-upload-mb`, or put the file in an allowed folder (`--allow-dir`) and add it by path.',
  );
}

/**
 * The request body, failing with BAD_REQUEST once it passes `limit` bytes. Read only when the
 * upload is written; the request itself is not destroyed, so the answer can still be sent.
 */
function bodyUpTo(req: http.IncomingMessage, limit: number): Readable {
  return Readable.from(
    (async function* () {
      let size = 0;
      for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > limit) throw uploadTooLarge(limit);
        yield chunk;
      }
    })(),
  );
}

/** Reads and drops what is left of a request body, so the client gets to read the answer. */
async function discardBody(req: http.IncomingMessage): Promise<void> {
  if (req.complete || req.destroyed) return;
  await new Promise<void>((resolve) => {
    req.once('end', resolve);
    req.once('close', resolve);
    req.unpipe();
    req.resume();
  });
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const rendererDir = path.resolve(options.rendererDir);
  const maxUpload = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_MB * 2 ** 20;
  const streams = new Set<http.ServerResponse>();
  let port = 0;
  /** Set once the port is bound and the workspace open. */
  let workbench: Workbench | null = null;

  const onJob = (event: JobEvent) => {
    const data = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(data);
  };

  const authorized = (req: http.IncomingMessage, url: URL): boolean => {
    const header = req.headers.authorization;
    // EventSource cannot send headers: the event stream alone may carry the token in its URL.
    const eventStream = url.pathname === '/api/events' && req.method === 'GET';
    const given = header?.startsWith('Bearer ') ? header.slice(7) : eventStream ? url.searchParams.get('token') : null;
    return sameToken(given, tokenBuf);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://127.0.0.1');
      } catch {
        sendError(
          res,
          new AppError('BAD_REQUEST', 'the request address is not a valid URL', 'Open the address that factorlens serve printed.'),
        );
        return;
      }
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      if (!fromThisLoopbackHost(req, port)) {
        sendJson(res, 403, {
          ok: false,
          error: {
            code: 'UNAUTHORIZED',
            message: 'requests must come from this workbench page on 127.0.0.1',
            hint: 'Open the address that factorlens serve printed, in this browser.',
          },
        });
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        if (!authorized(req, url)) {
          sendJson(res, 401, {
            ok: false,
            error: {
              code: 'UNAUTHORIZED',
              message: 'missing or wrong access token',
              hint: 'Open the URL that `factorlens serve` printed; it carries the token.',
            },
          });
          return;
        }
        if (!workbench) {
          sendJson(res, 503, {
            ok: false,
            error: { code: 'INTERNAL', message: 'the workspace is still opening', hint: 'Try again in a moment.' },
          });
          return;
        }
        await handleApi(req, res, url, workbench);
        return;
      }
      await serveStatic(req, res, url);
    })().catch((err) => {
      if (!res.headersSent) sendError(res, err);
      else res.end();
    });
  });

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, wb: Workbench): Promise<void> {
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, {
        ok: false,
        error: {
          code: 'BAD_REQUEST',
          message: `${req.method} is not allowed here`,
          hint: 'API calls are POST /api/call/<name>; pages and files are GET.',
        },
      });
      return;
    }
    try {
      if (url.pathname === '/api/upload') {
        const name = url.searchParams.get('name') ?? 'upload.csv';
        if (Number(req.headers['content-length'] ?? 0) > maxUpload) throw uploadTooLarge(maxUpload);
        sendJson(res, 200, { ok: true, value: await wb.addUpload(name, bodyUpTo(req, maxUpload)) });
        return;
      }
      const call = /^\/api\/call\/([\w.]+)$/.exec(url.pathname)?.[1];
      if (!call)
        throw new AppError(
          'NOT_FOUND',
          `no API at ${url.pathname}`,
          'API calls are POST /api/call/<name>; reload the page if the app was updated.',
        );
      const body = await readJson(req);
      sendJson(res, 200, { ok: true, value: await wb.handle(call, body) });
    } catch (err) {
      await discardBody(req);
      sendError(res, err);
    }
  }

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    } catch {
      sendError(
        res,
        new AppError(
          'BAD_REQUEST',
          `the address ${url.pathname} is not valid percent-encoding`,
          'Check the address; open the URL that `factorlens serve` printed.',
        ),
      );
      return;
    }
    const file = path.resolve(rendererDir, `.${rel}`);
    if (!file.startsWith(rendererDir + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    let target = file;
    try {
      if (!(await stat(target)).isFile()) throw new Error('not a file');
    } catch {
      // Unknown paths without an extension fall back to the app shell.
      if (path.extname(rel) !== '') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      target = path.join(rendererDir, 'index.html');
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(target)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'cache-control': target.endsWith('.html') ? 'no-store' : 'max-age=3600',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(target).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  // The port is ours: now the workspace may be opened (and, when new, made).
  const opens = typeof options.workbench === 'function';
  let opened: Workbench | null = null;
  try {
    opened = typeof options.workbench === 'function' ? await options.workbench() : options.workbench;
    if (!opened.files.limited) {
      throw new AppError(
        'INTERNAL',
        'the web host was given a workbench that lets API calls name any file',
        'Open the workbench with `limitFilesTo` (as `factorlens serve` does).',
      );
    }
  } catch (err) {
    if (opens) opened?.shutdown();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw err;
  }
  workbench = opened;
  workbench.on('job', onJob);
  const served = workbench;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    workbench: served,
    close: async () => {
      served.off('job', onJob);
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { fromThisLoopbackHost, sameToken } from '../loopback';

/**
 * MCP over Streamable HTTP on 127.0.0.1, at /mcp. Every request carries the bearer token
 * (401 otherwise, with a WWW-Authenticate header); a request whose Host is not this loopback
 * address, or that comes from a web page of another origin, is refused (403): a page open in the
 * analyst's browser cannot reach the server through DNS rebinding. Each client session gets its
 * own server object (progress and cancellation belong to the session); they share the engines.
 */
export interface McpHttpOptions {
  port: number;
  /** The bearer token; a random one when not given. */
  token?: string;
  /** A server object for a new session. */
  serverForSession: () => Server;
}

export interface McpHttpHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 2 ** 20;

function refuse(res: http.ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('the request body is larger than 4 MB');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startMcpHttp(options: McpHttpOptions): Promise<McpHttpHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBuf = Buffer.from(token);
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server }>();
  let port = 0;

  const authorized = (req: http.IncomingMessage): boolean => {
    const header = req.headers.authorization;
    return header?.startsWith('Bearer ') === true && sameToken(header.slice(7), tokenBuf);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/mcp') return refuse(res, 404, 'not found: the MCP endpoint is /mcp');
    if (!fromThisLoopbackHost(req, port))
      return refuse(res, 403, 'requests must name this server (127.0.0.1 or localhost) and come from no other web origin');
    if (!authorized(req))
      return refuse(res, 401, 'missing or wrong bearer token: send Authorization: Bearer <token> (printed by factorlens mcp --http)', {
        'www-authenticate': 'Bearer realm="factorlens-mcp"',
      });
    const sessionId = req.headers['mcp-session-id'];
    const known = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (req.method === 'POST') {
      let body: unknown;
      try {
        body = await readJson(req);
      } catch (err) {
        return refuse(res, 400, `the request body is not JSON: ${(err as Error).message}`);
      }
      if (known) return known.transport.handleRequest(req, res, body);
      if (sessionId !== undefined) return refuse(res, 404, 'unknown or ended session: initialize a new one');
      if (!isInitializeRequest(body)) return refuse(res, 400, 'no session: the first request must be initialize');
      const server = options.serverForSession();
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, server });
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await server.connect(transport);
      return transport.handleRequest(req, res, body);
    }
    if (req.method === 'GET' || req.method === 'DELETE') {
      if (!known) return refuse(res, sessionId === undefined ? 400 : 404, 'unknown or missing session: initialize first');
      return known.transport.handleRequest(req, res);
    }
    return refuse(res, 405, 'method not allowed: POST, GET or DELETE');
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) refuse(res, 500, `internal error: ${(err as Error).message}`);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    token,
    close: async () => {
      for (const { transport, server } of sessions.values()) {
        await transport.close().catch(() => {});
        await server.close().catch(() => {});
      }
      sessions.clear();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

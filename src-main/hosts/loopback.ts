import { timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

/**
 * The request checks of the hosts that listen on 127.0.0.1 (the web host and the MCP server over
 * HTTP): the request must name this loopback address and port, and come from no other web origin
 * (a page elsewhere cannot reach the host by DNS rebinding or a cross-site request).
 */
export function fromThisLoopbackHost(req: http.IncomingMessage, port: number): boolean {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowed.includes(req.headers.host ?? '')) return false;
  const origin = req.headers.origin;
  return origin === undefined || allowed.some((a) => origin === `http://${a}`);
}

/** Whether a given token equals the host's, compared in constant time. */
export function sameToken(given: string | null | undefined, token: Buffer): boolean {
  if (!given) return false;
  const buf = Buffer.from(given);
  return buf.length === token.length && timingSafeEqual(buf, token);
}

/**
 * `/api/messages` on the product's node:http server. botbuilder wants a parsed body and an
 * Express-like response; this file provides both, and keeps the anonymous endpoint on loopback.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopback, readJson, ROUTES, sendJson, type HttpServer } from '../../http';
import type { ResponseLike, Transport, Turn } from './types';

/** Refusal for a request the anonymous endpoint must not take (not from this machine), else null. */
export function anonymousGuard(req: Pick<IncomingMessage, 'socket'>, anonymous: boolean): { status: 403; message: string } | null {
  if (!anonymous || isLoopback(req as IncomingMessage)) return null;
  return { status: 403, message: 'The Teams endpoint runs without authentication (no MicrosoftAppId) and only answers clients on this machine.' };
}

export function mountTeamsEndpoint(server: Pick<HttpServer, 'route'>, transport: Transport, anonymous: boolean, onTurn: (turn: Turn) => Promise<void>): void {
  server.route('POST', ROUTES.teamsMessages, async (req, res, ctx) => {
    const refused = anonymousGuard(req, anonymous);
    if (refused) {
      ctx.log.warn({ remote: req.socket.remoteAddress }, 'anonymous Teams endpoint refused a non-loopback client');
      return sendJson(res, refused.status, { error: 'forbidden', message: refused.message, correlationId: ctx.correlationId });
    }
    const body = await readJson(req);
    await transport.process({ method: 'POST', headers: req.headers, body }, expressLike(res), onTurn);
  });
}

export function expressLike(res: ServerResponse): ResponseLike {
  return {
    socket: res.socket,
    status: (code: number) => { res.statusCode = code; },
    header: (name: string, value: unknown) => { res.setHeader(name, String(value)); },
    send: (body?: unknown) => {
      if (body === undefined || body === null) return;
      const json = typeof body === 'object' && !Buffer.isBuffer(body);
      if (!res.headersSent) res.setHeader('content-type', json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8');
      res.write(json ? JSON.stringify(body) : String(body));
    },
    end: () => { res.end(); },
  };
}

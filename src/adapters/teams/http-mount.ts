/**
 * `/api/messages` on the product's node:http server. botbuilder wants a parsed body and an
 * Express-like response; this file provides both, keeps the anonymous endpoint to callers on this
 * machine, and refuses activities the gate rejects before the bot handles them.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { isLoopback, readJson, ROUTES, sendJson, type HttpServer } from '../../http';
import { gateActivity, type GatePolicy, type GateRefusal } from './activity-gate';
import type { ResponseLike, Transport, Turn } from './types';

/**
 * Headers a proxy adds: behind one, every caller's socket is the proxy's, so loopback proves nothing.
 * A local client talks to the bot directly and never sends them.
 */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

/** Refusal for a request the anonymous endpoint must not take (not from this machine), else null. */
export function anonymousGuard(req: Pick<IncomingMessage, 'socket'> & { headers?: IncomingHttpHeaders }, anonymous: boolean): { status: 403; message: string } | null {
  if (!anonymous) return null;
  const proxied = PROXY_HEADERS.find((h) => req.headers?.[h] !== undefined);
  if (proxied) return { status: 403, message: `The Teams endpoint runs without authentication (no MicrosoftAppId) and does not answer requests relayed by a proxy (${proxied} header).` };
  if (isLoopback(req as IncomingMessage)) return null;
  return { status: 403, message: 'The Teams endpoint runs without authentication (no MicrosoftAppId) and only answers clients on this machine.' };
}

export function mountTeamsEndpoint(server: Pick<HttpServer, 'route'>, transport: Transport, policy: GatePolicy, onTurn: (turn: Turn) => Promise<void>): void {
  const anonymous = policy.mode === 'anonymous';
  server.route('POST', ROUTES.teamsMessages, async (req, res, ctx) => {
    const refused = anonymousGuard(req, anonymous);
    if (refused) {
      ctx.log.warn({ remote: req.socket.remoteAddress }, 'anonymous Teams endpoint refused a request that is not from this machine');
      return sendJson(res, refused.status, { error: 'forbidden', message: refused.message, correlationId: ctx.correlationId });
    }
    const body = await readJson(req);
    // Checked once the token is (an unsigned request still gets botbuilder's 401), before anything
    // runs: a refused activity is neither stored nor answered through its serviceUrl.
    let gated: GateRefusal | null = null;
    const gatedTurn = async (turn: Turn): Promise<void> => {
      gated = gateActivity(turn.activity, policy);
      if (!gated) return onTurn(turn);
      ctx.log.warn({ code: gated.code, ...gated.details }, 'Teams activity refused');
    };
    const refusal = () => gated && { status: gated.status, body: { error: gated.code, message: gated.message, correlationId: ctx.correlationId } };
    await transport.process({ method: 'POST', headers: req.headers, body }, expressLike(res, refusal), gatedTurn);
  });
}

/** `refusal`: when the turn refused the activity, its status and body replace botbuilder's answer. */
export function expressLike(res: ServerResponse, refusal: () => { status: number; body: unknown } | null = () => null): ResponseLike {
  return {
    socket: res.socket,
    status: (code: number) => { res.statusCode = refusal()?.status ?? code; },
    header: (name: string, value: unknown) => { res.setHeader(name, String(value)); },
    send: (body?: unknown) => {
      if (body === undefined || body === null || refusal()) return;
      const json = typeof body === 'object' && !Buffer.isBuffer(body);
      if (!res.headersSent) res.setHeader('content-type', json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8');
      res.write(json ? JSON.stringify(body) : String(body));
    },
    end: () => {
      const refused = refusal();
      if (refused && !res.headersSent) {
        res.statusCode = refused.status;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.write(JSON.stringify(refused.body));
      }
      res.end();
    },
  };
}

/**
 * `/api/messages` on the product's node:http server, in the order that keeps refusals cheap: the
 * anonymous endpoint answers this machine only; with an app id the bearer token is checked from
 * the headers alone (401, nothing read or parsed, no stack trace, no internal detail in the answer);
 * then the body is read and the activity gated (Teams channel, connector allow-list, the token's
 * serviceUrl, tenant) before the SDK sees it.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { isLoopback, readJson, ROUTES, sendJson, type HttpServer, type RequestContext } from '../../http';
import { gateActivity, type GatePolicy } from './activity-gate';
import type { TokenCheck } from './token-check';
import { BadActivityError, type ResponseLike, type Transport, type Turn } from './types';

/**
 * Headers a proxy adds: behind one, every caller's socket is the proxy's, so loopback proves nothing.
 * A local client talks to the bot directly and never sends them.
 */
const PROXY_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'];

const UNAUTHORIZED = 'The request does not carry a valid Bot Framework token for this bot.';

/** Refusal for a request the anonymous endpoint must not take (not from this machine), else null. */
export function anonymousGuard(req: Pick<IncomingMessage, 'socket'> & { headers?: IncomingHttpHeaders }, anonymous: boolean): { status: 403; message: string } | null {
  if (!anonymous) return null;
  const proxied = PROXY_HEADERS.find((h) => req.headers?.[h] !== undefined);
  if (proxied) return { status: 403, message: `The Teams endpoint runs without authentication (no MicrosoftAppId) and does not answer requests relayed by a proxy (${proxied} header).` };
  if (isLoopback(req as IncomingMessage)) return null;
  return { status: 403, message: 'The Teams endpoint runs without authentication (no MicrosoftAppId) and only answers clients on this machine.' };
}

/** `tokenCheck`: null in anonymous mode (the policy says so too). */
export function mountTeamsEndpoint(server: Pick<HttpServer, 'route'>, transport: Transport, policy: GatePolicy, tokenCheck: TokenCheck | null, onTurn: (turn: Turn) => Promise<void>): void {
  const anonymous = policy.mode === 'anonymous';
  server.route('POST', ROUTES.teamsMessages, async (req, res, ctx) => {
    const refused = anonymousGuard(req, anonymous);
    if (refused) {
      ctx.log.warn({ remote: req.socket.remoteAddress }, 'anonymous Teams endpoint refused a request that is not from this machine');
      return sendJson(res, refused.status, { error: 'forbidden', message: refused.message, correlationId: ctx.correlationId });
    }
    let claims: Record<string, unknown> | undefined;
    if (tokenCheck) {
      const outcome = await tokenCheck(req.headers.authorization);
      if (!outcome.ok) {
        ctx.log.warn({ reason: outcome.reason }, 'Teams request refused: no valid token');
        return sendJson(res, 401, { error: 'unauthorized', message: UNAUTHORIZED, correlationId: ctx.correlationId }, { 'www-authenticate': 'Bearer' });
      }
      claims = outcome.claims;
    }
    const body = await readJson(req);
    const gated = gateActivity(body, policy, claims);
    if (gated) {
      ctx.log.warn({ code: gated.code, ...gated.details }, 'Teams activity refused');
      return sendJson(res, gated.status, { error: gated.code, message: gated.message, correlationId: ctx.correlationId });
    }
    await processActivity(transport, { headers: req.headers, body, claims }, res, ctx, onTurn);
  });
}

/** Runs the SDK; an activity it cannot read is a 400 with one log line, not a 500 with a stack. */
async function processActivity(transport: Transport, input: { headers: IncomingHttpHeaders; body: unknown; claims?: Record<string, unknown> }, res: ServerResponse, ctx: RequestContext, onTurn: (turn: Turn) => Promise<void>): Promise<void> {
  try {
    await transport.process({ method: 'POST', headers: input.headers, body: input.body, ...(input.claims ? { user: input.claims } : {}) }, webResponse(res), onTurn);
  } catch (e) {
    if (!(e instanceof BadActivityError) || res.headersSent) throw e;
    ctx.log.warn({}, 'Teams activity could not be read');
    sendJson(res, 400, { error: 'bad_activity', message: 'The body is not a Bot Framework activity this bot can read.', correlationId: ctx.correlationId });
  }
}

/** The response shape the SDK writes to (status, setHeader, send, end). */
export function webResponse(res: ServerResponse): ResponseLike {
  const self: ResponseLike = {
    get headersSent() { return res.headersSent; },
    get writableEnded() { return res.writableEnded; },
    status: (code: number) => { res.statusCode = code; return self; },
    setHeader: (name: string, value: string) => { res.setHeader(name, value); return self; },
    send: (body?: unknown) => {
      if (body === undefined || body === null) return self;
      const json = typeof body === 'object' && !Buffer.isBuffer(body);
      if (!res.headersSent && !res.hasHeader('content-type')) res.setHeader('content-type', json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8');
      res.write(json ? JSON.stringify(body) : String(body));
      return self;
    },
    end: () => { res.end(); return self; },
  };
  return self;
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BotError } from '../core/errors';
import type { Logger } from '../core/ports';
import { newCorrelationId } from '../logging/logger';
import { isHttpError } from './http-error';
import { createMetrics, METRICS_CONTENT_TYPE, type Metrics } from './metrics';
import { Readiness, type ReadinessCheck } from './readiness';
import { sendJson, sendText } from './respond';
import { ROUTES, Router, type RequestContext, type RouteHandler } from './router';

export interface HttpServerOptions {
  port: number;
  /** Interface to bind; absent binds all interfaces. */
  host?: string;
  log: Logger;
  /** Registry shared with the rest of the bot; one is created when absent. */
  metrics?: Metrics;
  /** Time allowed for in-flight requests on close before connections are cut. */
  closeGraceMs?: number;
  /** Time for a whole request (headers and body) to arrive (default 15 s). */
  requestTimeoutMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export interface HttpServer {
  /** Base URL reachable from this machine, e.g. `http://127.0.0.1:3978`. */
  url: string;
  port: number;
  metrics: Metrics;
  route(method: string, path: string, handler: RouteHandler): void;
  /** `/healthz` answers 200 only while every registered check passes; returns an unregister function. */
  addReadinessCheck(name: string, check: ReadinessCheck): () => void;
  /** Adds a field to every `/healthz` answer (e.g. whether this replica leads); it does not affect the status. */
  addHealthInfo(name: string, info: () => unknown): void;
  /** The underlying node server, for protocol upgrades. */
  nodeServer: Server;
  close(): Promise<void>;
}

const INCOMING_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const router = new Router();
  const readiness = new Readiness();
  const metrics = options.metrics ?? createMetrics();
  const requests = metrics.counter('http_requests_total', 'HTTP requests by route and status.', ['method', 'route', 'status']);
  const duration = metrics.histogram('http_request_duration_seconds', 'HTTP request duration.', ['method', 'route']);

  const healthInfo = new Map<string, () => unknown>();
  router.add('GET', ROUTES.health, async (_req, res) => {
    const report = await readiness.run();
    const info = Object.fromEntries([...healthInfo].map(([k, f]) => [k, f()]));
    if (report.ready) sendJson(res, 200, { status: 'ok', checks: report.checks, ...info });
    else sendJson(res, 503, { status: 'unavailable', failing: report.failing, checks: report.checks, ...info });
  });
  router.add('GET', ROUTES.metrics, async (_req, res) => {
    await metrics.collect();
    sendText(res, 200, metrics.render(), METRICS_CONTENT_TYPE);
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = process.hrtime.bigint();
    const header = req.headers['x-correlation-id'];
    const correlationId = typeof header === 'string' && INCOMING_ID.test(header) ? header : newCorrelationId();
    res.setHeader('x-correlation-id', correlationId);
    const method = (req.method ?? 'GET').toUpperCase();
    // Only the path is ever logged: query strings can carry keys (Event Grid's ?code=).
    const path = pathOf(req.url);
    const fields = { correlationId, method, path: path ?? '(invalid)' };
    // The per-request child logger is made only when something logs: most requests log nothing.
    let child: Logger | undefined;
    const ctx: RequestContext = { correlationId, get log() { return (child ??= options.log.child(fields)); } };
    let routeLabel = 'unmatched';
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.inc({ method, route: routeLabel, status: res.statusCode });
      duration.observe({ method, route: routeLabel }, seconds);
      options.log.debug({ ...fields, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'http request');
    });
    try {
      if (path === undefined) return sendJson(res, 400, { error: 'bad_request', message: 'The request URL is not valid.', correlationId });
      const match = router.match(method, path);
      if (match.kind === 'not_found') return sendJson(res, 404, { error: 'not_found', message: `Nothing at ${path}.`, correlationId });
      routeLabel = match.path;
      if (match.kind === 'wrong_method') {
        return sendJson(res, 405, { error: 'method_not_allowed', message: `${path} accepts ${match.allowed.join(', ')}.`, correlationId }, { allow: match.allowed.join(', ') });
      }
      await match.handler(req, res, ctx);
    } catch (e) {
      fail(res, e, correlationId, ctx.log);
    }
  };

  // Every request must arrive whole within requestTimeoutMs (a body trickled byte by byte holds a
  // connection no longer), headers within headersTimeoutMs; Node checks every second.
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = createServer({ requestTimeout, headersTimeout: Math.min(requestTimeout, 10_000), connectionsCheckingInterval: 1000 }, (req, res) => void handle(req, res));
  await listen(server, options.port, options.host);
  const port = (server.address() as AddressInfo).port;
  options.log.info({ port, host: options.host ?? '(all interfaces)' }, 'http server listening');

  return {
    url: `http://${displayHost(options.host)}:${port}`,
    port,
    metrics,
    nodeServer: server,
    route: (method, path, handler) => router.add(method, path, handler),
    addReadinessCheck: (name, check) => readiness.add(name, check),
    addHealthInfo: (name, info) => void healthInfo.set(name, info),
    close: () => close(server, options.closeGraceMs ?? 5000),
  };
}

/** Plain paths (no query, dots, escapes or doubled slashes) are their own pathname; URL parsing is for the rest. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_-]+)+\/?$/;

function pathOf(url: string | undefined): string | undefined {
  if (url !== undefined && PLAIN_PATH.test(url)) return url;
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

/** Known HTTP errors keep their status and safe message; anything else is a 500 with only the correlation id. */
function fail(res: ServerResponse, e: unknown, correlationId: string, log: Logger): void {
  if (isHttpError(e)) {
    log.warn({ status: e.status, code: e.code }, e.message);
    if (!res.headersSent) sendJson(res, e.status, { error: e.code, message: e.message, correlationId }, e.status === 413 ? { connection: 'close' } : {});
    else res.destroy();
    return;
  }
  log.error({ err: e }, 'request handler failed');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, 500, { error: 'internal', message: 'Something went wrong inside the bot.', correlationId });
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        reject(new BotError('config_invalid', `Port ${port} is already in use.`, { remedy: 'Stop the other process or set PORT to a free port.', cause: e }));
      } else reject(e);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function displayHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Stops accepting, lets in-flight requests finish within the grace period, then cuts what is left. */
function close(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close((e) => {
      clearTimeout(timer);
      if (e) reject(e);
      else resolve();
    });
    server.closeIdleConnections();
  });
}

/**
 * The local Azure emulator: an HTTPS listener (ARM Azure ML, MLflow, Azure DevOps) with a private
 * CA, and a plain HTTP listener (App Service-style managed identity tokens, Azure DevOps), over one
 * persisted world that the simulation moves forward.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Logger } from '../core/ports';
import type { EmulatorClock, EmulatorContext } from './context';
import type { EmulatorEvent } from './events';
import { captureResponse, exchangeOf, type ExchangeObserver } from './exchange';
import { nextRandom } from './ids';
import { SEED_SIGN_IN_CLIENT_ID } from './oauth-state';
import { listen, listenPreferring, readPorts, writePorts } from './ports';
import { BodyError, normalisePath, readJsonBody, type Router, sendJson } from './router';
import { httpRouter, tlsRouter } from './routes';
import { initialState, seedState } from './seed';
import { upgradeWorkspaces } from './seed-ml';
import { startTicker, tick } from './simulation';
import { StateFile } from './state';
import { loadOrCreateTlsMaterial } from './tls';

export interface EmulatorOptions {
  dataDir: string;
  /** HTTPS port; 0 (default) picks a free one. */
  port?: number;
  /** Plain HTTP port of the token endpoint and Azure DevOps; 0 (default) picks a free one. */
  httpPort?: number;
  /**
   * Keep the ports with the state (`ports.json` in dataDir) and ask for the same ones on the next
   * start, so URLs handed out before a restart keep working. Ports given explicitly win.
   */
  rememberPorts?: boolean;
  log: Logger;
  clock?: EmulatorClock;
  /** Simulation timer period in ms (default 1000); false leaves ticking to `tick()`. */
  autoTick?: number | false;
  /** Period of the simulated training job in the dev workspace (default 10 minutes; 0 = none). */
  jobEveryMs?: number;
  onEvent?: (event: EmulatorEvent) => void;
  /** Added before every request is answered, to play a real round trip (benchmarks). */
  latencyMs?: number;
  /** Called when a request has been answered (benchmarks count and chain them). */
  onRequest?: (record: EmulatorRequestRecord) => void;
  /** Sees every request and its answer (the conformance tests check them against the API specs). */
  onExchange?: ExchangeObserver;
}

/** One answered request: which API, and when it arrived and was answered (performance.now ms). */
export interface EmulatorRequestRecord {
  api: 'arm' | 'mlflow' | 'devops' | 'identity' | 'graph';
  method: string;
  path: string;
  status: number;
  startedAt: number;
  endedAt: number;
}

export interface RunningEmulator {
  /** ARM endpoint: `https://127.0.0.1:PORT`. */
  armUrl: string;
  /** Azure DevOps organization URL: `http://127.0.0.1:HTTPPORT/mlops-org`. */
  devopsUrl: string;
  /** The same organization over TLS (for clients configured with the CA). */
  devopsTlsUrl: string;
  /** `IDENTITY_ENDPOINT` for App Service-style managed identity (plain HTTP). */
  identityEndpoint: string;
  /** `IDENTITY_HEADER`: the secret the token endpoint requires. */
  identityHeader: string;
  /**
   * Entra authority host of the sign-in emulation (plain HTTP, so a browser opens its sign-in page):
   * `http://127.0.0.1:HTTPPORT`; endpoints are `<authorityHost>/<tenant>/oauth2/v2.0/authorize|token`.
   */
  authorityHost: string;
  /** The public sign-in client (PKCE, no secret) the emulator knows. */
  signInClientId: string;
  /** PEM of the CA that signed the HTTPS certificate. */
  ca: string;
  subscriptionId: string;
  tenantId: string;
  project: string;
  /** Runs one simulation step now. */
  tick(): void;
  /** Adds an event listener; returns its removal. */
  subscribe(listener: (event: EmulatorEvent) => void): () => void;
  close(): Promise<void>;
}

interface Observe { latencyMs: number; onRequest?: (record: EmulatorRequestRecord) => void; onExchange?: ExchangeObserver }

/** Which API a path belongs to, for request counts. */
export function apiOf(path: string): EmulatorRequestRecord['api'] {
  const p = path.toLowerCase();
  if (p.startsWith('/msi/') || p.includes('/oauth2/')) return 'identity';
  if (p.includes('/mlflow/')) return 'mlflow';
  if (p.startsWith('/subscriptions/') || p.startsWith('/providers/')) return 'arm';
  if (p.startsWith('/v1.0/') || p.startsWith('/beta/')) return 'graph';
  return 'devops';
}

function handler(router: Router, log: Logger, secure: boolean, port: () => number, observe: Observe) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const answer = observe.onExchange ? captureResponse(res) : null;
    let requestBody: unknown;
    void (async () => {
      const startedAt = performance.now();
      // Not `new URL(req.url)`: a path starting with `//subscriptions` would parse as a host.
      const raw = req.url ?? '/';
      const q = raw.indexOf('?');
      const path = normalisePath(q < 0 ? raw : raw.slice(0, q));
      const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
      const method = req.method ?? 'GET';
      if (observe.onRequest) {
        // Recorded when the answer is handed over (not on 'finish', which may come after the client
        // in this same process has already read it).
        const record = observe.onRequest;
        const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse;
        res.end = ((...a: unknown[]) => {
          record({ api: apiOf(path), method, path, status: res.statusCode, startedAt, endedAt: performance.now() });
          return end(...a);
        }) as typeof res.end;
      }
      if (observe.latencyMs > 0) await new Promise((r) => setTimeout(r, observe.latencyMs));
      const found = router.match(method, path);
      if (!('handler' in found)) {
        req.resume();
        sendJson(res, found.methodMismatch ? 405 : 404, { error: { code: found.methodMismatch ? 'MethodNotAllowed' : 'NotFound', message: `No route for ${method} ${path}` } });
        return;
      }
      try {
        const body = await readJsonBody(req);
        requestBody = body;
        await found.handler({ req, res, method, path, query, params: found.params, body, port: port(), secure });
      } catch (err) {
        if (err instanceof BodyError) {
          sendJson(res, 400, { error: { code: 'BadRequest', message: err.message } });
          return;
        }
        log.error({ err: err instanceof Error ? err.message : String(err), method, path }, 'emulator route failed');
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'InternalServerError', message: 'emulator error' } });
      }
      log.debug({ method, path, status: res.statusCode }, 'emulator request');
    })().finally(() => {
      const onExchange = observe.onExchange;
      if (!answer || !onExchange) return;
      const raw = req.url ?? '/';
      const q = raw.indexOf('?');
      const report = () => onExchange(exchangeOf(req, normalisePath(q < 0 ? raw : raw.slice(0, q)), new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)), requestBody, answer()));
      if (res.writableFinished) report();
      else res.once('finish', report);
    });
  };
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const log = options.log.child({ component: 'emulator' });
  const clock = options.clock ?? { now: () => new Date() };
  const file = new StateFile(options.dataDir);
  const tls = await loadOrCreateTlsMaterial(options.dataDir);
  const listeners = new Set<(event: EmulatorEvent) => void>();
  if (options.onEvent) listeners.add(options.onEvent);
  let tlsPort = 0;
  let httpPort = 0;
  const loaded = file.load();
  const emu: EmulatorContext = {
    state: loaded ?? initialState(clock.now().getTime()),
    clock, log,
    persist: () => file.save(emu.state),
    emit: (event) => {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (err) {
          log.warn({ err: err instanceof Error ? err.message : String(err) }, 'emulator event listener failed');
        }
      }
    },
    random: () => {
      const { value, state } = nextRandom(emu.state.sim.rng);
      emu.state.sim.rng = state;
      return value;
    },
    armBase: () => `https://127.0.0.1:${tlsPort}`,
    devopsOrgUrl: () => `http://127.0.0.1:${httpPort}/${emu.state.ado.organization}`,
  };
  if (!loaded) {
    seedState(emu, clock.now().getTime());
    emu.persist();
  } else if (upgradeWorkspaces(emu, clock.now().getTime())) {
    emu.persist();
  }
  const identityHeader = randomBytes(24).toString('base64url');
  const observe: Observe = { latencyMs: options.latencyMs ?? 0, onRequest: options.onRequest, onExchange: options.onExchange };
  const secureServer = createTlsServer({ cert: tls.cert, key: tls.key }, handler(tlsRouter(emu), log, true, () => tlsPort, observe));
  const plainServer = createServer(handler(httpRouter(emu, identityHeader), log, false, () => httpPort, observe));
  const remembered = options.rememberPorts ? readPorts(options.dataDir) : undefined;
  tlsPort = options.port !== undefined ? await listen(secureServer, options.port) : await listenPreferring(secureServer, remembered?.https ?? 0, 'https', log);
  httpPort = options.httpPort !== undefined ? await listen(plainServer, options.httpPort) : await listenPreferring(plainServer, remembered?.http ?? 0, 'http', log);
  if (options.rememberPorts) writePorts(options.dataDir, { https: tlsPort, http: httpPort });

  const simOpts = { jobEveryMs: options.jobEveryMs ?? 10 * 60_000 };
  const runTick = (): void => { tick(emu, simOpts); };
  const stopTicker = options.autoTick === false ? () => undefined
    : startTicker(runTick, options.autoTick ?? 1000, (err) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'emulator tick failed'));
  log.info({ armUrl: emu.armBase(), devopsUrl: emu.devopsOrgUrl(), resumed: Boolean(loaded) }, 'Azure emulator listening');

  return {
    armUrl: emu.armBase(),
    devopsUrl: emu.devopsOrgUrl(),
    devopsTlsUrl: `${emu.armBase()}/${emu.state.ado.organization}`,
    identityEndpoint: `http://127.0.0.1:${httpPort}/msi/token`,
    identityHeader,
    authorityHost: `http://127.0.0.1:${httpPort}`,
    signInClientId: SEED_SIGN_IN_CLIENT_ID,
    ca: tls.ca,
    subscriptionId: emu.state.subscriptionId,
    tenantId: emu.state.tenantId,
    project: emu.state.ado.project.name,
    tick: runTick,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => { listeners.delete(listener); };
    },
    close: async () => {
      stopTicker();
      await Promise.all([secureServer, plainServer].map((s) => new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      })));
      emu.persist();
    },
  };
}

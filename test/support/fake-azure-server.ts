/**
 * A per-test fake of an Azure REST surface over real HTTP(S): routes answer with fixture bodies,
 * every request is recorded for assertions, and one-shot replies inject faults (429 + Retry-After,
 * 500, slow answers, malformed JSON) ahead of the normal route.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  /** Path without query, double slashes collapsed. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  json?: unknown;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** Sent as is (malformed JSON, HTML error pages). */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Waits this long before answering (timeouts). */
  delayMs?: number;
}

export type Handler = (req: RecordedRequest) => Reply | Promise<Reply>;
type Matcher = string | RegExp;

interface Route { method: string; path: Matcher; reply: Reply | Handler; once: boolean }

const FIXTURES = join(__dirname, '..', 'fixtures', 'azure', 'adapters');

/** A fixture file as parsed JSON. */
export function fixture(rel: string): any {
  return JSON.parse(readFileSync(join(FIXTURES, rel), "utf8"));
}

/** `responses.<status>.body` of a spec example file. */
export function exampleBody(rel: string, status = "200"): any {
  return structuredClone(fixture(rel).responses[status].body);
}

export class FakeAzureServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly faults: Route[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private server!: Server;
  url = '';

  static async https(tls: { cert: string; key: string }): Promise<FakeAzureServer> {
    const fake = new FakeAzureServer();
    await fake.listen(createHttpsServer({ cert: tls.cert, key: tls.key }, (q, s) => void fake.handle(q, s)), 'https');
    return fake;
  }

  static async http(): Promise<FakeAzureServer> {
    const fake = new FakeAzureServer();
    await fake.listen(createHttpServer((q, s) => void fake.handle(q, s)), 'http');
    return fake;
  }

  /** Permanent route; later registrations of the same route win. */
  on(method: string, path: Matcher, reply: Reply | Handler): this {
    this.routes.unshift({ method: method.toUpperCase(), path, reply, once: false });
    return this;
  }

  /** One-shot reply consumed before any permanent route (fault injection). */
  once(method: string, path: Matcher, reply: Reply | Handler): this {
    this.faults.push({ method: method.toUpperCase(), path, reply, once: true });
    return this;
  }

  matching(method: string, path: Matcher): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method.toUpperCase() && matches(path, r.path));
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async listen(server: Server, scheme: string): Promise<void> {
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.url = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private async handle(q: IncomingMessage, s: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of q) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const u = new URL(q.url ?? '/', 'http://x');
    const req: RecordedRequest = { method: q.method ?? 'GET', path: u.pathname.replace(/\/{2,}/g, '/'), query: u.searchParams, headers: q.headers, body };
    try { if (body) req.json = JSON.parse(body); } catch { /* not JSON: kept as text */ }
    this.requests.push(req);
    const hit = (r: Route) => r.method === req.method && matches(r.path, req.path);
    const faultIdx = this.faults.findIndex(hit);
    const route = faultIdx >= 0 ? this.faults.splice(faultIdx, 1)[0] : this.routes.find(hit);
    if (!route) {
      s.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'NotFound', message: `no route ${req.method} ${req.path}` }, message: 'not found' }));
      return;
    }
    const reply = typeof route.reply === 'function' ? await route.reply(req) : route.reply;
    if (reply.delayMs) {
      await new Promise<void>((r) => {
        const t = setTimeout(() => { this.timers.delete(t); r(); }, reply.delayMs);
        this.timers.add(t);
      });
    }
    if (s.destroyed) return;
    const text = reply.rawBody ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
    s.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8', ...reply.headers }).end(text);
  }
}

function matches(m: Matcher, path: string): boolean {
  return typeof m === 'string' ? m.toLowerCase() === path.toLowerCase() : m.test(path);
}

/** A credential double that records the scopes it was asked for. */
export function recordingCredential(token = 'test-token') {
  const scopes: string[][] = [];
  return {
    scopes,
    async getToken(s: string | string[]) {
      scopes.push(Array.isArray(s) ? s : [s]);
      return { token, expiresOnTimestamp: Date.now() + 3600_000 };
    },
  };
}

/** Release definitions location: absent from the CONSTRUCTED area file, same id/version as the 17.0.1 SDK. */
const RELEASE_DEFINITIONS_LOCATION = {
  id: 'd8f96f24-8ea7-4cb6-baab-2df8fc515665', area: 'Release', resourceName: 'definitions',
  routeTemplate: '{project}/_apis/{area}/{resource}/{definitionId}', resourceVersion: 4, minVersion: '3.0', maxVersion: '7.2', releasedVersion: '7.1',
};

/** Answers the azure-devops-node-api discovery sequence under `orgPath` (all areas at the org URL). */
export function answerDevOpsDiscovery(fake: FakeAzureServer, orgPath: string): void {
  fake.on('OPTIONS', `${orgPath}/_apis/Location`, { body: fixture('azure-devops/discovery/location-area-options.from-sdk-unit-tests.json') });
  fake.on('GET', `${orgPath}/_apis/ResourceAreas`, { body: fixture('azure-devops/discovery/resourceareas-onprem-empty.from-sdk-unit-tests.json') });
  const release = fixture('azure-devops/discovery/release-area-options.CONSTRUCTED.json');
  release.value.push(RELEASE_DEFINITIONS_LOCATION);
  release.count = release.value.length;
  fake.on('OPTIONS', `${orgPath}/_apis/Release`, { body: release });
  fake.on('OPTIONS', `${orgPath}/_apis/pipelines`, { body: fixture('azure-devops/discovery/pipelines-area-options.CONSTRUCTED.json') });
  // YAML runs are builds: their stages come from the build timeline.
  fake.on('OPTIONS', `${orgPath}/_apis/build`, { body: fixture('azure-devops/discovery/build-area-options.CONSTRUCTED.json') });
}

/**
 * A fault-injecting HTTP proxy for the fault suite: put it in front of the emulator's Azure DevOps
 * or the fake Slack Web API (point the bot at `proxy.base(upstreamUrl)`) and give it rules. A rule
 * matches a method and a path pattern and then, for `times` requests (default: until removed):
 * - `fail`: answers `status` without reaching the upstream (an outage);
 * - `apply-then-fail`: forwards, lets the upstream act, and answers `status` anyway (the upstream
 *   did it but the caller cannot know);
 * - `delay`: forwards after `delayMs`;
 * - `hold`: never answers (a hung upstream) until the proxy closes.
 * Every request is recorded with what the proxy did to it.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultRule {
  method?: string;
  path: RegExp;
  /** Also match the request body (a channel id in a Slack call). */
  bodyMatch?: RegExp;
  mode: 'fail' | 'apply-then-fail' | 'delay' | 'hold';
  status?: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
  times?: number;
}

export interface ProxiedRequest { method: string; path: string; fault?: FaultRule['mode']; at: number }

export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  private rules: (FaultRule & { left: number })[] = [];
  private server?: Server;
  private readonly held = new Set<ServerResponse>();
  url = '';

  constructor(private readonly upstream: string) {}

  static async start(upstream: string): Promise<FaultProxy> {
    const proxy = new FaultProxy(new URL(upstream).origin);
    proxy.server = createServer((req, res) => void proxy.handle(req, res));
    await new Promise<void>((resolve) => proxy.server!.listen(0, '127.0.0.1', resolve));
    proxy.url = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
    return proxy;
  }

  /** The upstream URL as seen through the proxy (same path). */
  base(upstreamUrl: string): string {
    const u = new URL(upstreamUrl);
    return `${this.url}${u.pathname}${u.search}`;
  }

  /** Adds a rule; returns a function that removes it (the outage ends). */
  add(rule: FaultRule): () => void {
    const entry = { ...rule, left: rule.times ?? Infinity };
    this.rules.push(entry);
    return () => { this.rules = this.rules.filter((r) => r !== entry); };
  }

  clear(): void { this.rules = []; }

  /** Answers every held request with 504 (the hung upstream gives up). */
  release(): void {
    for (const res of this.held) if (!res.headersSent) res.writeHead(504).end();
    this.held.clear();
  }

  /** Requests held right now (a hung upstream that has not answered yet). */
  get holding(): number { return [...this.held].filter((r) => !r.writableEnded && !r.destroyed).length; }

  matching(method: string, path: RegExp, fault?: FaultRule['mode']): ProxiedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path) && (fault === undefined || r.fault === fault));
  }

  async close(): Promise<void> {
    this.release();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks)));
    });
    const method = (req.method ?? 'GET').toUpperCase();
    const path = req.url ?? '/';
    const text = body.toString('utf8');
    const rule = this.rules.find((r) => r.left > 0 && (r.method === undefined || r.method === method) && r.path.test(path) && (r.bodyMatch === undefined || r.bodyMatch.test(text)));
    if (rule) rule.left -= 1;
    this.requests.push({ method, path, ...(rule ? { fault: rule.mode } : {}), at: Date.now() });
    const failWith = (r: FaultRule) => res.writeHead(r.status ?? 503, { 'content-type': 'application/json', ...r.headers }).end(r.body ?? JSON.stringify({ message: `injected ${r.status ?? 503}` }));
    if (rule?.mode === 'fail') return void failWith(rule);
    if (rule?.mode === 'hold') { this.held.add(res); return; }
    if (rule?.mode === 'delay') await new Promise((r) => setTimeout(r, rule.delayMs ?? 1000));
    const answer = await this.forward(method, path, req.headers, body).catch(() => undefined);
    if (!answer) return void res.writeHead(502).end();
    if (rule?.mode === 'apply-then-fail') return void failWith(rule);
    if (res.destroyed) return;
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  private forward(method: string, path: string, headers: IncomingMessage['headers'], body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    const target = new URL(path, this.upstream);
    return new Promise((resolve, reject) => {
      const out = httpRequest(target, { method, headers: { ...headers, host: target.host } }, (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
          const h: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && k !== 'transfer-encoding' && k !== 'connection') h[k] = v;
          resolve({ status: up.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
        });
      });
      out.on('error', reject);
      out.end(body);
    });
  }
}

/**
 * Microsoft Graph v1.0 over plain HTTPS (node:https, so a private CA can be trusted for the emulator
 * and test fakes). Only the handful of calls the service-principal flow needs; answers are JSON.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export class GraphError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface GraphClientOptions {
  endpoint: string;
  getToken(scope: string): Promise<string>;
  ca?: string;
  timeoutMs: number;
}

export class GraphClient {
  private readonly base: string;
  private readonly scope: string;

  constructor(private readonly opts: GraphClientOptions) {
    const root = opts.endpoint.replace(/\/+$/, '');
    this.base = `${root}/v1.0`;
    this.scope = `${root}/.default`;
  }

  /** 2xx → parsed body (undefined when empty); 404 → null when `allowNotFound`; else a GraphError. */
  async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, allowNotFound = false): Promise<T | null> {
    const token = await this.opts.getToken(this.scope);
    const { status, text } = await this.send(method, `${this.base}${path}`, token, body);
    if (status === 404 && allowNotFound) return null;
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new GraphError(status, 'InvalidResponse', `Graph answered HTTP ${status} with a body that is not JSON`);
    }
    if (status >= 200 && status < 300) return parsed as T;
    const err = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new GraphError(status, err?.code ?? 'Unknown', err?.message ?? `HTTP ${status}`);
  }

  private send(method: string, url: string, token: string, body: unknown): Promise<{ status: number; text: string }> {
    const u = new URL(url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(u, {
        method,
        ...(this.opts.ca && u.protocol === 'https:' ? { ca: this.opts.ca } : {}),
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload).toString() } : {}),
        },
        timeout: this.opts.timeoutMs,
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new GraphError(0, 'Timeout', `Graph did not answer within ${this.opts.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** `'` doubles inside an OData string literal. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

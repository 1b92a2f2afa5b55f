/** Test helpers for the emulator tests: a quiet logger, a manual clock, raw HTTP(S) calls and tokens. */
import http from 'node:http';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../src/core/ports';
import type { RunningEmulator } from '../../src/emulator';

export const quietLog: Logger = {
  child: () => quietLog, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined,
};

export class ManualClock {
  constructor(public ms = Date.parse('2026-03-02T09:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-emulator-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON of many shapes; the tests assert on it directly. */
  body: any;
}

export function call(url: string, opts: { method?: string; headers?: Record<string, string>; ca?: string; body?: unknown } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const requestOpts = {
      method: opts.method ?? 'GET',
      headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...(opts.headers ?? {}) },
      ...(opts.ca ? { ca: opts.ca } : {}),
    };
    const mod = url.startsWith('https:') ? https : http;
    const req = mod.request(url, requestOpts, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export async function token(emu: RunningEmulator, resource = 'https://management.azure.com'): Promise<string> {
  const reply = await call(`${emu.identityEndpoint}?api-version=2019-08-01&resource=${encodeURIComponent(resource)}`, {
    headers: { 'X-IDENTITY-HEADER': emu.identityHeader },
  });
  if (reply.status !== 200) throw new Error(`token endpoint answered ${reply.status}`);
  return reply.body.access_token as string;
}

export const PAT_HEADER = { authorization: `Basic ${Buffer.from(':any-pat').toString('base64')}` };

export function wsUrl(emu: RunningEmulator, env: 'dev' | 'preprod' | 'prod'): string {
  return `${emu.armUrl}/subscriptions/${emu.subscriptionId}/resourceGroups/rg-mlopsv2-0001${env}/providers/Microsoft.MachineLearningServices/workspaces/mlw-mlopsv2-0001${env}`;
}

export function fixture(relative: string): any {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'azure', relative), 'utf8'));
}

/** Keys of an object, sorted (for shape comparisons with the official examples). */
export function keysOf(value: unknown): string[] {
  return Object.keys(value as Record<string, unknown>).sort();
}

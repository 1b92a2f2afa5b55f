/**
 * What one request to the emulator looked like and what it answered, for observers such as the
 * conformance tests that check both against the published API specs. Recording is off unless an
 * observer is given, so the emulator pays nothing for it otherwise.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface EmulatorExchange {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Request headers the specs care about (api-version travels in `accept` for Azure DevOps). */
  headers: { accept?: string; 'content-type'?: string };
  requestBody: unknown;
  status: number;
  responseBody: unknown;
}

export type ExchangeObserver = (exchange: EmulatorExchange) => void;

/** Captures the response body as the handler writes it; `done` reports the exchange once sent. */
export function captureResponse(res: ServerResponse): () => { status: number; body: unknown } {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const keep = (chunk: unknown) => {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk));
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
  };
  (res as unknown as { write: (...args: unknown[]) => boolean }).write = (...args: unknown[]) => { keep(args[0]); return write(...args); };
  (res as unknown as { end: (...args: unknown[]) => ServerResponse }).end = (...args: unknown[]) => { if (typeof args[0] !== 'function') keep(args[0]); return end(...args); };
  return () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text === '' ? undefined : text;
    try { body = text === '' ? undefined : JSON.parse(text); } catch { /* not JSON: kept as text */ }
    return { status: res.statusCode, body };
  };
}

export function exchangeOf(req: IncomingMessage, path: string, query: URLSearchParams, requestBody: unknown, answer: { status: number; body: unknown }): EmulatorExchange {
  const accept = req.headers.accept;
  const contentType = req.headers['content-type'];
  return {
    method: req.method ?? 'GET', path, query: Object.fromEntries(query.entries()),
    headers: { ...(accept ? { accept } : {}), ...(contentType ? { 'content-type': contentType } : {}) },
    requestBody, status: answer.status, responseBody: answer.body,
  };
}

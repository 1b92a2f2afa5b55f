import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../../http/body';
import { isHttpError } from '../../http/http-error';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: code, message }, headers);
}

/** JSON-ish bodies only: `application/json`, `…+json`; a missing type is read as JSON. */
export function isJsonType(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json') || type === 'text/json';
}

/** The parsed body, or an HTTP answer already sent (413, 400) and `undefined`. */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, limitBytes: number): Promise<{ value: unknown } | undefined> {
  let raw: Buffer;
  try {
    raw = await readBody(req, limitBytes);
  } catch (e) {
    if (isHttpError(e)) sendError(res, e.status, e.code, e.message, e.status === 413 ? { connection: 'close' } : {});
    else sendError(res, 400, 'bad_request', 'The request body could not be read.');
    return undefined;
  }
  try {
    return { value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    sendError(res, 400, 'invalid_json', 'The request body is not valid JSON.');
    return undefined;
  }
}

/** Refuses without reading the body, and drains it so the connection can be reused. */
export function refuse(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  req.resume();
  sendError(res, status, code, message, headers);
}

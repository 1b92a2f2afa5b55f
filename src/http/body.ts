import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Reads the raw body (signature checks need the exact bytes) and refuses more than `limitBytes`,
 * up front when Content-Length says so, otherwise as soon as the stream passes the limit.
 */
export function readBody(req: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const tooLarge = () => new HttpError(413, 'payload_too_large', `The request body is larger than ${limitBytes} bytes.`);
    if (req.readableEnded) {
      reject(new Error('readBody: the request body was already read.'));
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      req.resume();
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      fn();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        // Keep draining (discarding) so the 413 can still be written back on this connection.
        finish(() => reject(tooLarge()));
        req.resume();
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(() => resolve(Buffer.concat(chunks, size))));
    req.once('error', () => finish(() => reject(new HttpError(400, 'aborted', 'The request was aborted.'))));
    req.once('close', () => finish(() => reject(new HttpError(400, 'aborted', 'The request was aborted.'))));
  });
}

/** Reads and parses a JSON body; malformed JSON is the caller's fault (400), not ours. */
export async function readJson<T = unknown>(req: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT): Promise<T> {
  const body = await readBody(req, limitBytes);
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
  }
}

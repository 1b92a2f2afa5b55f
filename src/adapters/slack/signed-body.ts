/**
 * The Slack signature checked on the raw bytes as they arrive, before Bolt reads or parses
 * anything: a request without the signature headers, or with a stale timestamp, is refused before
 * its body is read; a signed one is read up to `limitBytes` while the HMAC is computed, and refused
 * as soon as it is longer. Bolt gets the verified bytes (`rawBody`) and does not read the stream again.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../../http/http-error';

/** Slack's own payloads (a modal submission is the largest) stay far below this. */
export const SLACK_BODY_LIMIT = 256 * 1024;
const WINDOW_S = 5 * 60;

export async function readSignedBody(req: IncomingMessage, signingSecret: string, nowMs: number, limitBytes = SLACK_BODY_LIMIT): Promise<Buffer> {
  const signature = header(req, 'x-slack-signature');
  const timestamp = Number(header(req, 'x-slack-request-timestamp'));
  if (!signature || !Number.isFinite(timestamp)) throw unsigned('The request is not signed by Slack.');
  if (Math.abs(nowMs / 1000 - timestamp) > WINDOW_S) throw unsigned('The request timestamp is outside the five-minute window.');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw tooLarge(limitBytes);
    hmac.update(chunk);
    chunks.push(chunk);
  }
  const expected = Buffer.from(`v0=${hmac.digest('hex')}`);
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw unsigned('The Slack signature does not match.');
  return Buffer.concat(chunks, size);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function unsigned(message: string): HttpError {
  return new HttpError(401, 'unauthorized', message);
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `The request body is larger than ${limit} bytes.`);
}

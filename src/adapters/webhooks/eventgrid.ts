/**
 * `POST /api/events/eventgrid`: Azure ML events through Event Grid, in the Event Grid schema or as
 * CloudEvents 1.0, authenticated by `?code=<EVENTGRID_KEY>` in the subscription's endpoint URL.
 * Answers the Event Grid validation handshake (200 with `validationResponse`) and the CloudEvents
 * abuse-protection handshake (`OPTIONS`, `WebHook-Allowed-Origin`). Deliveries are acknowledged
 * only after they are recorded, so an error answer (5xx) makes Event Grid redeliver.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { normaliseAzureMl } from '../../core/notifications/azure-ml-events';
import { parseEnvelopes } from '../../core/notifications/eventgrid-envelope';
import type { NotificationRouter } from '../../core/notifications/router';
import type { Logger } from '../../core/ports';
import type { BotSettings } from '../../core/settings';
import { hasValidCode } from './auth';
import { isJsonType, readJsonBody, refuse, sendError, sendJson } from './respond';

/** Event Grid delivers at most 1 MB per batch. */
export const EVENTGRID_BODY_LIMIT = 1024 * 1024;

export interface EventGridIntakeOptions {
  /** EVENTGRID_KEY; unset refuses every request. */
  key: string | undefined;
  router: Pick<NotificationRouter, 'ingest'>;
  settings: BotSettings;
  log: Logger;
  maxBodyBytes?: number;
}

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createEventGridHandler(opts: EventGridIntakeOptions): WebhookHandler {
  const log = opts.log.child({ webhook: 'eventgrid' });
  if (!opts.key) log.warn({}, 'EVENTGRID_KEY is not set: Event Grid deliveries will be refused');
  return async (req, res) => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'POST' && method !== 'OPTIONS') {
      refuse(req, res, 405, 'method_not_allowed', 'Use POST (or OPTIONS for the CloudEvents handshake).', { allow: 'POST, OPTIONS' });
      return;
    }
    // The URL carries the key: it is never logged.
    if (!hasValidCode(req.url, opts.key)) {
      log.warn({ method }, 'event grid request refused: missing or wrong code');
      refuse(req, res, 401, 'unauthorized', 'Missing or wrong code.');
      return;
    }
    if (method === 'OPTIONS') {
      const origin = header(req, 'webhook-request-origin');
      req.resume();
      res.writeHead(200, { ...(origin ? { 'webhook-allowed-origin': origin, 'webhook-allowed-rate': '*' } : {}), allow: 'POST, OPTIONS', 'content-length': '0' });
      res.end();
      return;
    }
    if (!isJsonType(header(req, 'content-type'))) {
      refuse(req, res, 415, 'unsupported_media_type', 'Send application/json, application/cloudevents+json or application/cloudevents-batch+json.');
      return;
    }
    const body = await readJsonBody(req, res, opts.maxBodyBytes ?? EVENTGRID_BODY_LIMIT);
    if (!body) return;
    const parsed = parseEnvelopes(body.value);
    if (parsed.kind === 'validation') {
      log.info({}, 'event grid subscription validated');
      sendJson(res, 200, { validationResponse: parsed.code });
      return;
    }
    try {
      const events = parsed.events.map((raw) => normaliseAzureMl(raw, opts.settings));
      const result = await opts.router.ingest(events);
      sendJson(res, 200, { ...result, malformed: parsed.malformed });
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'event grid delivery could not be recorded');
      sendError(res, 503, 'unavailable', 'The delivery could not be recorded; retry later.', { 'retry-after': '5' });
    }
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

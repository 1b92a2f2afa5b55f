/**
 * `POST /api/events/azure-devops`: Azure DevOps service hooks (web hooks consumer), authenticated
 * with the basic-auth pair configured on the subscription. Acknowledged after recording, so an
 * error answer makes Azure DevOps retry.
 */
import { normaliseServiceHook } from '../../core/notifications/azure-devops-events';
import type { NotificationRouter } from '../../core/notifications/router';
import type { Logger } from '../../core/ports';
import type { BotSettings } from '../../core/settings';
import { hasValidBasicAuth } from './auth';
import type { WebhookHandler } from './eventgrid';
import { isJsonType, readJsonBody, refuse, sendError, sendJson } from './respond';

export const SERVICE_HOOK_BODY_LIMIT = 1024 * 1024;

export interface AzureDevOpsIntakeOptions {
  /** AZURE_DEVOPS_HOOK_USER / AZURE_DEVOPS_HOOK_PASSWORD; unset refuses every request. */
  user: string | undefined;
  password: string | undefined;
  router: Pick<NotificationRouter, 'ingest'>;
  settings: BotSettings;
  log: Logger;
  maxBodyBytes?: number;
}

export function createAzureDevOpsHandler(opts: AzureDevOpsIntakeOptions): WebhookHandler {
  const log = opts.log.child({ webhook: 'azure-devops' });
  if (!opts.user || !opts.password) log.warn({}, 'service hook credentials are not set: Azure DevOps deliveries will be refused');
  return async (req, res) => {
    if ((req.method ?? '').toUpperCase() !== 'POST') {
      refuse(req, res, 405, 'method_not_allowed', 'Use POST.', { allow: 'POST' });
      return;
    }
    if (!hasValidBasicAuth(req.headers.authorization, opts.user, opts.password)) {
      log.warn({}, 'service hook refused: missing or wrong credentials');
      refuse(req, res, 401, 'unauthorized', 'Missing or wrong credentials.', { 'www-authenticate': 'Basic realm="mlops-bot", charset="UTF-8"' });
      return;
    }
    if (!isJsonType(req.headers['content-type'])) {
      refuse(req, res, 415, 'unsupported_media_type', 'Send application/json.');
      return;
    }
    const body = await readJsonBody(req, res, opts.maxBodyBytes ?? SERVICE_HOOK_BODY_LIMIT);
    if (!body) return;
    try {
      const event = normaliseServiceHook(body.value, opts.settings);
      const result = await opts.router.ingest([event]);
      sendJson(res, 200, result);
    } catch (err) {
      log.error({ err: err instanceof Error ? err.message : String(err) }, 'service hook could not be recorded');
      sendError(res, 503, 'unavailable', 'The delivery could not be recorded; retry later.', { 'retry-after': '5' });
    }
  };
}

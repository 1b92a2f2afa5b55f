/** Mounts the notification intake endpoints (Event Grid, Azure DevOps service hooks) on the HTTP server. */
import { createAzureDevOpsHandler, createEventGridHandler } from '../adapters/webhooks';
import type { Logger } from '../core/ports';
import type { BotSettings } from '../core/settings';
import type { NotificationRouter } from '../core/notifications';
import { ROUTES, type HttpServer } from '../http';

export interface WebhookSecrets {
  eventGridKey?: string;
  devopsHookUser?: string;
  devopsHookPassword?: string;
}

export function mountWebhooks(http: Pick<HttpServer, 'route'>, router: NotificationRouter, settings: BotSettings, secrets: WebhookSecrets, log: Logger): void {
  const eventGrid = createEventGridHandler({ key: secrets.eventGridKey, router, settings, log });
  http.route('POST', ROUTES.eventGrid, eventGrid);
  http.route('OPTIONS', ROUTES.eventGrid, eventGrid);
  http.route('POST', ROUTES.azureDevOps, createAzureDevOpsHandler({ user: secrets.devopsHookUser, password: secrets.devopsHookPassword, router, settings, log }));
}

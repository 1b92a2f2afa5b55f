/** Plain node handlers for the notification intake endpoints (mounted by src/http). */
export { createEventGridHandler, EVENTGRID_BODY_LIMIT, type EventGridIntakeOptions, type WebhookHandler } from './eventgrid';
export { createAzureDevOpsHandler, SERVICE_HOOK_BODY_LIMIT, type AzureDevOpsIntakeOptions } from './azure-devops';

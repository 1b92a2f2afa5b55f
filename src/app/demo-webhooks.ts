/**
 * In demo mode the emulator plays Azure's part in notifications too: its Azure ML events are
 * delivered to the bot's Event Grid endpoint (after the subscription validation handshake, with
 * the key in the URL) and its Azure DevOps events to the service-hook endpoint with basic auth,
 * exactly as the real services would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../core/ports';
import type { EmulatorEvent } from '../emulator';
import type { WebhookSecrets } from './webhooks';

export function demoWebhookSecrets(given: WebhookSecrets): Required<WebhookSecrets> {
  const random = (): string => randomBytes(18).toString('base64url');
  return {
    eventGridKey: given.eventGridKey ?? random(),
    devopsHookUser: given.devopsHookUser ?? 'mlops-demo',
    devopsHookPassword: given.devopsHookPassword ?? random(),
  };
}

export function createWebhookForwarder(botUrl: string, secrets: Required<WebhookSecrets>, log: Logger): (event: EmulatorEvent) => void {
  const eventGridUrl = `${botUrl}/api/events/eventgrid?code=${encodeURIComponent(secrets.eventGridKey)}`;
  const hookUrl = `${botUrl}/api/events/azure-devops`;
  const basic = `Basic ${Buffer.from(`${secrets.devopsHookUser}:${secrets.devopsHookPassword}`).toString('base64')}`;
  let validated: Promise<boolean> | undefined;

  const validate = async (): Promise<boolean> => {
    const validationCode = randomUUID();
    const res = await post(eventGridUrl, { 'aeg-event-type': 'SubscriptionValidation' }, [{
      id: randomUUID(), topic: 'mlops-demo', subject: '', eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
      eventTime: new Date().toISOString(), data: { validationCode }, dataVersion: '1', metadataVersion: '1',
    }]);
    const body = (await res.json().catch(() => ({}))) as { validationResponse?: string };
    return res.ok && body.validationResponse === validationCode;
  };

  const deliver = async (event: EmulatorEvent): Promise<void> => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const res = event.kind === 'eventgrid'
        ? ((validated ??= validate()), (await validated) ? await post(eventGridUrl, { 'aeg-event-type': 'Notification' }, [event.event]) : undefined)
        : await post(hookUrl, { authorization: basic }, event.delivery);
      if (res?.ok) return;
      if (!res) { log.warn({}, 'the bot did not validate the demo Event Grid subscription'); return; }
      await new Promise((r) => setTimeout(r, attempt * 500));
    }
    log.warn({ kind: event.kind }, 'the bot did not accept a demo webhook delivery after 3 attempts');
  };

  return (event) => { void deliver(event).catch((err: unknown) => log.warn({ err: String(err) }, 'demo webhook delivery failed')); };
}

function post(url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
}

/**
 * Card buttons (block_actions; action_id = the card verb, value = JSON of the button data). Every
 * click is acknowledged first. Reject opens the reason modal straight away (its trigger_id lives 3 s);
 * the other verbs run through core.act, the same policy as the typed command. The card itself is
 * edited for everyone by the request's effects; what only the clicker should see (a refusal, an
 * error) goes back to them alone.
 */
import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { commandFor } from '../../core/bot-core';
import { card } from '../../core/cards/views';
import type { Outcome } from '../../core/commands/types';
import type { Logger } from '../../core/ports';
import { invocationLog } from './lazy-log';
import { slackContent } from './blocks';
import { deliverFailure } from './deliver';
import { correlationOf, firstDelivery, slackCaller, type HandlerDeps } from './handler-deps';
import { dedupeKeys, qualified } from './ids';
import { rejectModal } from './reject-modal';
import { slackError } from './slack-errors';

/** Link buttons (Action.OpenUrl) also send block_actions; the browser does the work. */
const LINK_BUTTON = /^open-url-\d+$/;

export function registerButtons(app: App, deps: HandlerDeps): void {
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: /.+/ }, async ({ ack, body, action, respond, client, context }) => {
    await ack();
    if (LINK_BUTTON.test(action.action_id)) return;
    const correlationId = correlationOf(context);
    const log = invocationLog(deps.log, correlationId, { surface: 'slack', user: body.user.id, verb: action.action_id });
    if (!(await firstDelivery(deps, dedupeKeys.action(action.action_ts, body.user.id, action.action_id), log))) return;
    const data = parseValue(action.value);
    const channelId = body.container?.channel_id ?? body.channel?.id;
    const caller = slackCaller(body.user);

    if (action.action_id === 'reject') {
      // The modal opens before anything slow: the trigger_id is good for 3 seconds, once.
      deps.tasks.run(log, 'reject modal', () => openRejectModal(client, body.trigger_id, data, channelId, respond, correlationId, log));
      return;
    }

    deps.tasks.run(log, `button ${action.action_id}`, async () => {
      try {
        const outcome = await deps.core.act({ verb: action.action_id, data, caller, ...(channelId ? { channel: qualified(channelId) } : {}), correlationId });
        if (needsClickerReply(outcome)) await deps.deliveries.run(() => tellClicker(respond, outcome, log));
      } catch (e) {
        await deliverFailure(e, respond, correlationId, log);
      }
    });
  });
}

async function openRejectModal(
  client: WebClient, triggerId: string, data: Record<string, unknown>, channelId: string | undefined, respond: RespondFn, correlationId: string, log: Logger,
): Promise<void> {
  const requestId = typeof data.requestId === 'string' ? data.requestId : '';
  if (commandFor({ verb: 'reject', data: { requestId } }) === null) {
    await tellClicker(respond, unknownButton(), log);
    return;
  }
  try {
    await client.views.open({ trigger_id: triggerId, view: rejectModal(requestId, { channel: channelId }) });
  } catch (e) {
    await deliverFailure(slackError('views.open', e), respond, correlationId, log);
  }
}

/** A decision that went through shows on the card for everyone; anything else concerns the clicker. */
export function needsClickerReply(outcome: Outcome): boolean {
  return outcome.status !== 'ok' || (outcome.visibility === 'private' && outcome.requestId === undefined);
}

async function tellClicker(respond: RespondFn, outcome: Outcome, log: Logger): Promise<void> {
  // replace_original false: the card stays as it is for everyone; this line is for the clicker only.
  await respond({ response_type: 'ephemeral', replace_original: false, ...slackContent(outcome.reply) }).catch((err: unknown) =>
    log.warn({ err: String(err) }, 'could not reply to the clicker'),
  );
}

function unknownButton(): Outcome {
  return { status: 'invalid', visibility: 'private', reply: card('notice', { title: 'Unknown button', text: 'This button is not recognised; use the command instead.', tone: 'warning' }) };
}

/** Button values are JSON objects we wrote; anything else is treated as no data (and refused by the core). */
export function parseValue(value: string | undefined): Record<string, unknown> {
  if (!value) return {};
  try {
    const v: unknown = JSON.parse(value);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

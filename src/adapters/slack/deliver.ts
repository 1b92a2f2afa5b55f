/**
 * Where an outcome goes in Slack. Public outcomes become a channel message the bot can edit later
 * (chat.postMessage; a promotion's card is remembered so it follows the request); private ones and
 * errors reach the caller alone through the response_url, replacing the "Working on it…" note.
 */
import type { RespondFn } from '@slack/bolt';
import type { Outcome } from '../../core/commands/types';
import { card } from '../../core/cards/views';
import { errorOutcome } from '../../core/commands/error-sink';
import type { Logger } from '../../core/ports';
import { rememberCard } from '../../core/promotion/effects';
import { slackContent } from './blocks';
import type { HandlerDeps } from './handler-deps';
import { platformCode } from './slack-errors';

/** Codes for which the bot cannot post in the caller's channel, but the response_url still can. */
const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found']);

export async function deliverCommandOutcome(
  deps: HandlerDeps, outcome: Outcome, at: { channel: string; respond: RespondFn; correlationId: string; log: Logger },
): Promise<void> {
  if (outcome.visibility === 'private') {
    await at.respond({ response_type: 'ephemeral', replace_original: true, ...(await deps.chat.content(outcome.reply)) });
    return;
  }
  const later = outcome.requestId ? statusCardKey(outcome.requestId, at.channel) : undefined;
  try {
    const ref = await deps.chat.post(at.channel, outcome.reply, later ? { marker: later } : {});
    if (outcome.requestId) await rememberCard(deps.core.store, outcome.requestId, ref);
  } catch (e) {
    if (outcome.requestId && later && !CANNOT_POST_HERE.has(platformCode(e) ?? '')) {
      await postLater(deps, outcome.requestId, later, at, e);
      return;
    }
    if (!CANNOT_POST_HERE.has(platformCode(e) ?? '')) throw e;
    // A private channel or DM without the bot: answer in place; this copy cannot follow the request.
    at.log.info({ channel: at.channel }, 'bot not in channel; answering through the response_url');
    await at.respond({ response_type: 'in_channel', ...(await deps.chat.content(outcome.reply)) });
  }
  await at.respond({ delete_original: true }).catch((err: unknown) => at.log.debug({ err: String(err) }, 'could not remove the working note'));
}

/** The outbox key of a request's status card posted after the command's own post failed. */
const statusCardKey = (requestId: string, channel: string): string => `${requestId}:status_card:${channel}`;

/**
 * The request exists and proceeds; only its card could not be posted now (rate limited, Slack
 * down). "Try again" would be wrong — a retry is refused as a duplicate — so the card is handed
 * to the outbox (which looks first, in case this post did land) and the requester is told so.
 */
async function postLater(deps: HandlerDeps, requestId: string, key: string, at: { channel: string; respond: RespondFn; log: Logger }, cause: unknown): Promise<void> {
  at.log.info({ requestId, code: platformCode(cause) }, 'status card not posted now; the outbox will post it');
  await deps.core.store.enqueueEffects([{ key, kind: 'post_approval_card', payload: { requestId, channel: at.channel, lookFirst: true } }]);
  deps.core.kick();
  const note = { title: `${requestId} is on its way`, text: `Your request was created and proceeds. Slack is busy right now, so its card will appear here shortly; no need to send it again.`, tone: 'info' as const };
  await at.respond({ response_type: 'ephemeral', replace_original: true, ...slackContent(card('notice', note)) })
    .catch((err: unknown) => at.log.debug({ err: String(err) }, 'could not replace the working note'));
}

/** The last resort after the ack: the caller sees a coded error with its remedy and correlation id. */
export async function deliverFailure(error: unknown, respond: RespondFn | undefined, correlationId: string, log: Logger): Promise<void> {
  const outcome = errorOutcome(error, correlationId, log);
  if (!respond) return;
  await respond({ response_type: 'ephemeral', replace_original: true, ...slackContent(outcome.reply) }).catch((err: unknown) =>
    log.warn({ err: String(err) }, 'could not tell the caller about the failure'),
  );
}

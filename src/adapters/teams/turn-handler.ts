/**
 * Runs one inbound Teams activity: remembers its conversation, then sends typed commands to
 * `core.handle` and card actions to `core.act`, and answers in the Teams way (reply, invoke card).
 */
import type { TeamsAttachment } from '../../cards/render';
import type { CardMessage } from '../../core/cards/views';
import type { Outcome } from '../../core/commands/types';
import type { Caller } from '../../core/identity';
import type { Logger } from '../../core/ports';
import { newCorrelationId } from '../../logging/logger';
import type { BotCore } from '../../core/surface';
import { executeAction, reasonFormIfNeeded } from './execute';
import type { ConversationBook } from './conversations';
import { callerOf } from './identity';
import { classify, type Inbound } from './inbound';
import { deliverPrivately, rememberPromotionCard } from './private-reply';
import type { Transport, Turn } from './types';

export interface TurnDeps {
  core: BotCore;
  book: ConversationBook;
  log: Logger;
  render(message: CardMessage): Promise<TeamsAttachment>;
  /** For private answers: the caller's 1:1 chat is reached (or opened) through it. */
  transport: Transport;
  /** Configured `teams:` names linked to the first conversation that talks to the bot (demo mode). */
  autoLink: readonly string[];
}

export function createTurnHandler(deps: TurnDeps): (turn: Turn) => Promise<void> {
  return async (turn) => {
    const { activity } = turn;
    const correlationId = newCorrelationId();
    const log = deps.log.child({ correlationId, surface: 'teams', activity: activity.type });
    const inbound = classify(activity, turn.text);
    try {
      if (!activity.conversation?.id) return;
      const conversationId = await deps.book.remember(turn.reference, activity);
      await autoLink(deps, conversationId, log);
      if (inbound.kind === 'uninstalled') return deps.book.forget(conversationId);
      if (inbound.kind === 'installed' || inbound.kind === 'ignored' || inbound.kind === 'unsupported_invoke' || !activity.from) return;
      const caller = callerOf(activity.from, deps.core.settings);
      const ctx: Ctx = { ...deps, turn, caller, correlationId, log, conversationId, channel: `teams:${conversationId}` };
      if (inbound.kind === 'action' && inbound.via === 'execute') return await executeAction(ctx, inbound);
      if (activity.id && !(await deps.core.store.markSeen(`teams:${conversationId}:${activity.id}`, new Date()))) {
        log.info({ activityId: activity.id }, 'repeated Teams activity ignored');
        return;
      }
      if (inbound.kind === 'command') return await deliver(ctx, await deps.core.handle({ text: inbound.text, caller, channel: ctx.channel, correlationId }));
      await submitAction(ctx, inbound);
    } catch (e) {
      log.error({ err: e }, 'Teams activity failed');
      if (activity.type === 'invoke') await turn.answer(200, { statusCode: 500, type: 'application/vnd.microsoft.error', value: { code: 'internal', message: `Something went wrong inside the bot (correlation id ${correlationId}).` } });
      else throw e;
    }
  };
}

export interface Ctx extends TurnDeps {
  turn: Turn;
  caller: Caller;
  correlationId: string;
  log: Logger;
  conversationId: string;
  channel: string;
}

/**
 * Public outcomes go to the conversation. Private ones: in a personal chat that is the caller alone;
 * in a channel or group chat they go to the caller's 1:1 chat with the bot (card clicks answer
 * privately through the invoke instead).
 */
export async function deliver(ctx: Ctx, outcome: Outcome): Promise<void> {
  const attachment = await ctx.render(outcome.reply);
  const personal = (ctx.turn.activity.conversation?.conversationType ?? 'personal') === 'personal';
  if (outcome.visibility === 'private' && !personal) return deliverPrivately(ctx, outcome, attachment);
  const id = await ctx.turn.reply({ attachments: [attachment] });
  await rememberPromotionCard(ctx, outcome, ctx.channel, id);
}

/** Action.Submit (clients without Universal Actions): the same actions, answered in the conversation. */
async function submitAction(ctx: Ctx, inbound: Extract<Inbound, { kind: 'action' }>): Promise<void> {
  if (inbound.verb === 'refresh') return;
  const requestId = typeof inbound.data.requestId === 'string' ? inbound.data.requestId : '';
  const form = await reasonFormIfNeeded(ctx, inbound, requestId ? await ctx.core.store.getRequest(requestId) : null);
  if (form) {
    await ctx.turn.reply({ attachments: [form] });
    return;
  }
  const outcome = await ctx.core.act({ verb: inbound.verb, data: inbound.data, caller: ctx.caller, channel: ctx.channel, correlationId: ctx.correlationId });
  await deliver(ctx, outcome);
}

async function autoLink(deps: TurnDeps, conversationId: string, log: Logger): Promise<void> {
  for (const channel of deps.autoLink) {
    if (await deps.book.resolve(channel)) continue;
    await deps.book.link(channel, conversationId);
    log.info({ channel, conversationId }, 'Teams channel linked to this conversation');
  }
}

/**
 * Handlers of the rollback effects. `switch_traffic` is safe to run again: the adapter reads the
 * endpoint first and sends no second PUT when the split is already there (a replay after a crash
 * between the change and its record), it only follows the operation to its end.
 */
import { card } from '../cards/views';
import { isBotError } from '../errors';
import type { EffectHandler } from '../outbox/worker';
import type { Chat, Serving } from '../ports';
import type { PromotionService } from '../promotion/service';
import type { RollbackNoticePayload, SwitchTrafficPayload } from './effect-drafts';

export interface RollbackEffectDeps {
  service: PromotionService;
  serving?: Serving;
  chat: Chat;
}

/** Answers that will not change by asking again: the rollback ends failed and says why. */
const PERMANENT = ['upstream_invalid', 'upstream_not_found', 'upstream_auth', 'config_invalid', 'usage'];
/** Transient failures (throttling, timeouts, a concurrent operation) are retried this many times first. */
const MAX_ATTEMPTS = 5;

export function rollbackEffectHandlers(deps: RollbackEffectDeps): Record<'switch_traffic' | 'rollback_notice', EffectHandler> {
  const { service, chat } = deps;
  return {
    async switch_traffic(effect, { log, attempt }) {
      const p = effect.payload as unknown as SwitchTrafficPayload;
      const request = await service.get(p.requestId);
      if (request.state !== 'approved') {
        log.info({ requestId: p.requestId, state: request.state }, 'traffic not switched: the rollback is not approved (or already done)');
        return { skipped: request.state };
      }
      try {
        if (!deps.serving) throw new Error('serving is not set up in this installation');
        const after = p.mirror ? await deps.serving.setTraffic(p.env, p.endpoint, p.traffic, p.mirror) : await deps.serving.setTraffic(p.env, p.endpoint, p.traffic);
        await service.onTrafficSwitched(p.requestId, p.endpoint, after.traffic, after.mirrorTraffic);
        return { endpoint: p.endpoint, traffic: after.traffic, state: after.rawState ?? after.state };
      } catch (e) {
        const permanent = !isBotError(e) || PERMANENT.includes(e.code);
        if (!permanent && attempt < MAX_ATTEMPTS) throw e;
        const message = e instanceof Error ? e.message : String(e);
        await service.onTrafficFailed(p.requestId, message);
        return { failed: message, attempt };
      }
    },

    async rollback_notice(effect) {
      const p = effect.payload as unknown as RollbackNoticePayload;
      const channel = p.channel ?? p.channels?.[0];
      if (!channel) return { posted: 0 };
      const ref = await chat.post(channel, card('notice', { title: p.title ?? `Rollback ${p.requestId}`, text: p.text, tone: p.tone }));
      return { posted: 1, channel: ref.channel, messageId: ref.messageId };
    },
  };
}

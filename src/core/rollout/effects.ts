/**
 * Handlers of the rollout effects. A traffic change is safe to run again: the serving adapter reads
 * the endpoint first and sends no second PUT when the split is already there (a replay after a
 * crash between the change and its record), and the transition after it applies to one revision of
 * one step only. Transient failures are retried a few times; then the rollout pauses (a step) or
 * says the canary could not be set back (an abort or a rollback), each with the way to retry.
 */
import { card } from '../cards/views';
import { isBotError } from '../errors';
import { postOnce } from '../outbox/post-once';
import type { EffectHandler } from '../outbox/worker';
import { drawChart } from '../charts/draw';
import type { ChartRenderer, Chat, MessageRef, Serving, Store } from '../ports';
import { rolloutChartOf } from './chart';
import { ROLLOUT_CARD, ROLLOUT_NOTICE, ROLLOUT_TRAFFIC, splitAt, type RolloutCardPayload, type RolloutNoticePayload, type RolloutTrafficPayload } from './effect-drafts';
import type { RolloutEngine } from './engine';
import { backSettled, stepFailed } from './reduce-control';
import { stepApplied } from './reduce-step';
import { buildRolloutView } from './view';

export interface RolloutEffectDeps {
  engine: RolloutEngine;
  serving?: Serving;
  chat: Chat;
  /** Draws the card's chart of canary vs baseline; absent: the card goes without it. */
  charts?: ChartRenderer;
}

const PERMANENT = ['upstream_invalid', 'upstream_not_found', 'upstream_auth', 'config_invalid', 'usage'];
const MAX_ATTEMPTS = 5;

const cardsNamespace = (id: string): string => `rollout-cards:${id}`;

export async function rolloutCards(store: Pick<Store, 'listDocs'>, id: string): Promise<MessageRef[]> {
  return (await store.listDocs<MessageRef>(cardsNamespace(id))).map((d) => d.value);
}

export function rolloutEffectHandlers(deps: RolloutEffectDeps): Record<string, EffectHandler> {
  const { engine, chat } = deps;
  const store = engine.deps.store;
  return {
    async [ROLLOUT_TRAFFIC](effect, { log, attempt }) {
      const p = effect.payload as unknown as RolloutTrafficPayload;
      const r = await engine.get(p.rolloutId);
      const due = p.purpose === 'step' ? r.status === 'running' && r.phase === 'shifting' && r.stepIndex === p.stepIndex : r.back?.state === 'pending';
      if (!due) {
        log.info({ rolloutId: r.id, status: r.status, purpose: p.purpose }, 'rollout traffic not changed: no longer asked for');
        return { skipped: r.status };
      }
      try {
        if (!deps.serving) throw new Error('serving is not set up in this installation');
        const after = await deps.serving.setTraffic(p.env, p.endpoint, p.traffic);
        if (p.purpose === 'back') {
          await engine.apply(r.id, (cur, ctx) => backSettled(cur, { ok: true, traffic: after.traffic }, ctx));
          return { traffic: after.traffic };
        }
        const applied = await engine.apply(r.id, (cur, ctx) => stepApplied(cur, p.stepIndex, ctx));
        if (!applied) {
          // Aborted or rolled back while this change was on its way: the canary goes back to 0% again.
          const now = await engine.get(r.id);
          if (now.back) await deps.serving.setTraffic(p.env, p.endpoint, splitAt(now, 0));
        }
        return { traffic: after.traffic };
      } catch (e) {
        const permanent = !isBotError(e) || PERMANENT.includes(e.code);
        if (!permanent && attempt < MAX_ATTEMPTS) throw e;
        const message = e instanceof Error ? e.message : String(e);
        if (p.purpose === 'back') await engine.apply(r.id, (cur, ctx) => backSettled(cur, { ok: false, error: message }, ctx));
        else await engine.apply(r.id, (cur, ctx) => stepFailed(cur, p.stepIndex, message, ctx));
        return { failed: message, attempt };
      }
    },

    async [ROLLOUT_CARD](effect, { log }) {
      const p = effect.payload as unknown as RolloutCardPayload;
      // Always the rollout as it is now: an older revision's update renders what is true now.
      const rollout = await engine.get(p.rolloutId);
      const message = card('rollout', buildRolloutView(rollout), await drawChart(deps.charts, rolloutChartOf(rollout), log));
      const refs = await rolloutCards(store, p.rolloutId);
      if (p.channel !== undefined) {
        if (refs.some((r) => r.channel === p.channel)) return { posted: 0 };
        const ref = await postOnce(chat, p.channel, message, effect);
        await store.putDoc(cardsNamespace(p.rolloutId), `${ref.channel}|${ref.messageId}`, ref);
        return { posted: 1, channel: ref.channel, messageId: ref.messageId };
      }
      for (const ref of refs) await chat.update(ref, message);
      return { updated: refs.length };
    },

    async [ROLLOUT_NOTICE](effect) {
      const p = effect.payload as unknown as RolloutNoticePayload;
      const ref = await postOnce(chat, p.channel, card('notice', { title: p.title, text: p.text, tone: p.tone }), effect);
      return { channel: ref.channel, messageId: ref.messageId };
    },
  };
}

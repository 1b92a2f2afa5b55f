/**
 * Executes the promotion effects recorded in the outbox. Each handler is safe to run again after a
 * crash: Azure DevOps calls are idempotent per request, cards are edited in place (their message
 * refs live in the `cards` document of the request), and a post to one channel is one effect, so a
 * channel that fails never holds back another.
 */
import { AUDIT_POST_EFFECT } from '../audit/fan-out';
import { auditEffectHandlers } from '../audit/post';
import { card } from '../cards/views';
import type { CardMessage } from '../cards/views';
import { postOnce } from '../outbox/post-once';
import type { OutboxEffect } from '../outbox/types';
import type { EffectHandler } from '../outbox/worker';
import type { AccountLinks, Chat, MessageRef, ModelRegistry, Releases, Store } from '../ports';
import { decideOnAdo } from './ado-grant';
import { eachOnce } from './each-once';
import type {
  AdoDecidePayload, NotifyRequesterPayload, PostApprovalCardPayload, PromotionEffectKind,
  RemindApproversPayload, StartReleasePayload, TagModelPayload, UpdateCardsPayload,
} from './effect-drafts';
import type { PromotionService } from './service';
import { TERMINAL_STATES } from './types';
import { requestCard } from '../rollback/view';

export type { EffectHandler } from '../outbox/worker';

export interface PromotionEffectDeps {
  service: PromotionService;
  store: Store;
  chat: Chat;
  releases: Releases;
  registry: ModelRegistry;
  /** Linked accounts, for approvals Azure DevOps records as the human (DESIGN 9.6). */
  accountLinks?: AccountLinks;
}

/** One document per posted card, so two writers remembering cards of one request never lose one. */
const cardsNamespace = (requestId: string): string => `cards:${requestId}`;

export async function rememberCard(store: Store, requestId: string, ref: MessageRef): Promise<void> {
  await store.putDoc(cardsNamespace(requestId), `${ref.channel}|${ref.messageId}`, ref);
}

/** The cards posted for a request (approval cards, the requester's status card). */
export async function cardsOf(store: Store, requestId: string): Promise<MessageRef[]> {
  return (await store.listDocs<MessageRef>(cardsNamespace(requestId))).map((d) => d.value);
}

/** Handlers for every promotion effect, and for the audit posts promotion transitions record. */
export function promotionEffectHandlers(deps: PromotionEffectDeps): Record<PromotionEffectKind | typeof AUDIT_POST_EFFECT, EffectHandler> {
  const { service, store, chat, releases, registry } = deps;
  const promotionCard = async (requestId: string): Promise<CardMessage> => requestCard(await service.get(requestId));
  /** The request's card in `channel`, posted unless one is already there (the status card counts). */
  const postCardOnce = async (requestId: string, channel: string, message: CardMessage, effect: OutboxEffect, marker?: string): Promise<MessageRef | undefined> => {
    if ((await cardsOf(store, requestId)).some((r) => r.channel === channel)) return undefined;
    const ref = await postOnce(chat, channel, message, effect, marker);
    await rememberCard(store, requestId, ref);
    return ref;
  };

  return {
    async post_approval_card(effect) {
      const p = effect.payload as unknown as PostApprovalCardPayload;
      const message = await promotionCard(p.requestId);
      if (p.channel !== undefined) {
        const ref = await postCardOnce(p.requestId, p.channel, message, effect);
        return { posted: ref ? 1 : 0, channel: p.channel, ...(ref ? { messageId: ref.messageId } : {}) };
      }
      // Recorded before effects were split per channel: still every channel tried, each once.
      const res = await eachOnce(store, effect.key, p.channels ?? [], (c) => c, async (c) => { await postCardOnce(p.requestId, c, message, effect, `${effect.key}:${c}`); });
      return { posted: res.done };
    },

    async update_cards(effect) {
      const p = effect.payload as unknown as UpdateCardsPayload;
      const refs = await cardsOf(store, p.requestId);
      // Always the latest state: an older revision's update renders what is true now.
      const message = await promotionCard(p.requestId);
      // Every card is tried; one that cannot be edited does not keep the others stale.
      const res = await eachOnce(store, effect.key, refs, (r) => `${r.channel}|${r.messageId}`, (r) => chat.update(r, message));
      return { updated: res.done, ...(res.skipped > 0 ? { alreadyUpdated: res.skipped } : {}) };
    },

    async start_release(effect, { log }) {
      const p = effect.payload as unknown as StartReleasePayload;
      const request = await service.get(p.requestId);
      if (TERMINAL_STATES.includes(request.state)) {
        log.info({ requestId: p.requestId, state: request.state }, 'release not started: the request already ended');
        return { skipped: request.state };
      }
      const ref = await releases.start({ env: p.env, model: p.model, version: p.version, requestId: p.requestId, description: p.description });
      await service.onReleaseStarted(p.requestId, ref);
      return { release: ref.id, kind: ref.kind };
    },

    async ado_decide(effect) {
      const p = effect.payload as unknown as AdoDecidePayload;
      // Effects recorded before model rules carry no model: the request knows it.
      const model = p.model ?? (await service.get(p.requestId)).model;
      const onRefused = (requestId: string, refusal: Parameters<PromotionService['onAdoRefused']>[1]) => service.onAdoRefused(requestId, refusal);
      return decideOnAdo({ releases, ...(deps.accountLinks ? { accountLinks: deps.accountLinks } : {}), onRefused }, p, model);
    },

    async tag_model(effect) {
      const p = effect.payload as unknown as TagModelPayload;
      await registry.tagVersion(p.env, p.model, p.version, p.tags);
      return { tagged: Object.keys(p.tags) };
    },

    async notify_requester(effect) {
      const p = effect.payload as unknown as NotifyRequesterPayload;
      const request = await store.getRequest(p.requestId);
      const kind = request?.traffic ? 'Traffic change' : request?.rollback ? 'Rollback' : 'Promotion';
      const ref = await postOnce(chat, p.channel, card('notice', { title: `${kind} ${p.requestId}`, text: p.text, tone: p.tone }), effect);
      return { channel: ref.channel, messageId: ref.messageId };
    },

    async remind_approvers(effect) {
      const p = effect.payload as unknown as RemindApproversPayload;
      const message = card('notice', { title: `Waiting for approval: ${p.requestId}`, text: p.text, tone: 'warning' });
      if (p.channel !== undefined) {
        const ref = await postOnce(chat, p.channel, message, effect);
        return { posted: 1, channel: ref.channel, messageId: ref.messageId };
      }
      const res = await eachOnce(store, effect.key, p.channels ?? [], (c) => c, async (c) => { await chat.post(c, message); });
      return { posted: res.done };
    },

    [AUDIT_POST_EFFECT]: auditEffectHandlers({ chat, store })[AUDIT_POST_EFFECT],
  };
}

export { pollReleases } from './release-poll';

/**
 * Executes the promotion effects recorded in the outbox. Each handler is safe to run again after a
 * crash: Azure DevOps calls are idempotent per request, cards are edited in place (their message
 * refs live in the `cards` document of the request), and multi-channel posts remember progress.
 */
import { card } from '../cards/views';
import type { CardMessage } from '../cards/views';
import type { EffectDraft } from '../outbox/types';
import type { Chat, Logger, MessageRef, ModelRegistry, Releases, Store } from '../ports';
import type {
  AdoDecidePayload, NotifyRequesterPayload, PostApprovalCardPayload, PostAuditPayload, PromotionEffectKind,
  RemindApproversPayload, StartReleasePayload, TagModelPayload, UpdateCardsPayload,
} from './effect-drafts';
import type { PromotionService } from './service';
import { TERMINAL_STATES } from './types';
import { buildPromotionView } from './view';

/** The outbox worker's handler shape (src/core/outbox/worker.ts). */
export type EffectHandler = (effect: EffectDraft, ctx: { log: Logger }) => Promise<Record<string, unknown>>;

export interface PromotionEffectDeps {
  service: PromotionService;
  store: Store;
  chat: Chat;
  releases: Releases;
  registry: ModelRegistry;
}

export const CARDS_NAMESPACE = 'cards';
const PROGRESS_NAMESPACE = 'effect-progress';

/** Lets a surface register the status card it posted, so the request's updates edit it too. */
export async function rememberCard(store: Store, requestId: string, ref: MessageRef): Promise<void> {
  const refs = (await store.getDoc<MessageRef[]>(CARDS_NAMESPACE, requestId)) ?? [];
  if (refs.some((r) => r.channel === ref.channel && r.messageId === ref.messageId)) return;
  await store.putDoc(CARDS_NAMESPACE, requestId, [...refs, ref]);
}

export function promotionEffectHandlers(deps: PromotionEffectDeps): Record<PromotionEffectKind, EffectHandler> {
  const { service, store, chat, releases, registry } = deps;
  const promotionCard = async (requestId: string): Promise<CardMessage> => card('promotion', buildPromotionView(await service.get(requestId)));

  return {
    async post_approval_card(effect) {
      const p = effect.payload as unknown as PostApprovalCardPayload;
      const message = await promotionCard(p.requestId);
      let refs = (await store.getDoc<MessageRef[]>(CARDS_NAMESPACE, p.requestId)) ?? [];
      let posted = 0;
      for (const channel of p.channels) {
        if (refs.some((r) => r.channel === channel)) continue;
        const ref = await chat.post(channel, message);
        refs = [...refs, ref];
        await store.putDoc(CARDS_NAMESPACE, p.requestId, refs);
        posted++;
      }
      return { posted };
    },

    async update_cards(effect) {
      const p = effect.payload as unknown as UpdateCardsPayload;
      const refs = (await store.getDoc<MessageRef[]>(CARDS_NAMESPACE, p.requestId)) ?? [];
      // Always the latest state: an older revision's update renders what is true now.
      const message = await promotionCard(p.requestId);
      for (const ref of refs) await chat.update(ref, message);
      return { updated: refs.length };
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
      await releases.decide(p.env, p.ref, p.approvalId, p.decision, p.comment);
      return { release: p.ref.id, approvalId: p.approvalId, decision: p.decision };
    },

    async tag_model(effect) {
      const p = effect.payload as unknown as TagModelPayload;
      await registry.tagVersion(p.env, p.model, p.version, p.tags);
      return { tagged: Object.keys(p.tags) };
    },

    async notify_requester(effect) {
      const p = effect.payload as unknown as NotifyRequesterPayload;
      const ref = await chat.post(p.channel, card('notice', { title: `Promotion ${p.requestId}`, text: p.text, tone: p.tone }));
      return { channel: ref.channel, messageId: ref.messageId };
    },

    async remind_approvers(effect) {
      const p = effect.payload as unknown as RemindApproversPayload;
      const message = card('notice', { title: `Waiting for approval: ${p.requestId}`, text: p.text, tone: 'warning' });
      return { posted: await postOnce(store, chat, effect.key, p.channels, message) };
    },

    async post_audit(effect) {
      const p = effect.payload as unknown as PostAuditPayload;
      const message = card('notice', { title: `Audit: ${p.action}`, text: p.text, tone: 'info' });
      return { posted: await postOnce(store, chat, effect.key, p.channels, message) };
    },
  };
}

/** Posts to each channel once per effect, even when a retry follows a partial failure. */
async function postOnce(store: Store, chat: Chat, key: string, channels: string[], message: CardMessage): Promise<number> {
  const done = new Set((await store.getDoc<string[]>(PROGRESS_NAMESPACE, key)) ?? []);
  let posted = 0;
  for (const channel of channels) {
    if (done.has(channel)) continue;
    await chat.post(channel, message);
    done.add(channel);
    await store.putDoc(PROGRESS_NAMESPACE, key, [...done]);
    posted++;
  }
  return posted;
}

export { pollReleases } from './release-poll';

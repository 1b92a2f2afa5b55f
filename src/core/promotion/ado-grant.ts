/**
 * The `ado_decide` effect: the bot grants or rejects the Azure DevOps approval, or — for an approver
 * who linked their account (DESIGN 9.6) — grants it with that person's own delegated token, so Azure
 * DevOps records them. Azure DevOps refusing the person reopens the request (`ado_refused`) rather
 * than failing the effect: retrying would only be refused again.
 */
import { BotError } from '../errors';
import type { AccountLinks, Releases } from '../ports';
import type { AdoDecidePayload } from './effect-drafts';
import type { AdoRefusal } from './types';

export interface AdoGrantDeps {
  releases: Releases;
  accountLinks?: AccountLinks;
  /** Reopens the request after Azure DevOps refused the person (PromotionService.onAdoRefused). */
  onRefused(requestId: string, refusal: { by: string; reason: AdoRefusal['reason']; detail: string }): Promise<unknown>;
}

export async function decideOnAdo(deps: AdoGrantDeps, p: AdoDecidePayload, model: string): Promise<Record<string, unknown>> {
  const done = { release: p.ref.id, approvalId: p.approvalId, decision: p.decision };
  const asBot = async (why?: string): Promise<Record<string, unknown>> => {
    await deps.releases.decide(p.env, p.ref, p.approvalId, p.decision, p.comment, model);
    return { ...done, as: 'bot', ...(why ? { why } : {}) };
  };
  if (!p.asUser) return asBot();
  const person = p.asUser;
  const token = deps.accountLinks
    ? await deps.accountLinks.adoAccessToken(person.id)
    : { ok: false as const, reason: 'not-linked' as const, detail: 'signing in with Entra is not set up on this bot' };
  if (!token.ok) {
    if (token.reason === 'unavailable') {
      throw new BotError('upstream_unavailable', `No Azure DevOps token could be had for ${person.name}: ${token.detail}`, {
        remedy: 'It is retried; if Entra stays unreachable, an approver or an admin can press Retry later.',
      });
    }
    // prefer-human: an approver who unlinked since is stood in for by the bot, as if never linked.
    if (token.reason === 'not-linked' && person.mode === 'prefer-human') return asBot('not-linked');
    const reason = token.reason === 'not-linked' ? 'not_linked' : 'token_refused';
    await deps.onRefused(p.requestId, { by: person.id, reason, detail: token.detail });
    return { ...done, as: 'human', approver: person.id, refused: reason };
  }
  const out = await deps.releases.decideAs({ token: token.token }, p.env, p.ref, p.approvalId, p.decision, p.comment, model);
  if (out.ok) return { ...done, as: 'human', approver: person.id };
  await deps.onRefused(p.requestId, { by: person.id, reason: out.reason, detail: out.detail });
  return { ...done, as: 'human', approver: person.id, refused: out.reason };
}

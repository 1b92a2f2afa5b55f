/**
 * The one way a request moves: revision and updatedAt advance, an audit draft is written (the
 * service posts it to the audit channels when the state changed) and the cards are refreshed.
 */
import type { AuditDraft } from '../audit/types';
import type { EffectDraft } from '../outbox/types';
import { updateCards } from './effect-drafts';
import type { ReduceContext, Transition } from './events';
import type { PromotionRequest } from './types';

export interface StepSpec {
  patch: Partial<PromotionRequest>;
  action: string;
  /** Principal id, or `system`. */
  actor: string;
  /** What happened in words, e.g. `approved by Alice`; kept in the audit entry for its readers. */
  summary: string;
  detail?: Record<string, unknown>;
  effects?: (next: PromotionRequest) => EffectDraft[];
  /** Refresh the cards (default true). */
  card?: boolean;
}

export function step(prev: PromotionRequest, ctx: ReduceContext, spec: StepSpec): Transition {
  const next: PromotionRequest = { ...prev, ...spec.patch, revision: prev.revision + 1, updatedAt: ctx.now.toISOString() };
  const effects = [...(spec.effects?.(next) ?? [])];
  if (spec.card !== false) effects.push(updateCards(next));
  const audit = [auditDraft(next, spec.action, spec.actor, { summary: spec.summary, from: prev.state, ...spec.detail })];
  return { request: next, effects, audit };
}

export function auditDraft(r: PromotionRequest, action: string, actor: string, detail: Record<string, unknown>): AuditDraft {
  return {
    // Rollbacks and traffic changes share the lifecycle; their audit entries say what they are.
    action: r.rollback ? action.replace(/^promotion\./, 'rollback.') : r.traffic ? action.replace(/^promotion\./, 'traffic.') : action,
    actor,
    env: r.targetEnv,
    model: r.model,
    requestId: r.id,
    detail: compact({ ...detail, to: r.state, version: r.version, revision: r.revision }),
  };
}

/** Audit details are hashed as JSON: leave out undefined values so the stored form is the hashed form. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function unchanged(request: PromotionRequest): Transition {
  return { request, effects: [], audit: [] };
}

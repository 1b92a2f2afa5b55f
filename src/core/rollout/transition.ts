/**
 * The one way a rollout changes: revision and updatedAt advance, one audit entry says what happened,
 * and the card is refreshed. Every transition returns null when it does not apply to the rollout as
 * it stands (a replay, a second click, another replica that was faster).
 */
import type { AuditDraft } from '../audit/types';
import type { EffectDraft } from '../outbox/types';
import { updateCard } from './effect-drafts';
import type { Rollout } from './types';

export interface RolloutChange { next: Rollout; audit: AuditDraft[]; effects: EffectDraft[] }

export interface RolloutContext {
  now: Date;
  /** The environment's notification channels: they hear how a rollout ends or why it stopped. */
  notify: readonly string[];
}

export interface ChangeSpec {
  patch: Partial<Rollout>;
  /** Audit action (`rollout.paused`…); none for a change that only waits. */
  action?: string;
  actor?: string;
  summary?: string;
  detail?: Record<string, unknown>;
  effects?: (next: Rollout) => EffectDraft[];
}

/** Checks kept on the rollout (the card's chart and history); older ones stay in the audit log. */
export const MAX_CHECKS = 50;

export function change(prev: Rollout, ctx: RolloutContext, spec: ChangeSpec): RolloutChange {
  const next: Rollout = { ...prev, ...spec.patch, revision: prev.revision + 1, updatedAt: ctx.now.toISOString() };
  for (const key of Object.keys(spec.patch) as (keyof Rollout)[]) if (spec.patch[key] === undefined) delete next[key];
  const effects = [...(spec.effects?.(next) ?? []), updateCard(next)];
  const audit: AuditDraft[] = spec.action ? [{
    action: spec.action, actor: spec.actor ?? 'system', env: next.env, model: next.model, requestId: next.id,
    detail: compact({ summary: spec.summary, from: prev.status, to: next.status, step: next.steps[next.stepIndex], revision: next.revision, ...spec.detail }),
  }] : [];
  return { next, audit, effects };
}

/** Audit details are hashed as JSON: undefined values are left out so the stored form is the hashed form. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** `green 10%, blue 90%`. */
export function splitText(split: Record<string, number>): string {
  return Object.entries(split).map(([d, p]) => `${d} ${p}%`).join(', ');
}

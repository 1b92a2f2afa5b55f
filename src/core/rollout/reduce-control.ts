/**
 * What people do to a rollout (pause, resume, abort) and how a traffic change ends when Azure
 * refused it or when the canary is back at 0%. Each returns null when it does not apply now.
 */
import { backTraffic, notices, splitAt, stepTraffic } from './effect-drafts';
import { change, splitText, type RolloutChange, type RolloutContext } from './transition';
import type { Rollout, RolloutActor } from './types';
import { isActive } from './types';

const at = (r: Rollout): string => `${r.phase === 'shifting' && r.stepIndex > 0 ? r.steps[r.stepIndex - 1] : r.steps[r.stepIndex]}%`;

export function paused(r: Rollout, by: RolloutActor, ctx: RolloutContext): RolloutChange | null {
  if (r.status !== 'running') return null;
  const reason = `Paused by ${by.name}. Traffic stays as it is; resume to go on, or abort to set ${r.canary} back to 0%.`;
  return change(r, ctx, { patch: { status: 'paused', pauseReason: reason, nextCheckAt: undefined }, action: 'rollout.paused', actor: by.id, summary: reason });
}

/** Going on checks at once over the last interval (a pause skips no check); a step that failed is asked for again. */
export function resumed(r: Rollout, by: RolloutActor, ctx: RolloutContext): RolloutChange | null {
  if (r.status !== 'paused') return null;
  const retry = r.phase === 'shifting';
  return change(r, ctx, {
    patch: retry
      ? { status: 'running', pauseReason: undefined, stepTries: r.stepTries + 1, emptyChecks: 0 }
      : { status: 'running', pauseReason: undefined, nextCheckAt: ctx.now.toISOString(), emptyChecks: 0 },
    action: 'rollout.resumed', actor: by.id,
    summary: retry ? `resumed by ${by.name}: the change to ${r.steps[r.stepIndex]}% is asked for again` : `resumed by ${by.name}: checking now`,
    effects: (next) => (retry ? [stepTraffic(next)] : []),
  });
}

/** Sets the canary back to 0%; on a rollout whose setting back failed, asks for it again. */
export function aborted(r: Rollout, by: RolloutActor, ctx: RolloutContext): RolloutChange | null {
  if (!isActive(r)) {
    if (r.back?.state !== 'failed') return null;
    const tries = (r.backTries ?? 0) + 1;
    return change(r, ctx, {
      patch: { back: { state: 'pending' }, backTries: tries }, action: 'rollout.abort_retried', actor: by.id,
      summary: `${by.name} asked again to set ${r.canary} back to 0%`, effects: (next) => [backTraffic(next, tries)],
    });
  }
  const outcome = `Aborted by ${by.name} at ${at(r)}: ${r.canary} is set back to 0%, ${r.baseline} takes 100%.`;
  return change(r, ctx, {
    patch: { status: 'aborted', back: { state: 'pending' }, outcome, pauseReason: undefined, nextCheckAt: undefined, note: undefined },
    action: 'rollout.aborted', actor: by.id, summary: outcome,
    effects: (next) => [backTraffic(next), ...notices(next, ctx.notify, outcome, 'warning')],
  });
}

export function stepFailed(r: Rollout, stepIndex: number, error: string, ctx: RolloutContext): RolloutChange | null {
  if (!isActive(r) || r.phase !== 'shifting' || r.stepIndex !== stepIndex) return null;
  const reason = `The traffic change to ${r.steps[stepIndex]}% failed: ${error} Resume to try again, or abort to set ${r.canary} back to 0%.`;
  return change(r, ctx, {
    patch: { status: 'paused', pauseReason: reason, nextCheckAt: undefined },
    action: 'rollout.paused', summary: reason, detail: { error },
    effects: (next) => notices(next, ctx.notify, reason, 'attention'),
  });
}

export function backSettled(r: Rollout, result: { ok: true; traffic: Record<string, number> } | { ok: false; error: string }, ctx: RolloutContext): RolloutChange | null {
  if (r.back?.state !== 'pending') return null;
  if (result.ok) {
    return change(r, ctx, {
      patch: { back: { state: 'done' } }, action: 'rollout.traffic_restored',
      summary: `traffic of ${r.endpoint} is back: ${splitText(result.traffic)}`, detail: { traffic: result.traffic },
    });
  }
  const text = `Setting ${r.canary} back to 0% on ${r.endpoint} failed: ${result.error} Try again with: rollout abort ${r.id} (or set it by hand: traffic ${r.endpoint} ${r.env} ${r.baseline}=100 ${r.canary}=0)`;
  return change(r, ctx, {
    patch: { back: { state: 'failed', error: result.error } }, action: 'rollout.traffic_restore_failed', summary: text,
    effects: (next) => notices(next, ctx.notify, text, 'attention'),
  });
}

/** The split the canary had before the change in flight: what a check's window measured. */
export function splitNow(r: Rollout): Record<string, number> {
  return splitAt(r, r.phase === 'shifting' ? (r.stepIndex > 0 ? r.steps[r.stepIndex - 1] : 0) : r.steps[r.stepIndex]);
}

/** The canary's share of traffic now, as far as the rollout knows (for lists). */
export function canaryShare(r: Rollout): string {
  const now = splitNow(r)[r.canary] ?? 0;
  if (r.back?.state === 'done' || (r.back && now === 0)) return '0%';
  if (r.back) return `${now}% → 0%`;
  if (r.status === 'failed') return '—';
  return `${now}%`;
}

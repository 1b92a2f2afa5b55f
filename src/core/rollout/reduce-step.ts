/**
 * How a running rollout moves: started (the first step's traffic change is recorded), a step's
 * change confirmed by Azure (then it watches for one interval, or it is done at 100%), and the
 * check before the next step (go on, roll back, wait for figures, or stop).
 */
import type { CheckDecision } from './decide';
import { backTraffic, notices, postCard, splitAt, stepTraffic } from './effect-drafts';
import { intervalText } from './figures-text';
import { change, MAX_CHECKS, splitText, type RolloutChange, type RolloutContext } from './transition';
import type { Rollout, RolloutCheck } from './types';
import { isActive } from './types';

/** Checks in a row with nothing to judge before the rollout pauses and asks a person. */
export const MAX_EMPTY_CHECKS = 3;

export function started(r: Rollout, ctx: RolloutContext): RolloutChange {
  const channels = r.channel ? [r.channel] : ctx.notify.slice(0, 1);
  return {
    next: r,
    audit: [{
      action: 'rollout.started', actor: r.requester.id, env: r.env, model: r.model, requestId: r.id,
      detail: { summary: `${r.canary} v${r.version} on ${r.endpoint}: steps ${r.steps.join('/')}% every ${intervalText(r.everyMs)}`, steps: r.steps, everyMs: r.everyMs, canary: r.canary, baseline: r.baseline, ...r.thresholds },
    }],
    effects: [...channels.map((c) => postCard(r, c)), stepTraffic(r)],
  };
}

export function stepApplied(r: Rollout, stepIndex: number, ctx: RolloutContext): RolloutChange | null {
  if (!isActive(r) || r.phase !== 'shifting' || r.stepIndex !== stepIndex) return null;
  const percent = r.steps[stepIndex];
  const split = splitText(splitAt(r, percent));
  if (stepIndex === r.steps.length - 1) {
    const outcome = `${r.model} v${r.version} serves 100% of ${r.endpoint} in ${r.env} (${split}) after ${r.steps.length} steps; ${r.baseline} stays at 0% for a rollback.`;
    return change(r, ctx, {
      patch: { status: 'succeeded', phase: 'watching', stepAppliedAt: ctx.now.toISOString(), nextCheckAt: undefined, outcome, pauseReason: undefined, note: undefined },
      action: 'rollout.succeeded', summary: outcome, detail: { traffic: splitAt(r, percent) },
      effects: (next) => notices(next, ctx.notify, outcome, 'good'),
    });
  }
  return change(r, ctx, {
    patch: { phase: 'watching', stepAppliedAt: ctx.now.toISOString(), nextCheckAt: new Date(ctx.now.getTime() + r.everyMs).toISOString(), emptyChecks: 0 },
    action: 'rollout.step', summary: `traffic of ${r.endpoint} is now ${split}`, detail: { traffic: splitAt(r, percent), lastCheck: r.checks.at(-1) },
  });
}

export interface CheckRead extends CheckDecision {
  windowFrom: Date;
  /** Set when a freeze holds the next step (a breach still rolls back). */
  frozen?: string;
}

export function checked(r: Rollout, read: CheckRead, ctx: RolloutContext): RolloutChange | null {
  if (r.status !== 'running' || r.phase !== 'watching') return null;
  const verdict = read.verdict === 'pass' && read.frozen ? 'held' : read.verdict;
  const reasons = verdict === 'held' ? [read.frozen!] : read.reasons;
  const check: RolloutCheck = {
    at: ctx.now.toISOString(), percent: r.steps[r.stepIndex], windowFrom: read.windowFrom.toISOString(),
    canary: read.canary, baseline: read.baseline, verdict, reasons,
  };
  const checks = [...r.checks, check].slice(-MAX_CHECKS);
  const later = new Date(ctx.now.getTime() + r.everyMs).toISOString();
  const at = `${r.steps[r.stepIndex]}%`;
  switch (verdict) {
    case 'pass': {
      const next = { stepIndex: r.stepIndex + 1, phase: 'shifting' as const, stepTries: 0, checks, emptyChecks: 0, nextCheckAt: undefined, note: undefined };
      return change(r, ctx, { patch: next, effects: (n) => [stepTraffic(n)] });
    }
    case 'held':
      return change(r, ctx, { patch: { checks, nextCheckAt: later, note: read.frozen } });
    case 'breach': {
      const outcome = `Rolled back at ${at}: ${reasons.join('; ')}. ${r.canary} is set back to 0%, ${r.baseline} takes 100%.`;
      return change(r, ctx, {
        patch: { status: 'rolled_back', checks, back: { state: 'pending' }, outcome, nextCheckAt: undefined, note: undefined },
        action: 'rollout.rolled_back', summary: outcome, detail: { canary: read.canary, baseline: read.baseline, thresholds: r.thresholds },
        effects: (n) => [backTraffic(n), ...notices(n, ctx.notify, outcome, 'attention')],
      });
    }
    case 'changed':
    case 'gone': {
      const outcome = `Stopped at ${at}: ${reasons.join('; ')}. The bot changed no traffic; see what serves with: traffic ${r.endpoint} ${r.env}`;
      return change(r, ctx, {
        patch: { status: 'failed', checks, outcome, nextCheckAt: undefined },
        action: 'rollout.failed', summary: outcome,
        effects: (n) => notices(n, ctx.notify, outcome, 'attention'),
      });
    }
    case 'no_data': {
      const empty = r.emptyChecks + 1;
      if (empty < MAX_EMPTY_CHECKS) return change(r, ctx, { patch: { checks, emptyChecks: empty, nextCheckAt: later } });
      const reason = `No figures to judge by in ${empty} checks in a row (${reasons.join('; ')}). Traffic stays at ${at}. Resume to check again, or abort to set ${r.canary} back to 0%.`;
      return change(r, ctx, {
        patch: { status: 'paused', checks, emptyChecks: empty, nextCheckAt: undefined, pauseReason: reason },
        action: 'rollout.paused', summary: reason,
        effects: (n) => notices(n, ctx.notify, reason, 'warning'),
      });
    }
  }
}

/**
 * Creates rollback requests (DESIGN 9.3). A rollback is a request of the promotion lifecycle with a
 * rollback plan: the same store, approvals, expiry, audit trail and card updates; its own policy
 * (src/core/rollback/policy.ts) and, for a traffic switch, its own last step (`switch_traffic`).
 * Decisions, cancels and the release path then go through the PromotionService as for any request.
 */
import { objectIdOf } from '../person';
import { mayRequest } from '../access';
import { recordAudit } from '../audit/record';
import { isBotError } from '../errors';
import type { Caller } from '../identity';
import type { Clock, Directory, Logger } from '../ports';
import { effectsToRecord } from '../promotion/commit-effects';
import { isRefused, refuse, type Refusal } from '../promotion/events';
import { resolveTargetEnv } from '../promotion/plan';
import { reduce } from '../promotion/reducer';
import { newRequestId, type PromotionResult } from '../promotion/service';
import { OPEN_STATES, type PromotionRequest } from '../promotion/types';
import { checkFreeze } from '../policy/freeze-check';
import { currentFreeze } from '../policy/freezes';
import { planRollback, type RollbackDeps } from './plan';
import { rollbackEnv } from './policy';

export interface RollbackServiceDeps extends RollbackDeps {
  directory: Directory;
  clock: Clock;
  log?: Logger;
  newId?: () => string;
}

export interface RollbackInput {
  caller: Caller;
  model: string;
  env: string;
  to?: string;
  reason?: string;
  channel?: string;
  correlationId?: string;
}

export class RollbackService {
  constructor(private readonly deps: RollbackServiceDeps) {}

  async request(input: RollbackInput): Promise<PromotionResult> {
    const { store, settings, directory, clock } = this.deps;
    const env = resolveTargetEnv(settings, input.env);
    const ctx = { env: env.name, model: input.model, correlationId: input.correlationId };
    if (!(await mayRequest(input.caller, env, directory))) {
      return this.refused(refuse('not_requester_allowed', `${input.caller.displayName} may not request changes to ${env.name}.`, `Ask one of the ${env.name} requesters or an admin.`).refused, input.caller, ctx);
    }
    const open = await this.openRollback(env.name, input.model);
    if (open) return this.duplicate(open, input.caller, ctx);
    const [planned, freeze] = await Promise.all([
      planRollback(this.deps, { model: input.model, env, to: input.to }),
      currentFreeze(this.deps, env.name, clock.now()),
    ]);
    // A freeze never stops a rollback; the card says it was asked for during one.
    const verdict = checkFreeze('rollback', freeze);
    if (verdict.allowed && verdict.note) planned.plan.freezeNote = verdict.note;
    const draft = {
      id: (this.deps.newId ?? newRequestId)(),
      model: planned.model, version: planned.version, sourceEnv: settings.source, targetEnv: env.name,
      requester: {
        id: input.caller.id, name: input.caller.displayName, ...(input.caller.email ? { email: input.caller.email.toLowerCase() } : {}),
        ...(objectIdOf(input.caller) ? { objectId: objectIdOf(input.caller) } : {}),
      },
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.channel ? { requesterChannel: input.channel } : {}),
      rollback: planned.plan,
    };
    const result = reduce(null, { type: 'create', draft, order: { allowed: true, reason: 'rollbacks skip the promotion order' } }, { env: rollbackEnv(env, planned.plan), now: clock.now() });
    if (isRefused(result)) return this.refused(result.refused, input.caller, ctx);
    const audit = input.correlationId ? result.audit.map((a) => ({ ...a, correlationId: input.correlationId })) : result.audit;
    try {
      await store.createRequest(result.request, audit, effectsToRecord(settings, null, result.request, result.effects, audit));
    } catch (e) {
      const winner = isBotError(e) && e.code === 'conflict' ? await this.openRollback(env.name, input.model, planned.version) : undefined;
      if (!winner) throw e;
      return this.duplicate(winner, input.caller, ctx);
    }
    this.deps.log?.info({ requestId: draft.id, mode: planned.plan.mode, state: result.request.state }, 'rollback requested');
    return { ok: true, request: result.request, changed: true };
  }

  /** One open rollback per model and environment (and, as for promotions, per version). */
  private async openRollback(env: string, model: string, version?: string): Promise<PromotionRequest | undefined> {
    const open = await this.deps.store.listRequests({ states: [...OPEN_STATES], env, model });
    return open.find((r) => r.rollback !== undefined || r.version === version);
  }

  private duplicate(open: PromotionRequest, caller: Caller, ctx: { env: string; model: string; correlationId?: string }): Promise<PromotionResult> {
    const what = open.rollback ? 'rolling back' : 'promoting';
    const r = refuse('duplicate_request', `${open.id} is already ${what} ${open.model} to v${open.version} in ${open.targetEnv}.`, `Approve or cancel ${open.id} first; follow it with: requests --env ${open.targetEnv}`);
    return this.refused(r.refused, caller, { ...ctx, requestId: open.id }, open);
  }

  private async refused(refusal: Refusal, caller: Caller, ctx: { env: string; model: string; requestId?: string; correlationId?: string }, request?: PromotionRequest): Promise<PromotionResult> {
    await recordAudit(this.deps.store, this.deps.settings, [{
      action: 'rollback.refused', actor: caller.id, env: ctx.env, model: ctx.model,
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      detail: { reason: refusal.reason, message: refusal.message },
      ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}),
    }]);
    return { ok: false, refusal, ...(request ? { request } : {}) };
  }
}

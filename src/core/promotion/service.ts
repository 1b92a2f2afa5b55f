/**
 * Orchestrates the promotion lifecycle over the ports: load, reduce, commit atomically (request +
 * audit + effects), retrying the reduce on an optimistic-concurrency conflict. Refusals are audited
 * and returned, never thrown; unknown models, versions, environments and requests throw BotErrors.
 */
import { isAdmin, isApprover, mayRequest } from '../access';
import { recordAudit } from '../audit/record';
import type { AuditDraft } from '../audit/types';
import { BotError, isBotError } from '../errors';
import type { Caller } from '../identity';
import type { ReleaseRef, ReleaseStatus } from '../models';
import type { Clock, Directory, Logger, ModelRegistry, Serving, Store } from '../ports';
import type { BotSettings, EnvironmentSettings } from '../settings';
import { findEnvironment } from '../settings';
import { envForRequest } from '../policy/escalation';
import { currentFreeze } from '../policy/freezes';
import { watchFreezes } from '../policy/freeze-watch';
import { effectivePolicy, ruleLabel } from '../policy/model-policy';
import { approverFacts, objectIdOf } from '../person';
import { rollbackEnv } from '../rollback/policy';
import { trafficEnv } from '../traffic/policy';
import { effectsToRecord } from './commit-effects';
import { checkBeforePlan, escalationOf, isEscalationRefusal } from './escalate';
import type { PromotionEvent, Refusal } from './events';
import { isRefused, refuse } from './events';
import { planPromotion, resolveTargetEnv } from './plan';
import { stallText } from './reduce-stall';
import { reduce } from './reducer';
import { newRequestId } from './request-id';
import { OPEN_STATES, type AdoRefusal, type PromotionRequest } from './types';

export interface PromotionServiceDeps {
  store: Store;
  registry: ModelRegistry;
  /** What serves: the guard's baseline and rollbacks read it; absent, the history stands in. */
  serving?: Serving;
  directory: Directory;
  clock: Clock;
  settings: BotSettings;
  log?: Logger;
  /** Request id generator (tests make it deterministic). */
  newId?: () => string;
  /** Reduce attempts after a concurrency conflict before giving up (default 5). */
  maxRetries?: number;
}

export type PromotionResult =
  | { ok: true; request: PromotionRequest; changed: boolean; dryRun?: boolean }
  | { ok: false; refusal: Refusal; request?: PromotionRequest };

export interface PromoteInput {
  caller: Caller;
  model: string;
  env: string;
  version?: string;
  reason?: string;
  dryRun?: boolean;
  /** Promote during a freeze: one approval more (DESIGN §9.5). */
  breakGlass?: boolean;
  /** Send a guard-failing version to approval: one approval more. */
  overrideGuard?: boolean;
  /** Conversation where it was typed; the requester's notices go there. */
  channel?: string;
  correlationId?: string;
  /** Derived from the invocation (request-id.ts): a replay of the same command returns its request. */
  requestId?: string;
}

export { newRequestId } from './request-id';

export class PromotionService {
  constructor(private readonly deps: PromotionServiceDeps) {}

  async requestPromotion(input: PromoteInput): Promise<PromotionResult> {
    const { store, settings, directory, clock } = this.deps;
    const env = resolveTargetEnv(settings, input.env);
    const attempted = { attempted: 'promote', model: input.model, env: env.name, correlationId: input.correlationId };
    if (!(await mayRequest(input.caller, env, directory))) {
      const r = refuse('not_requester_allowed', `${input.caller.displayName} may not request promotions to ${env.name}.`, `Ask one of the ${env.name} requesters or an admin.`);
      return this.refused(r.refused, input.caller, attempted, input.dryRun === true);
    }
    const freeze = await currentFreeze(this.deps, env.name, clock.now());
    const ask = { breakGlass: input.breakGlass, overrideGuard: input.overrideGuard, reason: input.reason, model: input.model, env: env.name };
    const early = checkBeforePlan(ask, freeze);
    if (early) return this.refused(early, input.caller, attempted, input.dryRun === true);
    const plan = await planPromotion(this.deps, { model: input.model, env, version: input.version });
    const replayed = input.requestId && !input.dryRun ? await store.getRequest(input.requestId) : null;
    if (replayed && replayed.requester.id === input.caller.id && replayed.model === plan.model && replayed.targetEnv === env.name) {
      return { ok: true, request: replayed, changed: false };
    }
    if (plan.baselineVersion === plan.version) {
      const r = refuse('already_serving', `${plan.model} v${plan.version} already runs in ${env.name}; nothing to promote.`,
        `To roll out another version, name it with --version; \`model ${plan.model}\` shows where each one runs.`);
      return this.refused(r.refused, input.caller, attempted, input.dryRun === true);
    }
    const escalation = escalationOf(ask, freeze, plan.guard);
    if (isEscalationRefusal(escalation)) return this.refused(escalation, input.caller, attempted, input.dryRun === true);
    const open = await this.openRequest(env.name, plan.model, plan.version);
    if (open) return this.duplicate(open, input.caller, attempted, input.dryRun === true);
    const draft = {
      ...(plan.policy.rule ? { rule: ruleLabel(plan.policy.rule) } : {}),
      ...(escalation.breakGlass || escalation.overrideGuard ? { escalation } : {}),
      // A derived id already taken by someone else's request (a collision) falls back to a random one.
      id: input.requestId && !replayed ? input.requestId : (this.deps.newId ?? newRequestId)(),
      model: plan.model, version: plan.version, sourceEnv: plan.sourceEnv, targetEnv: plan.targetEnv,
      requester: { id: input.caller.id, name: input.caller.displayName, ...withEmail(await this.emailOf(input.caller)), ...withObjectId(objectIdOf(input.caller)) },
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.channel ? { requesterChannel: input.channel } : {}),
    };
    const lifecycleEnv = envForRequest(settings, env, draft.escalation);
    const result = reduce(null, { type: 'create', draft, guard: plan.guard, order: plan.order }, { env: lifecycleEnv, now: clock.now(), ...(freeze ? { freeze } : {}) });
    if (isRefused(result)) return this.refused(result.refused, input.caller, attempted, input.dryRun === true);
    if (input.dryRun) return { ok: true, request: result.request, changed: false, dryRun: true };
    const audit = withCorrelation(result.audit, input.correlationId);
    try {
      await store.createRequest(result.request, audit, effectsToRecord(settings, null, result.request, result.effects, audit));
    } catch (e) {
      // Someone else's request for the same version got in between the check and the insert.
      const winner = isBotError(e) && e.code === 'conflict' ? await this.openRequest(env.name, plan.model, plan.version) : undefined;
      if (!winner) throw e;
      return this.duplicate(winner, input.caller, attempted, false);
    }
    this.deps.log?.info({ requestId: draft.id, state: result.request.state }, 'promotion requested');
    return { ok: true, request: result.request, changed: true };
  }

  async decide(input: { caller: Caller; requestId: string; decision: 'approve' | 'reject'; comment?: string; correlationId?: string }): Promise<PromotionResult> {
    const { caller } = input;
    const first = await this.get(input.requestId);
    const approver = await isApprover(caller, this.envOf(first), this.deps.directory);
    const who = { by: caller.id, name: caller.displayName, isApprover: approver, ...withEmail(approver ? await this.emailOf(caller) : undefined) };
    const person = approverFacts(caller, effectivePolicy(this.deps.settings, first.model, this.envOf(first)).asApprover);
    const event: PromotionEvent = input.decision === 'approve'
      ? { type: 'approve', ...who, ...person, ...(input.comment ? { comment: input.comment } : {}) }
      : { type: 'reject', ...who, reason: input.comment ?? '' };
    return this.transact(first, event, { caller, attempted: input.decision, correlationId: input.correlationId });
  }

  async cancel(input: { caller: Caller; requestId: string; correlationId?: string }): Promise<PromotionResult> {
    const first = await this.get(input.requestId);
    const admin = await isAdmin(input.caller, this.deps.settings, this.deps.directory);
    const event: PromotionEvent = { type: 'cancel', by: input.caller.id, name: input.caller.displayName, isAdmin: admin };
    return this.transact(first, event, { caller: input.caller, attempted: 'cancel', correlationId: input.correlationId });
  }

  async onReleaseStarted(requestId: string, ref: ReleaseRef): Promise<PromotionResult> {
    return this.transact(await this.get(requestId), { type: 'release_started', ref });
  }

  async onReleaseStatus(requestId: string, status: ReleaseStatus): Promise<PromotionResult> {
    return this.transact(await this.get(requestId), { type: 'release_status', status });
  }

  /** Azure DevOps refused the person whose approval was passed on with their own token (DESIGN 9.6). */
  async onAdoRefused(requestId: string, refusal: { by: string; reason: AdoRefusal['reason']; detail: string }): Promise<PromotionResult> {
    return this.transact(await this.get(requestId), { type: 'ado_refused', ...refusal });
  }

  /** The outbox gave up on one of the request's steps: the request shows it until someone retries. */
  async onEffectDead(requestId: string, step: string, error: string, failedForMs: number): Promise<PromotionResult | undefined> {
    const r = await this.deps.store.getRequest(requestId);
    if (!r) return undefined;
    return this.transact(r, { type: 'stalled', step, error, failedForMs });
  }

  /**
   * `retry <id>` / the Retry button (approvers and admins): the request's dead steps become due
   * again with a fresh deadline. Dead steps without a stall shown (a crash between the two) are
   * revived too, so a retry always gets things moving.
   */
  async retry(input: { caller: Caller; requestId: string; correlationId?: string }): Promise<PromotionResult & { revived?: number }> {
    const { store, directory, clock } = this.deps;
    const first = await this.get(input.requestId);
    const env = this.envOf(first);
    const allowed = (await isApprover(input.caller, env, directory)) || (await isAdmin(input.caller, this.deps.settings, directory));
    const dead = await store.listEffects({ status: 'dead', keyPrefix: `${first.id}:` });
    const who = { caller: input.caller, attempted: 'retry', correlationId: input.correlationId };
    let result: PromotionResult = { ok: true, request: first, changed: false };
    if (first.stall || dead.length === 0 || !allowed) {
      result = await this.transact(first, { type: 'retry', by: input.caller.id, name: input.caller.displayName, allowed }, who);
      if (!result.ok) return result;
    }
    let revived = 0;
    for (const e of dead) if (await store.reviveEffect(e.id, clock.now())) revived++;
    this.deps.log?.info({ requestId: first.id, revived }, 'stalled steps retried');
    return { ...result, revived };
  }

  /** A traffic rollback's switch confirmed by Azure, or given up (src/core/rollback). */
  async onTrafficSwitched(requestId: string, endpoint: string, traffic: Record<string, number>, mirror?: Record<string, number>): Promise<PromotionResult> {
    return this.transact(await this.get(requestId), { type: 'traffic_switched', endpoint, traffic, ...(mirror ? { mirror } : {}) });
  }

  async onTrafficFailed(requestId: string, error: string): Promise<PromotionResult> {
    return this.transact(await this.get(requestId), { type: 'traffic_failed', error });
  }

  /** Expiries and reminders of waiting requests; returns how many requests changed. */
  async tick(): Promise<number> {
    let changed = 0;
    await watchFreezes(this.deps).catch((e: unknown) => this.deps.log?.warn({ err: (e as Error).message }, 'freeze watch failed'));
    // Approved requests are here for the ones a freeze holds back.
    for (const r of await this.deps.store.listRequests({ states: ['awaiting_approval', 'approved'] })) {
      try {
        const res = await this.transact(r, { type: 'tick' });
        if (res.ok && res.changed) changed++;
      } catch (e) {
        this.deps.log?.warn({ requestId: r.id, err: (e as Error).message }, 'promotion tick failed');
      }
    }
    return changed;
  }

  async get(requestId: string): Promise<PromotionRequest> {
    const r = await this.deps.store.getRequest(requestId.trim().toUpperCase());
    if (!r) {
      throw new BotError('unknown_request', `There is no promotion request ${requestId}.`, { remedy: 'List them with: requests' });
    }
    return r;
  }

  envOf(r: PromotionRequest): EnvironmentSettings {
    const env = findEnvironment(this.deps.settings, r.targetEnv);
    if (!env) throw new BotError('config_invalid', `${r.id} targets ${r.targetEnv}, which is no longer configured.`, { remedy: `Add ${r.targetEnv} back to the configuration, or leave the request as it is.` });
    // Break glass and overrides bring their own approval policy where the environment has none; rollbacks their own.
    const base = envForRequest(this.deps.settings, env, r.escalation);
    if (r.traffic) return trafficEnv(base);
    return r.rollback ? rollbackEnv(base, r.rollback) : base;
  }

  /** The caller's email, from the surface or the directory; unknown when the lookup fails. */
  private async emailOf(caller: Caller): Promise<string | undefined> {
    if (caller.email) return caller.email.toLowerCase();
    try {
      return (await this.deps.directory.emailOf(caller.id))?.toLowerCase();
    } catch {
      return undefined;
    }
  }

  private async transact(
    first: PromotionRequest, event: PromotionEvent, who?: { caller: Caller; attempted: string; correlationId?: string },
  ): Promise<PromotionResult> {
    const { store, clock } = this.deps;
    const attempts = (this.deps.maxRetries ?? 5) + 1;
    let current = first;
    const now = clock.now();
    const freeze = await currentFreeze(this.deps, first.targetEnv, now);
    for (let i = 0; i < attempts; i++) {
      const result = reduce(current, event, { env: this.envOf(current), now, ...(freeze ? { freeze } : {}) });
      if (isRefused(result)) {
        if (!who) throw new BotError('internal', `${event.type} was refused for ${current.id}: ${result.refused.message}`);
        const ctx = { attempted: who.attempted, env: current.targetEnv, model: current.model, requestId: current.id, correlationId: who.correlationId };
        return this.refused(result.refused, who.caller, ctx, false, current);
      }
      if (result.request === current) return { ok: true, request: current, changed: false };
      const audit = withCorrelation(result.audit, who?.correlationId);
      const effects = effectsToRecord(this.deps.settings, current, result.request, result.effects, audit);
      const outcome = await store.commitTransition(result.request, audit, effects);
      if (outcome === 'ok' && result.refusal && who) {
        // The event changed the request (a late decision expired it) and is itself refused.
        const ctx = { attempted: who.attempted, env: current.targetEnv, model: current.model, requestId: current.id, correlationId: who.correlationId };
        return this.refused(result.refusal, who.caller, ctx, false, result.request);
      }
      if (outcome === 'ok') return { ok: true, request: result.request, changed: true };
      this.deps.log?.debug({ requestId: current.id, event: event.type, attempt: i + 1 }, 'promotion conflict, retrying');
      current = await this.get(current.id);
    }
    throw new BotError('conflict', `${first.id} kept changing while this was being applied.`, { remedy: 'Try again in a moment.' });
  }

  private async openRequest(env: string, model: string, version: string): Promise<PromotionRequest | undefined> {
    return (await this.deps.store.listRequests({ states: [...OPEN_STATES], env, model })).find((r) => r.version === version);
  }

  private duplicate(open: PromotionRequest, caller: Caller, attempted: { attempted: string; env: string; model: string; correlationId?: string }, dryRun: boolean): Promise<PromotionResult> {
    const stuck = open.stall ? ` It is stuck (${stallText(open)}).` : '';
    const remedy = open.stall ? `An approver or an admin can retry it: retry ${open.id}` : `Follow it with: requests --env ${open.targetEnv}`;
    const r = refuse('duplicate_request', `${open.id} is already promoting ${open.model} v${open.version} to ${open.targetEnv}.${stuck}`, remedy);
    return this.refused(r.refused, caller, { ...attempted, requestId: open.id }, dryRun, open);
  }

  private async refused(
    refusal: Refusal, caller: Caller,
    ctx: { attempted: string; env?: string; model?: string; requestId?: string; correlationId?: string },
    dryRun: boolean, request?: PromotionRequest,
  ): Promise<PromotionResult> {
    if (!dryRun) {
      const draft: AuditDraft = {
        action: 'promotion.refused', actor: caller.id,
        ...(ctx.env ? { env: ctx.env } : {}), ...(ctx.model ? { model: ctx.model } : {}), ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
        detail: { attempted: ctx.attempted, reason: refusal.reason, message: refusal.message },
        ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}),
      };
      await recordAudit(this.deps.store, this.deps.settings, [draft], this.deps.clock.now());
    }
    return { ok: false, refusal, ...(request ? { request } : {}) };
  }
}

function withEmail(email: string | undefined): { email?: string } {
  return email ? { email } : {};
}

function withObjectId(objectId: string | undefined): { objectId?: string } {
  return objectId ? { objectId } : {};
}

function withCorrelation(audit: AuditDraft[], correlationId?: string): AuditDraft[] {
  return correlationId ? audit.map((a) => ({ ...a, correlationId })) : audit;
}

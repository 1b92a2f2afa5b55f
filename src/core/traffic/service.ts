/**
 * Creates traffic change requests (DESIGN 9.4). A traffic change is a request of the promotion
 * lifecycle with a traffic plan, like a rollback: the same store, approvals, expiry, audit trail,
 * cards and notifications, and the same last step (`switch_traffic`, once per request). Everything
 * is checked before anyone is asked: access, freeze, the endpoint, its deployments and the split.
 */
import { mayRequest } from '../access';
import { recordAudit } from '../audit/record';
import { BotError, isBotError } from '../errors';
import type { Caller } from '../identity';
import type { Clock, Directory, Logger, Serving, Store } from '../ports';
import { effectsToRecord } from '../promotion/commit-effects';
import { isRefused, refuse, type Refusal } from '../promotion/events';
import { reduce } from '../promotion/reducer';
import { newRequestId, type PromotionResult } from '../promotion/service';
import { OPEN_STATES, type PromotionRequest } from '../promotion/types';
import { checkFreeze } from '../policy/freeze-check';
import { currentFreeze } from '../policy/freezes';
import { ACTIVE_ROLLOUT_STATUSES } from '../rollout/types';
import { requireServing } from '../serving/lookup';
import { findEnvironment, type BotSettings, type EnvironmentSettings } from '../settings';
import { trafficEnv } from './policy';
import { modelLabel, readEndpoint } from './read';
import { nextSplit, sameSplit, splitText } from './split';
import { TRAFFIC_VERSION, type TrafficPlan } from './types';

export interface TrafficServiceDeps {
  store: Store;
  serving?: Serving;
  directory: Directory;
  clock: Clock;
  settings: BotSettings;
  log?: Logger;
  newId?: () => string;
}

export interface TrafficInput {
  caller: Caller;
  endpoint: string;
  env: string;
  live?: Record<string, number>;
  mirror?: Record<string, number>;
  reason?: string;
  channel?: string;
  correlationId?: string;
}

export function environmentOf(settings: BotSettings, name: string): EnvironmentSettings {
  const env = findEnvironment(settings, name);
  if (env) return env;
  throw new BotError('unknown_env', `There is no environment "${name}".`, { remedy: `Use one of: ${settings.environments.map((e) => e.name).join(', ')}.` });
}

export class TrafficService {
  constructor(private readonly deps: TrafficServiceDeps) {}

  async request(input: TrafficInput): Promise<PromotionResult> {
    const { store, settings, clock } = this.deps;
    const env = environmentOf(settings, input.env);
    const ctx = { env: env.name, endpoint: input.endpoint, correlationId: input.correlationId };
    if (!(await mayRequest(input.caller, env, this.deps.directory))) {
      return this.refused(refuse('not_requester_allowed', `${input.caller.displayName} may not request changes to ${env.name}.`, `Ask one of the ${env.name} requesters or an admin.`).refused, input.caller, ctx);
    }
    const [read, freeze, open, rollouts] = await Promise.all([
      readEndpoint(requireServing(this.deps.serving), env.name, input.endpoint),
      currentFreeze(this.deps, env.name, clock.now()),
      this.openChange(env.name, input.endpoint),
      store.listRollouts({ statuses: [...ACTIVE_ROLLOUT_STATUSES], env: env.name, limit: 100 }),
    ]);
    const verdict = checkFreeze('traffic', freeze);
    if (!verdict.allowed) return this.refused(refuse('frozen', verdict.message, verdict.remedy).refused, input.caller, ctx);
    const endpoint = read.endpoint.name;
    if (open) return this.duplicate(open, input.caller, ctx);
    // A hand-made split would fight a rollout that moves this endpoint's traffic step by step.
    const busy = rollouts.rollouts.find((r) => r.endpoint.toLowerCase() === endpoint.toLowerCase());
    if (busy) {
      throw new BotError('conflict', `Rollout ${busy.id} (${busy.model} v${busy.version}) is ${busy.status} on ${endpoint} in ${env.name}: a traffic change would fight it.`, {
        remedy: `Let it finish, or end it first with: rollout abort ${busy.id}`,
      });
    }
    const before = { traffic: read.endpoint.traffic, mirror: read.endpoint.mirrorTraffic };
    const { after, droppedMirror } = nextSplit({ endpoint, env: env.name, deployments: read.deployments.map((d) => d.name), current: before, live: input.live, mirror: input.mirror });
    if (sameSplit(before, after)) {
      throw new BotError('already_exists', `${endpoint} in ${env.name} already serves ${splitText(before)}.`, { remedy: 'Nothing to change.' });
    }
    const plan: TrafficPlan = {
      endpoint, before, after, mirrorGiven: input.mirror !== undefined,
      deploymentModels: Object.fromEntries(read.deployments.map((d) => [d.name, modelLabel(d)])),
      ...(droppedMirror ? { droppedMirror } : {}),
    };
    const draft = {
      id: (this.deps.newId ?? newRequestId)(),
      model: endpoint, version: TRAFFIC_VERSION, sourceEnv: env.name, targetEnv: env.name,
      requester: { id: input.caller.id, name: input.caller.displayName, ...(input.caller.email ? { email: input.caller.email.toLowerCase() } : {}) },
      ...(input.reason ? { reason: input.reason } : {}),
      ...(input.channel ? { requesterChannel: input.channel } : {}),
      traffic: plan,
    };
    const result = reduce(null, { type: 'create', draft, order: { allowed: true, reason: 'traffic changes skip the promotion order' } }, { env: trafficEnv(env), now: clock.now() });
    if (isRefused(result)) return this.refused(result.refused, input.caller, ctx);
    const audit = input.correlationId ? result.audit.map((a) => ({ ...a, correlationId: input.correlationId })) : result.audit;
    try {
      await store.createRequest(result.request, audit, effectsToRecord(settings, null, result.request, result.effects, audit));
    } catch (e) {
      const winner = isBotError(e) && e.code === 'conflict' ? await this.openChange(env.name, endpoint) : undefined;
      if (!winner) throw e;
      return this.duplicate(winner, input.caller, ctx);
    }
    this.deps.log?.info({ requestId: draft.id, endpoint, state: result.request.state }, 'traffic change requested');
    return { ok: true, request: result.request, changed: true };
  }

  /** One open traffic change per endpoint and environment (the open-request index holds it too). */
  private async openChange(env: string, endpoint: string): Promise<PromotionRequest | undefined> {
    const open = await this.deps.store.listRequests({ states: [...OPEN_STATES], env });
    return open.find((r) => r.traffic !== undefined && r.traffic.endpoint.toLowerCase() === endpoint.toLowerCase());
  }

  private duplicate(open: PromotionRequest, caller: Caller, ctx: { env: string; endpoint: string; correlationId?: string }): Promise<PromotionResult> {
    const r = refuse('duplicate_request', `${open.id} is already changing the traffic of ${open.traffic?.endpoint ?? ctx.endpoint} in ${open.targetEnv}.`, `Approve or cancel ${open.id} first; follow it with: requests --env ${open.targetEnv}`);
    return this.refused(r.refused, caller, { ...ctx, requestId: open.id }, open);
  }

  private async refused(refusal: Refusal, caller: Caller, ctx: { env: string; endpoint: string; requestId?: string; correlationId?: string }, request?: PromotionRequest): Promise<PromotionResult> {
    await recordAudit(this.deps.store, this.deps.settings, [{
      action: 'traffic.refused', actor: caller.id, env: ctx.env, model: ctx.endpoint,
      ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      detail: { reason: refusal.reason, message: refusal.message },
      ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}),
    }]);
    return { ok: false, refusal, ...(request ? { request } : {}) };
  }
}

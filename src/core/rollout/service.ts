/**
 * Starting and steering rollouts (DESIGN 9.4). Every precondition is checked before anything is
 * stored — the model's online endpoint, a canary at 0% and a baseline at 100%, no freeze, no other
 * active rollout on the endpoint, who may — and a refusal is audited and changes nothing else.
 */
import { recordAudit } from '../audit/record';
import { BotError, isBotError } from '../errors';
import type { Caller } from '../identity';
import type { Directory, Serving } from '../ports';
import { checkFreeze } from '../policy/freeze-check';
import { currentFreeze } from '../policy/freezes';
import { findEnvironment, type EnvironmentSettings } from '../settings';
import { mayDriveRollout, mayStopRollout, whoMayDrive } from './access';
import type { RolloutEngine } from './engine';
import { newRolloutId, rolloutIdFor } from './id';
import { parseEvery, parseSteps, readRolloutPlan, rolloutTarget } from './plan';
import { aborted, paused, resumed } from './reduce-control';
import { started } from './reduce-step';
import { ACTIVE_ROLLOUT_STATUSES, type Rollout, type RolloutActor } from './types';

export interface RolloutServiceDeps {
  engine: RolloutEngine;
  serving?: Serving;
  directory: Directory;
}

export interface StartRolloutInput {
  caller: Caller;
  model: string;
  env: string;
  steps?: string;
  every?: string;
  channel?: string;
  correlationId?: string;
  idempotencyKey?: string;
}

export type ControlVerb = 'pause' | 'resume' | 'abort';

export class RolloutService {
  constructor(private readonly deps: RolloutServiceDeps) {}

  private get core() { return this.deps.engine.deps; }

  async start(input: StartRolloutInput): Promise<{ rollout: Rollout; created: boolean }> {
    const { settings, store, clock } = this.core;
    const env = findEnvironment(settings, input.env);
    if (!env) throw new BotError('unknown_env', `There is no environment "${input.env}".`, { remedy: `Environments: ${settings.environments.map((e) => e.name).join(', ')}.` });
    const id = input.idempotencyKey ? rolloutIdFor(input.idempotencyKey) : newRolloutId();
    const replayed = input.idempotencyKey ? await store.getRollout(id) : null;
    if (replayed) return { rollout: replayed, created: false };
    const overrides = { ...(input.steps ? { steps: parseSteps(input.steps) } : {}), ...(input.every ? { everyMs: parseEvery(input.every) } : {}) };
    const target = rolloutTarget(settings, input.model, env, overrides);
    if (!(await mayDriveRollout(input.caller, env, settings, this.deps.directory))) {
      await this.refused(input.caller, env, input.model, 'forbidden', `${input.caller.displayName} may not start a rollout in ${env.name}.`, input.correlationId);
      throw new BotError('forbidden', `${input.caller.displayName} may not start a rollout in ${env.name}.`, { remedy: `Rollouts in ${env.name} are started by ${whoMayDrive(env)}.` });
    }
    if (!this.deps.serving) throw new BotError('config_invalid', 'Serving is not set up in this installation.', { remedy: 'Ask the bot operator to configure Azure ML serving.' });
    const now = clock.now();
    const [plan, freeze, active] = await Promise.all([
      readRolloutPlan(this.deps.serving, input.model, env.name, target),
      currentFreeze(this.core, env.name, now),
      store.listRollouts({ statuses: ACTIVE_ROLLOUT_STATUSES, env: env.name, limit: 100 }),
    ]);
    const verdict = checkFreeze('rollout', freeze);
    if (!verdict.allowed) {
      await this.refused(input.caller, env, input.model, 'frozen', verdict.message, input.correlationId);
      throw new BotError('invalid_state', verdict.message, { remedy: `Wait until the freeze ends. A rollback is allowed: rollback ${input.model} ${env.name}` });
    }
    const busy = active.rollouts.find((r) => r.endpoint.toLowerCase() === plan.endpoint.toLowerCase());
    if (busy) throw busyError(busy);
    const t = plan.settings;
    const rollout: Rollout = {
      id, revision: 1, status: 'running', model: plan.canary.model.name, version: plan.canary.model.version, env: env.name, endpoint: plan.endpoint,
      canary: plan.canary.name, baseline: plan.baseline.name, ...(plan.baseline.model ? { baselineVersion: plan.baseline.model.version } : {}),
      steps: t.steps, stepIndex: 0, phase: 'shifting', stepTries: 0, everyMs: t.everyMs,
      thresholds: { maxErrorRate: t.maxErrorRate, maxLatencyIncrease: t.maxLatencyIncrease }, policySource: plan.policySource, others: plan.others,
      emptyChecks: 0, checks: [], requester: { id: input.caller.id, name: input.caller.displayName },
      ...(input.channel ? { channel: input.channel } : {}), createdAt: now.toISOString(), updatedAt: now.toISOString(),
    };
    const change = started(rollout, this.deps.engine.context(rollout));
    if (input.correlationId) change.audit.forEach((a) => { a.correlationId = input.correlationId; });
    try {
      await this.deps.engine.create(change);
    } catch (e) {
      // Lost a race with another start on the same endpoint: the database said so, nothing was stored.
      if (isBotError(e) && e.code === 'conflict') {
        const winner = (await store.listRollouts({ statuses: ACTIVE_ROLLOUT_STATUSES, env: env.name, limit: 100 })).rollouts.find((r) => r.endpoint === plan.endpoint);
        if (winner) throw busyError(winner);
      }
      throw e;
    }
    return { rollout, created: true };
  }

  async control(verb: ControlVerb, id: string, caller: Caller): Promise<{ rollout: Rollout; changed: boolean }> {
    const { settings } = this.core;
    const current = await this.deps.engine.get(id.toUpperCase());
    const env = findEnvironment(settings, current.env);
    if (!env) throw new BotError('invalid_state', `Rollout ${current.id} is in ${current.env}, which is no longer configured.`, { remedy: 'Ask the bot operator.' });
    const allowed = verb === 'resume'
      ? await mayDriveRollout(caller, env, settings, this.deps.directory)
      : await mayStopRollout(caller, env, settings, this.deps.directory, current.requester.id);
    if (!allowed) {
      await this.refused(caller, env, current.model, 'forbidden', `${caller.displayName} may not ${verb} rollout ${current.id}.`, undefined, current.id);
      throw new BotError('forbidden', `${caller.displayName} may not ${verb} rollout ${current.id}.`, { remedy: verb === 'resume' ? `Rollouts in ${env.name} are resumed by ${whoMayDrive(env)}.` : `Ask ${current.requester.name} or a ${env.name} approver.` });
    }
    const by: RolloutActor = { id: caller.id, name: caller.displayName };
    const transition = verb === 'pause' ? paused : verb === 'resume' ? resumed : aborted;
    const next = await this.deps.engine.apply(current.id, (r, ctx) => transition(r, by, ctx));
    if (next) return { rollout: next, changed: true };
    const now = await this.deps.engine.get(current.id);
    // A second click of the same button finds what it asked for already done.
    const already = (verb === 'pause' && now.status === 'paused') || (verb === 'resume' && now.status === 'running') || (verb === 'abort' && now.status === 'aborted');
    if (already) return { rollout: now, changed: false };
    throw new BotError('invalid_state', `Rollout ${now.id} is ${now.status.replace('_', ' ')}; it cannot be ${verb === 'abort' ? 'aborted' : `${verb}d`} now.`, { remedy: `See it with: rollouts --env ${now.env}` });
  }

  private async refused(caller: Caller, env: EnvironmentSettings, model: string, reason: string, message: string, correlationId?: string, rolloutId?: string): Promise<void> {
    await recordAudit(this.core.store, this.core.settings, [{
      action: 'rollout.refused', actor: caller.id, env: env.name, model, ...(rolloutId ? { requestId: rolloutId } : {}),
      detail: { reason, message }, ...(correlationId ? { correlationId } : {}),
    }], this.core.clock.now());
  }
}

function busyError(busy: Rollout): BotError {
  return new BotError('conflict', `Rollout ${busy.id} (${busy.model} v${busy.version}) is already ${busy.status} on ${busy.endpoint} in ${busy.env}.`, {
    remedy: `Follow it, or stop it first: rollout abort ${busy.id}`,
  });
}

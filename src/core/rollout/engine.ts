/**
 * Commits rollout transitions: reads the rollout, asks a pure transition for the next state, and
 * stores it by revision with its audit entries, their posts to the audit channels and its effects
 * in one transaction. A conflict (another replica or click was faster) reads again and re-decides.
 */
import { auditPostEffects } from '../audit/fan-out';
import { BotError } from '../errors';
import type { Clock, Logger, Store } from '../ports';
import { findEnvironment, type BotSettings } from '../settings';
import type { RolloutChange, RolloutContext } from './transition';
import type { Rollout } from './types';

export interface RolloutEngineDeps {
  store: Store;
  settings: BotSettings;
  clock: Clock;
  log?: Logger;
  /** Called after a commit that recorded effects, so the outbox runs them at once. */
  onRecorded?: () => void;
}

export type Transition = (r: Rollout, ctx: RolloutContext) => RolloutChange | null;

export class RolloutEngine {
  constructor(readonly deps: RolloutEngineDeps) {}

  context(r: Pick<Rollout, 'env'>): RolloutContext {
    return { now: this.deps.clock.now(), notify: findEnvironment(this.deps.settings, r.env)?.channels.notifications ?? [] };
  }

  async get(id: string): Promise<Rollout> {
    const r = await this.deps.store.getRollout(id);
    if (!r) throw new BotError('not_found', `There is no rollout ${id}.`, { remedy: 'See the rollouts with: rollouts' });
    return r;
  }

  /** The rollout after the transition, or null when it did not apply (nothing stored). */
  async apply(id: string, transition: Transition, attempts = 3): Promise<Rollout | null> {
    for (let i = 0; i < attempts; i++) {
      const current = await this.get(id);
      const c = transition(current, this.context(current));
      if (!c) return null;
      if ((await this.commit(c)) === 'ok') return c.next;
    }
    this.deps.log?.warn({ rolloutId: id }, 'rollout changed underneath several times; left to the next pass');
    return null;
  }

  async create(c: RolloutChange): Promise<void> {
    await this.deps.store.createRollout(c.next, c.audit, [...c.effects, ...this.auditPosts(c)]);
    this.deps.onRecorded?.();
  }

  private async commit(c: RolloutChange): Promise<'ok' | 'conflict'> {
    const result = await this.deps.store.commitRollout(c.next, c.audit, [...c.effects, ...this.auditPosts(c)]);
    if (result === 'ok') this.deps.onRecorded?.();
    return result;
  }

  private auditPosts(c: RolloutChange) {
    return auditPostEffects(this.deps.settings, c.audit, { scope: `${c.next.id}@${c.next.revision}` });
  }
}

/** Row ↔ rollout mapping shared by the SQLite and PostgreSQL stores (the document is the truth). */
import { BotError } from '../../core/errors';
import type { Rollout } from '../../core/rollout/types';
import { fromJson, iso } from './rows';

/** id, revision, status, env, endpoint, model, created_at, updated_at, doc. */
export function rolloutParams(r: Rollout): unknown[] {
  return [r.id, r.revision, r.status, r.env, r.endpoint, r.model, iso(r.createdAt), iso(r.updatedAt), JSON.stringify(r)];
}

export const ROLLOUT_COLUMNS = 'id, revision, status, env, endpoint, model, created_at, updated_at, doc';

export function toRollout(row: { doc: unknown }): Rollout {
  return fromJson<Rollout>(row.doc);
}

/** Name of the index that lets one rollout at a time be active per endpoint. */
export const ONE_ACTIVE_ROLLOUT_INDEX = 'rollouts_one_active';

export function rolloutConflict(r: Rollout, activeIndex: boolean, cause: unknown): BotError {
  if (!activeIndex) return new BotError('conflict', `Rollout ${r.id} already exists.`, { details: { rolloutId: r.id }, cause });
  return new BotError('conflict', `Another rollout is already moving the traffic of ${r.endpoint} in ${r.env}.`, {
    remedy: `See it with: rollouts --env ${r.env}`,
    details: { rolloutId: r.id, env: r.env, endpoint: r.endpoint },
    cause,
  });
}

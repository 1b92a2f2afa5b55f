/**
 * Follows Azure DevOps where no service hook reports to the bot: stage progress, the pending
 * approval's id, and decisions taken in the Azure DevOps web UI.
 */
import type { ReleaseStatus } from '../models';
import type { Logger, Releases, Store } from '../ports';
import type { PromotionService } from './service';
import type { PromotionRequest } from './types';

const RELEASE_ENDED = ['succeeded', 'failed', 'rejected', 'canceled'];

export interface PollResult { checked: number; changed: number; errors: number }

export async function pollReleases(deps: { service: PromotionService; store: Store; releases: Releases; log?: Logger }): Promise<PollResult> {
  const { service, store, releases, log } = deps;
  const open = await store.listRequests({ states: ['awaiting_approval', 'approved', 'releasing'] });
  // Requests that ended in chat while their Azure DevOps gate was not yet visible still owe it a rejection.
  const owing = (await store.listRequests({ states: ['rejected', 'cancelled', 'expired'], limit: 200 }))
    .filter((r) => r.gate === 'ado' && !r.gateRejectSent && !RELEASE_ENDED.includes(r.release?.lastState ?? ''));
  const result: PollResult = { checked: 0, changed: 0, errors: 0 };
  const followed = [...open, ...owing].filter((x): x is PromotionRequest & { release: NonNullable<PromotionRequest['release']> } => x.release !== undefined);
  // One batched read per environment for all its open requests, the environments side by side.
  const byEnv = new Map<string, typeof followed>();
  for (const r of followed) byEnv.set(r.targetEnv, [...(byEnv.get(r.targetEnv) ?? []), r]);
  await Promise.all([...byEnv].map(async ([env, requests]) => {
    let statuses: Map<number, ReleaseStatus | Error>;
    try {
      statuses = await releases.statuses(env, requests.map((r) => ({ ref: r.release, model: r.model })));
    } catch (e) {
      result.checked += requests.length;
      result.errors += requests.length;
      log?.warn({ env, requests: requests.length, err: (e as Error).message }, 'release poll failed');
      return;
    }
    for (const r of requests) {
      result.checked++;
      try {
        const status = statuses.get(r.release.id) ?? new Error(`no status returned for release ${r.release.id}`);
        if (status instanceof Error) throw status;
        const res = await service.onReleaseStatus(r.id, status);
        if (res.ok && res.changed) result.changed++;
      } catch (e) {
        result.errors++;
        log?.warn({ requestId: r.id, release: r.release.id, err: (e as Error).message }, 'release poll failed');
      }
    }
  }));
  return result;
}

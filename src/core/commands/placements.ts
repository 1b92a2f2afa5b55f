import type { ModelVersionInfo } from '../models';
import type { Store } from '../ports';
import type { BotSettings } from '../settings';

/** env name → version running there. */
export type Placement = Map<string, string>;

export const ENV_TAG_PREFIX = 'mlops-env-';

/** Environments in promotion order (then any others in config order). */
export function orderedEnvs(settings: BotSettings): string[] {
  const names = settings.environments.map((e) => e.name);
  const ordered = settings.promotionOrder.filter((n) => names.includes(n));
  return [...ordered, ...names.filter((n) => !ordered.includes(n))];
}

/** The environment "production" means for deltas: `prod` if configured, else the end of the promotion order. */
export function productionEnv(settings: BotSettings): string | undefined {
  const names = settings.environments.map((e) => e.name);
  return names.find((n) => n.toLowerCase() === 'prod') ?? orderedEnvs(settings).at(-1);
}

/**
 * The bot's own history: for each model, the newest succeeded promotion per target environment.
 * It is the first source of truth for "which version runs where" (DESIGN §6).
 */
export async function placementsFromHistory(store: Store, model?: string): Promise<Map<string, Placement>> {
  const requests = await store.listRequests({ states: ['succeeded'], ...(model !== undefined ? { model } : {}) });
  const newest = new Map<string, { at: string; version: string }>();
  for (const r of requests) {
    const key = `${r.model}\u0000${r.targetEnv}`;
    const at = r.updatedAt ?? r.createdAt;
    const seen = newest.get(key);
    if (!seen || at > seen.at) newest.set(key, { at, version: r.version });
  }
  const out = new Map<string, Placement>();
  for (const [key, { version }] of newest) {
    const [name, env] = key.split('\u0000');
    if (!out.has(name)) out.set(name, new Map());
    out.get(name)!.set(env, version);
  }
  return out;
}

/** The fallback: the `mlops-env-<env>` tag (ISO time of the promotion) on versions in the source workspace. */
export function placementsFromTags(versions: ModelVersionInfo[], envs: string[]): Placement {
  const out: Placement = new Map();
  for (const env of envs) {
    let best: { at: string; version: ModelVersionInfo } | undefined;
    for (const v of versions) {
      const at = tagValue(v.tags, `${ENV_TAG_PREFIX}${env}`);
      if (at === undefined) continue;
      if (!best || at > best.at || (at === best.at && Number(v.version) > Number(best.version.version))) best = { at, version: v };
    }
    if (best) out.set(env, best.version.version);
  }
  return out;
}

function tagValue(tags: Record<string, string>, key: string): string | undefined {
  const hit = Object.keys(tags).find((k) => k.toLowerCase() === key.toLowerCase());
  return hit === undefined ? undefined : tags[hit];
}

/** History wins; tags fill the environments the history knows nothing about. */
export function mergePlacements(history: Placement | undefined, tags: Placement): Placement {
  const out: Placement = new Map(tags);
  for (const [env, version] of history ?? []) out.set(env, version);
  return out;
}

/** `preprod v4 · prod v3`, in promotion order; `—` when it runs nowhere yet. */
export function placementLine(placement: Placement, envOrder: string[]): string {
  const parts = envOrder.filter((e) => placement.has(e)).map((e) => `${e} v${placement.get(e)}`);
  return parts.length === 0 ? '—' : parts.join(' · ');
}

/** Environments where one version runs. */
export function envsOfVersion(placement: Placement, version: string, envOrder: string[]): string[] {
  return envOrder.filter((e) => placement.get(e) === version);
}

/**
 * The names of the models of each environment, kept in the store and refreshed in the background,
 * so "did you mean" hints and the model list beyond its first page never walk every page of the
 * registry while someone waits (DESIGN 9.8). A complete first page refreshes it for free.
 */
import type { ModelSummary } from '../models';
import type { Clock, ModelRegistry, Store } from '../ports';

const NAMESPACE = 'model-catalogue';
/** One page of containers read live; a registry that fits in it needs no catalogue. */
export const LIVE_PAGE = 100;

export interface CatalogueEntry { name: string; latestVersion: string | null; updatedAt?: string }
export interface Catalogue { env: string; refreshedAt: string; models: CatalogueEntry[] }

export interface CatalogueDeps { registry: ModelRegistry; store: Store; clock: Clock }

const entryOf = (m: ModelSummary): CatalogueEntry => ({
  name: m.name, latestVersion: m.latestVersion, ...(m.updatedAt ? { updatedAt: m.updatedAt.toISOString() } : {}),
});

export const summaryOf = (e: CatalogueEntry): ModelSummary => ({
  name: e.name, latestVersion: e.latestVersion, tags: {}, ...(e.updatedAt ? { updatedAt: new Date(e.updatedAt) } : {}),
});

export function readCatalogue(store: Store, env: string): Promise<Catalogue | null> {
  return store.getDoc<Catalogue>(NAMESPACE, env.toLowerCase());
}

export async function saveCatalogue(deps: Pick<CatalogueDeps, 'store' | 'clock'>, env: string, models: ModelSummary[]): Promise<void> {
  const doc: Catalogue = { env, refreshedAt: deps.clock.now().toISOString(), models: models.map(entryOf).sort((a, b) => a.name.localeCompare(b.name)) };
  await deps.store.putDoc(NAMESPACE, env.toLowerCase(), doc);
}

/** Reads every page of the environment's model containers into the store (background work). */
export async function refreshCatalogue(deps: CatalogueDeps, env: string): Promise<number> {
  const models = await deps.registry.listModels(env);
  await saveCatalogue(deps, env, models);
  return models.length;
}

/** The models of an environment as well as they are known in one round trip. */
export interface ModelListing {
  models: ModelSummary[];
  /** True when the list is complete (the live page was the only one, or the catalogue filled in). */
  exact: boolean;
  /** When the catalogue supplied part of the list: its refresh time. */
  asOf?: string;
}

/**
 * The first live page and the stored catalogue, read together. A complete live page is the truth
 * (and refreshes the catalogue); otherwise the catalogue adds the names beyond the first page.
 */
export async function listModelsQuickly(deps: CatalogueDeps, env: string): Promise<ModelListing> {
  const [live, stored] = await Promise.all([deps.registry.pageModels(env, LIVE_PAGE), readCatalogue(deps.store, env)]);
  if (!live.more) {
    await saveCatalogue(deps, env, live.models);
    return { models: live.models, exact: true };
  }
  if (!stored) return { models: live.models, exact: false };
  const byName = new Map(stored.models.map((e) => [e.name, summaryOf(e)]));
  for (const m of live.models) byName.set(m.name, m);
  return { models: [...byName.values()], exact: true, asOf: stored.refreshedAt };
}

/**
 * Names for suggestions: the catalogue, or the first live page when there is none yet. Reads only:
 * a mistyped command changes nothing, not even the catalogue.
 */
export async function modelNamesForHints(deps: CatalogueDeps, env: string): Promise<{ names: string[]; exact: boolean }> {
  const stored = await readCatalogue(deps.store, env);
  if (stored) return { names: stored.models.map((m) => m.name), exact: true };
  const live = await deps.registry.pageModels(env, LIVE_PAGE);
  return { names: live.models.map((m) => m.name).sort(), exact: !live.more };
}

/**
 * What the stored catalogue says about one model before anything is read from Azure: whether the
 * name is known (a command may then read what serves it beside its versions), and which version
 * numbers are surely older than the newest page of versions (they are read directly, beside the
 * page, instead of after it). The catalogue may be stale: a guess that misses costs one request
 * more or a round later, never a wrong answer.
 */
import type { Store } from '../ports';
import { readCatalogue, type CatalogueEntry } from './model-catalogue';

export async function catalogued(store: Store, env: string, model: string): Promise<CatalogueEntry | undefined> {
  const doc = await readCatalogue(store, env).catch(() => null);
  return doc?.models.find((m) => m.name.toLowerCase() === model.toLowerCase());
}

/** Of `versions`, those numbered below the newest `top` counted from the catalogue's latest version. */
export async function olderThanPage(store: Store, env: string, model: string, versions: (string | undefined)[], top: number): Promise<string[]> {
  const latest = Number((await catalogued(store, env, model))?.latestVersion);
  if (!Number.isInteger(latest)) return [];
  const older = versions.filter((v): v is string => v !== undefined && /^\d+$/.test(v) && Number(v) <= latest - top);
  return [...new Set(older)];
}

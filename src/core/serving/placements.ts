/**
 * "Which version runs where" for the model lists: Azure's serving versions first; the bot's own
 * placements (request history, then the `mlops-env-<env>` tag) only where no endpoint serves the
 * model, marked with `*`; and the environments where the two disagree.
 */
import type { Logger, Serving } from '../ports';
import { readServing, type ReadOptions } from './read';
import { servedVersions } from './served';

/** env → version. */
export type Placement = Map<string, string>;

export const FALLBACK_MARK = '*';
export const FALLBACK_NOTE = `${FALLBACK_MARK} no endpoint serves it there: from the bot's request history or the mlops-env tag.`;

/**
 * model → env → serving version for all models in one read (two rounds of calls), or `undefined`
 * when serving cannot be read at all (the lists then show the fallback, marked).
 */
export async function readServedMap(serving: Serving | undefined, envs: string[], log?: Logger, memory?: ReadOptions['memory']): Promise<Map<string, Placement> | undefined> {
  if (!serving) return undefined;
  const read = await readServing(serving, envs, { memory });
  for (const e of read) if (e.error) log?.warn({ env: e.env, error: e.error }, 'serving read failed; lists fall back to history');
  if (read.every((e) => e.error)) return undefined;
  return servedVersions(read.filter((e) => !e.error));
}

export interface MergedPlacement {
  placement: Placement;
  /** Environments whose version is a fallback. */
  fallback: Set<string>;
  /** "prod: history v5, Azure v3". */
  disagreements: string[];
}

/** Azure where it serves; history, then tags, elsewhere (marked); history vs Azure disagreements said. */
export function mergeServed(served: Placement | undefined, history: Placement | undefined, tags: Placement): MergedPlacement {
  const placement: Placement = new Map(served ?? []);
  const fallback = new Set<string>();
  const disagreements: string[] = [];
  for (const [env, version] of [...tags, ...(history ?? [])]) {
    if (served?.has(env)) continue;
    placement.set(env, version);
    fallback.add(env);
  }
  for (const [env, version] of history ?? []) {
    const azure = served?.get(env);
    if (azure !== undefined && azure !== version) disagreements.push(`${env}: the bot's history says v${version}, Azure serves v${azure}`);
  }
  return { placement, fallback, disagreements };
}

/** `dev v5 · preprod v4 · prod v3*`, in promotion order; `—` when it runs nowhere. */
export function servedLine(m: MergedPlacement, envOrder: string[]): string {
  const parts = envOrder.filter((e) => m.placement.has(e)).map((e) => `${e} v${m.placement.get(e)}${m.fallback.has(e) ? FALLBACK_MARK : ''}`);
  return parts.length === 0 ? '—' : parts.join(' · ');
}

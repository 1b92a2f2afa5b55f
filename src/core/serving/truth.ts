/**
 * Which version serves each environment (DESIGN 9.2): Azure first — the deployment with the most
 * live traffic, or the batch default; the bot's request history and then the `mlops-env-<env>` tag
 * only for environments where no endpoint serves the model, marked so. Where the history and Azure
 * disagree, the disagreement is kept so the answer can say it.
 */
import type { EnvServing } from './types';
import { primaryServed, type Served } from './served';

export type TruthSource = 'azure' | 'history' | 'tag';

export interface EnvTruth {
  env: string;
  version?: string;
  source?: TruthSource;
  served?: Served;
  /** What the bot's history says when it differs from what Azure serves. */
  historyVersion?: string;
  /** The environment could not be read from Azure (the fallback then stands in). */
  error?: string;
}

export function servingTruth(
  model: string, serving: EnvServing[], history: Map<string, string> | undefined, tags: Map<string, string>,
): EnvTruth[] {
  return serving.map((env) => {
    const fromHistory = history?.get(env.env);
    const served = env.error ? undefined : primaryServed(model, env);
    if (served) {
      return { env: env.env, version: served.version, source: 'azure', served, ...(fromHistory && fromHistory !== served.version ? { historyVersion: fromHistory } : {}) };
    }
    const error = env.error ? { error: env.error } : {};
    if (fromHistory) return { env: env.env, version: fromHistory, source: 'history', ...error };
    const fromTag = tags.get(env.env);
    if (fromTag) return { env: env.env, version: fromTag, source: 'tag', ...error };
    return { env: env.env, ...error };
  });
}

/** Words for a fallback, shown beside the version. */
export function sourceNote(t: EnvTruth): string {
  const why = t.error ? 'Azure could not be read' : 'no endpoint serves it';
  if (t.source === 'history') return `from the request history (${why})`;
  if (t.source === 'tag') return `from the mlops-env-${t.env} tag (${why})`;
  return '';
}

/** "prod: the request history says v5, Azure serves v3." */
export function disagreement(t: EnvTruth): string | undefined {
  if (t.source !== 'azure' || !t.historyVersion) return undefined;
  return `${t.env}: the bot's request history says v${t.historyVersion}, Azure serves v${t.version} — Azure is what serves.`;
}

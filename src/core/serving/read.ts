/**
 * One read of what serves, for one or many environments, in two rounds at most: the endpoints of
 * every environment in parallel, then the deployments of every endpoint in parallel (bounded);
 * one round when the endpoints are remembered (`memory`) and have not changed.
 * A failing environment is reported on its own and does not hide the others.
 */
import { isBotError } from '../errors';
import { Limiter } from '../limiter';
import type { Serving, Store } from '../ports';
import type { ServingSettings } from '../settings';
import type { BatchDeploymentInfo, BatchEndpointView, EnvServing, OnlineDeploymentInfo, OnlineEndpointView } from './types';

/** Calls to Azure in flight at once for one read. */
const FAN_OUT = 8;

export interface ReadOptions {
  /** The endpoint a model's `serving` setting names in an environment: one round, endpoint and deployments together. */
  servingOf?: (env: string) => ServingSettings | undefined;
  /**
   * Where each environment's endpoint names are remembered between reads (the store): the
   * deployments of the remembered endpoints are read beside the endpoint lists, so a read whose
   * endpoints have not changed takes one round; only a new endpoint's deployments need a second.
   */
  memory?: Pick<Store, 'getDoc' | 'putDoc'>;
}

const MEMORY_NS = 'serving-endpoints';
interface Remembered { online: string[]; batch: string[] }

export async function readServing(serving: Serving, envs: readonly string[], opts: ReadOptions = {}): Promise<EnvServing[]> {
  return Promise.all(envs.map((env) => readEnv(serving, env, opts).catch((e: unknown): EnvServing => ({
    env, online: [], batch: [], error: isBotError(e) ? e.message : `could not read ${env}: ${(e as Error).message}`,
  }))));
}

async function readEnv(serving: Serving, env: string, opts: ReadOptions): Promise<EnvServing> {
  const only = opts.servingOf?.(env);
  if (only) return readOne(serving, env, only);
  const limit = new Limiter(FAN_OUT);
  const key = env.toLowerCase();
  const remembered = opts.memory ? await opts.memory.getDoc<Remembered>(MEMORY_NS, key).catch(() => null) : null;
  // Early reads of endpoints that may be gone meanwhile: their failures count only if the endpoint is still listed.
  const early = (names: string[] | undefined, read: (name: string) => Promise<unknown>) => new Map((names ?? []).map((name) => {
    const p = limit.run(() => read(name));
    p.catch(() => undefined);
    return [name.toLowerCase(), p] as const;
  }));
  const lists = Promise.all([limit.run(() => serving.listOnlineEndpoints(env)), limit.run(() => serving.listBatchEndpoints(env))]);
  const onlineEarly = early(remembered?.online, (name) => serving.listOnlineDeployments(env, name));
  const batchEarly = early(remembered?.batch, (name) => serving.listBatchDeployments(env, name));
  const [online, batch] = await lists;
  const [onlineViews, batchViews] = await Promise.all([
    Promise.all(online.map(async (e): Promise<OnlineEndpointView> => ({
      ...e, deployments: ((await (onlineEarly.get(e.name.toLowerCase()) ?? limit.run(() => serving.listOnlineDeployments(env, e.name)))) as OnlineDeploymentInfo[] | null) ?? [],
    }))),
    Promise.all(batch.map(async (e): Promise<BatchEndpointView> => ({
      ...e, deployments: ((await (batchEarly.get(e.name.toLowerCase()) ?? limit.run(() => serving.listBatchDeployments(env, e.name)))) as BatchDeploymentInfo[] | null) ?? [],
    }))),
  ]);
  const now: Remembered = { online: online.map((e) => e.name).sort(), batch: batch.map((e) => e.name).sort() };
  if (opts.memory && JSON.stringify(now) !== JSON.stringify(remembered && { online: [...remembered.online].sort(), batch: [...remembered.batch].sort() })) {
    await opts.memory.putDoc(MEMORY_NS, key, now).catch(() => undefined);
  }
  return { env, online: onlineViews, batch: batchViews };
}

/** A rule names the endpoint: read it and its deployments at once. */
async function readOne(serving: Serving, env: string, rule: ServingSettings): Promise<EnvServing> {
  if (rule.kind === 'online') {
    const [endpoint, deployments] = await Promise.all([serving.getOnlineEndpoint(env, rule.endpoint), serving.listOnlineDeployments(env, rule.endpoint)]);
    return { env, online: endpoint ? [{ ...endpoint, deployments: deployments ?? [] }] : [], batch: [] };
  }
  const [endpoints, deployments] = await Promise.all([serving.listBatchEndpoints(env), serving.listBatchDeployments(env, rule.endpoint)]);
  const endpoint = endpoints.find((e) => e.name.toLowerCase() === rule.endpoint.toLowerCase());
  return { env, online: [], batch: endpoint ? [{ ...endpoint, deployments: deployments ?? [] }] : [] };
}

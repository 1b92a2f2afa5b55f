/**
 * One read of what serves, for one or many environments, in two rounds at most: the endpoints of
 * every environment in parallel, then the deployments of every endpoint in parallel (bounded).
 * A failing environment is reported on its own and does not hide the others.
 */
import { isBotError } from '../errors';
import { mapLimit } from '../commands/map-limit';
import type { Serving } from '../ports';
import type { ServingSettings } from '../settings';
import type { BatchEndpointView, EnvServing, OnlineEndpointView } from './types';

/** Calls to Azure in flight at once for one read. */
const FAN_OUT = 8;

export interface ReadOptions {
  /** The endpoint a model's `serving` setting names in an environment: one round, endpoint and deployments together. */
  servingOf?: (env: string) => ServingSettings | undefined;
}

export async function readServing(serving: Serving, envs: readonly string[], opts: ReadOptions = {}): Promise<EnvServing[]> {
  return Promise.all(envs.map((env) => readEnv(serving, env, opts).catch((e: unknown): EnvServing => ({
    env, online: [], batch: [], error: isBotError(e) ? e.message : `could not read ${env}: ${(e as Error).message}`,
  }))));
}

async function readEnv(serving: Serving, env: string, opts: ReadOptions): Promise<EnvServing> {
  const only = opts.servingOf?.(env);
  if (only) return readOne(serving, env, only);
  const [online, batch] = await Promise.all([serving.listOnlineEndpoints(env), serving.listBatchEndpoints(env)]);
  const onlineViews: OnlineEndpointView[] = online.map((e) => ({ ...e, deployments: [] }));
  const batchViews: BatchEndpointView[] = batch.map((e) => ({ ...e, deployments: [] }));
  const jobs: (() => Promise<void>)[] = [
    ...onlineViews.map((v) => async () => { v.deployments = (await serving.listOnlineDeployments(env, v.name)) ?? []; }),
    ...batchViews.map((v) => async () => { v.deployments = (await serving.listBatchDeployments(env, v.name)) ?? []; }),
  ];
  await mapLimit(jobs, FAN_OUT, (job) => job());
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

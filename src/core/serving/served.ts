/**
 * From what serves (one read of the endpoints) to what a person asks: which deployments serve a
 * model, and which version serves each environment — the one with the most live traffic, or the
 * batch endpoint's default deployment when no online endpoint serves it.
 */
import type { BatchDeploymentInfo, EnvServing, OnlineDeploymentInfo, OnlineEndpointView, BatchEndpointView } from './types';

export interface OnlineServed {
  kind: 'online';
  env: string;
  endpoint: OnlineEndpointView;
  deployment: OnlineDeploymentInfo;
  version: string;
  traffic: number;
  mirror: number;
}

export interface BatchServed {
  kind: 'batch';
  env: string;
  endpoint: BatchEndpointView;
  deployment: BatchDeploymentInfo;
  version: string;
  isDefault: boolean;
}

export type Served = OnlineServed | BatchServed;

const sameName = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** Every deployment of the model in one environment, online first, most traffic first. */
export function deploymentsOf(model: string, env: EnvServing): Served[] {
  const online: OnlineServed[] = env.online.flatMap((endpoint) => endpoint.deployments
    .filter((d) => sameName(d.model?.name, model))
    .map((deployment) => ({
      kind: 'online' as const, env: env.env, endpoint, deployment, version: deployment.model!.version,
      traffic: endpoint.traffic[deployment.name] ?? 0, mirror: endpoint.mirrorTraffic[deployment.name] ?? 0,
    })));
  online.sort((a, b) => b.traffic - a.traffic || a.endpoint.name.localeCompare(b.endpoint.name) || a.deployment.name.localeCompare(b.deployment.name));
  const batch: BatchServed[] = env.batch.flatMap((endpoint) => endpoint.deployments
    .filter((d) => sameName(d.model?.name, model))
    .map((deployment) => ({ kind: 'batch' as const, env: env.env, endpoint, deployment, version: deployment.model!.version, isDefault: endpoint.defaultDeployment === deployment.name })));
  batch.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  return [...online, ...batch];
}

/** The version serving the environment: most live traffic online, else the batch default. */
export function primaryServed(model: string, env: EnvServing): Served | undefined {
  const all = deploymentsOf(model, env);
  const online = all.find((s) => s.kind === 'online' && s.traffic > 0);
  return online ?? all.find((s) => s.kind === 'batch' && s.isDefault);
}

/** model name → env → serving version, for every model one read of the endpoints saw. */
export function servedVersions(envs: EnvServing[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const env of envs) {
    const names = new Set<string>();
    for (const e of env.online) for (const d of e.deployments) if (d.model) names.add(d.model.name);
    for (const e of env.batch) for (const d of e.deployments) if (d.model) names.add(d.model.name);
    for (const name of names) {
      const served = primaryServed(name, env);
      if (!served) continue;
      if (!out.has(name)) out.set(name, new Map());
      out.get(name)!.set(env.env, served.version);
    }
  }
  return out;
}

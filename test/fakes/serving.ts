import { BotError } from '../../src/core/errors';
import type { Serving } from '../../src/core/ports';
import type { OnlineDeploymentInfo, OnlineEndpointInfo } from '../../src/core/serving/types';

/**
 * One environment's online endpoints in memory, behaving as the Serving port promises: setTraffic
 * sends no change (counts no PUT) when the split is already there. `failTraffic` makes the next
 * traffic changes throw the given error.
 */
export class FakeServing implements Serving {
  endpoints = new Map<string, OnlineEndpointInfo>();
  deployments = new Map<string, OnlineDeploymentInfo[]>();
  /** Traffic changes Azure took, in order. */
  puts: Record<string, number>[] = [];
  failTraffic: Error[] = [];

  addEndpoint(env: string, name: string, deployments: { name: string; model: string; version: string; traffic: number }[]): void {
    this.endpoints.set(`${env}/${name}`, { env, name, traffic: Object.fromEntries(deployments.map((d) => [d.name, d.traffic])), mirrorTraffic: {}, state: 'succeeded', rawState: 'Succeeded' });
    this.deployments.set(`${env}/${name}`, deployments.map((d) => ({
      env, endpoint: name, name: d.name, state: 'succeeded' as const, rawState: 'Succeeded',
      model: { name: d.model, version: d.version, source: 'workspace' as const, assetId: `azureml:${d.model}:${d.version}` },
    })));
  }

  removeDeployment(env: string, endpoint: string, name: string): void {
    this.deployments.set(`${env}/${endpoint}`, (this.deployments.get(`${env}/${endpoint}`) ?? []).filter((d) => d.name !== name));
  }

  traffic(env: string, endpoint: string): Record<string, number> {
    return { ...this.endpoints.get(`${env}/${endpoint}`)!.traffic };
  }

  async listOnlineEndpoints(env: string): Promise<OnlineEndpointInfo[]> {
    return [...this.endpoints.values()].filter((e) => e.env === env).map((e) => ({ ...e, traffic: { ...e.traffic } }));
  }
  async getOnlineEndpoint(env: string, endpoint: string): Promise<OnlineEndpointInfo | null> {
    const e = this.endpoints.get(`${env}/${endpoint}`);
    return e ? { ...e, traffic: { ...e.traffic } } : null;
  }
  async listOnlineDeployments(env: string, endpoint: string): Promise<OnlineDeploymentInfo[] | null> {
    return this.endpoints.has(`${env}/${endpoint}`) ? [...(this.deployments.get(`${env}/${endpoint}`) ?? [])] : null;
  }
  async listBatchEndpoints() { return []; }
  async listBatchDeployments() { return null; }

  async setTraffic(env: string, endpoint: string, traffic: Record<string, number>): Promise<OnlineEndpointInfo> {
    const failure = this.failTraffic.shift();
    if (failure) throw failure;
    const e = this.endpoints.get(`${env}/${endpoint}`);
    if (!e) throw new BotError('upstream_not_found', `online endpoint ${endpoint} was not found`);
    const names = new Set((this.deployments.get(`${env}/${endpoint}`) ?? []).map((d) => d.name));
    const unknown = Object.keys(traffic).filter((d) => !names.has(d));
    if (unknown.length) throw new BotError('upstream_invalid', `deployment ${unknown.join(', ')} does not exist`);
    const norm = (m: Record<string, number>) => Object.entries(m).filter(([, v]) => v !== 0).map(([k, v]) => `${k}=${v}`).sort().join(',');
    if (norm(e.traffic) !== norm(traffic)) {
      e.traffic = { ...traffic };
      this.puts.push({ ...traffic });
    }
    return { ...e, traffic: { ...e.traffic } };
  }
}

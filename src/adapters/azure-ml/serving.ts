/**
 * Serving over Azure ML: deployments and batch endpoints through @azure/arm-machinelearning 2.1.1;
 * online endpoints through raw requests at api-version 2024-04-01 on the same client pipeline,
 * because 2022-10-01 (the SDK's) has no `mirrorTraffic`, and a whole-object PUT at that version
 * could not carry the mirror split it does not know.
 */
import type { TokenCredential } from '@azure/identity';
import type { Serving } from '../../core/ports';
import type { BatchDeploymentInfo, BatchEndpointInfo, OnlineDeploymentInfo, OnlineEndpointInfo } from '../../core/serving/types';
import { ArmClients, type WorkspaceHandle } from './arm-client';
import { armCall } from './arm-errors';
import { followPut, type LroSettings } from './arm-lro';
import { rawArm, rawPages, workspaceUrl } from './arm-raw';
import type { AzureMlOptions } from './options';
import { toBatchDeployment, toBatchEndpoint, toOnlineDeployment, toOnlineEndpoint } from './serving-mapping';

export class AzureMlServing implements Serving {
  private readonly arm: ArmClients;
  private readonly lro: LroSettings;

  constructor(credential: TokenCredential, opts: AzureMlOptions) {
    this.arm = new ArmClients(credential, opts);
    this.lro = { pollMs: opts.lroPollIntervalMs ?? 2000, timeoutMs: opts.lroTimeoutMs ?? 45_000 };
  }

  async listOnlineEndpoints(env: string): Promise<OnlineEndpointInfo[]> {
    const h = this.arm.workspace(env);
    const items = await rawPages(h, 'listing online endpoints', this.url(h, 'onlineEndpoints'));
    return items.map((raw) => toOnlineEndpoint(h.env, raw));
  }

  async getOnlineEndpoint(env: string, endpoint: string): Promise<OnlineEndpointInfo | null> {
    const h = this.arm.workspace(env);
    const answer = await rawArm(h, `reading online endpoint ${endpoint}`, 'GET', this.endpointUrl(h, endpoint), undefined, 'null');
    return answer ? toOnlineEndpoint(h.env, answer.body) : null;
  }

  async listOnlineDeployments(env: string, endpoint: string): Promise<OnlineDeploymentInfo[] | null> {
    const h = this.arm.workspace(env);
    return armCall(h.ctx(`listing deployments of online endpoint ${endpoint}`), async () => {
      const out: OnlineDeploymentInfo[] = [];
      for await (const d of h.client.onlineDeployments.list(h.ws.resourceGroup, h.ws.name, endpoint, h.op)) out.push(toOnlineDeployment(h.env, endpoint, d));
      return out;
    }, 'null');
  }

  async listBatchEndpoints(env: string): Promise<BatchEndpointInfo[]> {
    const h = this.arm.workspace(env);
    return armCall(h.ctx('listing batch endpoints'), async () => {
      const out: BatchEndpointInfo[] = [];
      for await (const e of h.client.batchEndpoints.list(h.ws.resourceGroup, h.ws.name, h.op)) out.push(toBatchEndpoint(h.env, e));
      return out;
    });
  }

  async listBatchDeployments(env: string, endpoint: string): Promise<BatchDeploymentInfo[] | null> {
    const h = this.arm.workspace(env);
    return armCall(h.ctx(`listing deployments of batch endpoint ${endpoint}`), async () => {
      const out: BatchDeploymentInfo[] = [];
      for await (const d of h.client.batchDeployments.list(h.ws.resourceGroup, h.ws.name, endpoint, h.op)) out.push(toBatchDeployment(h.env, endpoint, d));
      return out;
    }, 'null');
  }

  /**
   * GET, replace `properties.traffic` (and `mirrorTraffic` when given), PUT the whole object back
   * (PATCH cannot carry traffic), then follow the operation. When the endpoint already has this split (a retry after a crash), no
   * second PUT is sent: the operation already under way is followed instead.
   */
  async setTraffic(env: string, endpoint: string, traffic: Record<string, number>, mirror?: Record<string, number>): Promise<OnlineEndpointInfo> {
    const h = this.arm.workspace(env);
    const what = `updating the traffic of online endpoint ${endpoint}`;
    const url = this.endpointUrl(h, endpoint);
    const current = await rawArm(h, what, 'GET', url);
    const props = (current.body['properties'] ?? {}) as Record<string, unknown>;
    if (sameSplit(props['traffic'], traffic) && (mirror === undefined || sameSplit(props['mirrorTraffic'] ?? {}, mirror))) {
      return toOnlineEndpoint(h.env, (await followPut(h, what, current, url, this.lro)).body);
    }
    const body = putBody(current.body, traffic, mirror);
    const answer = await rawArm(h, what, 'PUT', url, body);
    return toOnlineEndpoint(h.env, (await followPut(h, what, answer, url, this.lro)).body);
  }

  private url(h: WorkspaceHandle, relative: string): string {
    return workspaceUrl(h, this.arm.endpoint, relative);
  }

  private endpointUrl(h: WorkspaceHandle, endpoint: string): string {
    return this.url(h, `onlineEndpoints/${encodeURIComponent(endpoint)}`);
  }
}

/** Deployments named with 0% count as absent: `{blue:100, green:0}` is the split `{blue:100}`. */
function sameSplit(current: unknown, wanted: Record<string, number>): boolean {
  const norm = (m: Record<string, unknown>) => Object.entries(m).filter(([, v]) => Number(v) !== 0).map(([k, v]) => `${k}=${Number(v)}`).sort().join(',');
  return typeof current === 'object' && current !== null && norm(current as Record<string, unknown>) === norm(wanted);
}

/** The writable part of the endpoint with the new split; read-only fields stay out of the PUT. */
function putBody(resource: Record<string, unknown>, traffic: Record<string, number>, mirror?: Record<string, number>): Record<string, unknown> {
  const props = { ...((resource['properties'] ?? {}) as Record<string, unknown>) };
  for (const readOnly of ['provisioningState', 'scoringUri', 'swaggerUri']) delete props[readOnly];
  if (mirror !== undefined) {
    props['mirrorTraffic'] = Object.fromEntries(Object.entries(mirror).filter(([, v]) => v > 0));
  } else if (props['mirrorTraffic'] && typeof props['mirrorTraffic'] === 'object') {
    // Azure refuses a deployment that takes live and mirrored traffic at once: the mirror to a
    // deployment that now gets live traffic is dropped with the switch.
    props['mirrorTraffic'] = Object.fromEntries(Object.entries(props['mirrorTraffic'] as Record<string, number>).filter(([d]) => !(Number(traffic[d] ?? 0) > 0)));
  }
  const out: Record<string, unknown> = { location: resource['location'], properties: { ...props, traffic } };
  for (const key of ['tags', 'kind', 'identity', 'sku']) if (resource[key] !== undefined) out[key] = resource[key];
  return out;
}

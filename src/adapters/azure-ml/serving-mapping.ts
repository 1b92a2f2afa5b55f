/** ARM endpoint and deployment payloads → the neutral serving shapes of the core. */
import type { BatchDeployment, BatchEndpoint, OnlineDeployment } from '@azure/arm-machinelearning';
import type {
  BatchDeploymentInfo, BatchEndpointInfo, OnlineDeploymentInfo, OnlineEndpointInfo, ProvisioningState,
} from '../../core/serving/types';
import { parseModelAssetId } from './asset-id';

export function provisioning(raw: unknown): { state: ProvisioningState; rawState?: string } {
  if (typeof raw !== 'string' || raw === '') return { state: 'unknown' };
  const s = raw.toLowerCase();
  const state: ProvisioningState = s === 'succeeded' ? 'succeeded'
    : s === 'failed' || s === 'canceled' ? 'failed'
      : ['creating', 'updating', 'deleting', 'scaling', 'provisioning'].includes(s) ? 'in_progress' : 'unknown';
  return { state, rawState: raw };
}

/** Percent maps as ARM sends them; anything that is not a finite number is left out. */
function percents(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const n = typeof v === 'number' ? v : Number(v);
    if (Number.isFinite(n)) out[k] = n;
  }
  return out;
}

/** A raw online endpoint (api-version 2024-04-01, which carries `mirrorTraffic`). */
export function toOnlineEndpoint(env: string, raw: Record<string, unknown>): OnlineEndpointInfo {
  const p = (raw['properties'] ?? {}) as Record<string, unknown>;
  return {
    env,
    name: String(raw['name'] ?? ''),
    traffic: percents(p['traffic']),
    mirrorTraffic: percents(p['mirrorTraffic']),
    ...provisioning(p['provisioningState']),
    ...(typeof p['scoringUri'] === 'string' ? { scoringUri: p['scoringUri'] } : {}),
    ...(typeof p['authMode'] === 'string' ? { authMode: p['authMode'] } : {}),
  };
}

export function toOnlineDeployment(env: string, endpoint: string, d: OnlineDeployment): OnlineDeploymentInfo {
  const p = d.properties ?? {};
  const model = parseModelAssetId(p.model);
  return {
    env, endpoint, name: d.name ?? '',
    ...(model ? { model } : {}),
    ...(p.model ? { modelAssetId: p.model } : {}),
    ...(p.instanceType ? { instanceType: p.instanceType } : {}),
    ...(typeof d.sku?.capacity === 'number' ? { instanceCount: d.sku.capacity } : {}),
    ...provisioning(p.provisioningState),
  };
}

export function toBatchEndpoint(env: string, e: BatchEndpoint): BatchEndpointInfo {
  const p = e.properties ?? {};
  return {
    env, name: e.name ?? '',
    ...(p.defaults?.deploymentName ? { defaultDeployment: p.defaults.deploymentName } : {}),
    ...provisioning(p.provisioningState),
    ...(p.scoringUri ? { scoringUri: p.scoringUri } : {}),
  };
}

export function toBatchDeployment(env: string, endpoint: string, d: BatchDeployment): BatchDeploymentInfo {
  const p = d.properties ?? {};
  // Only an `Id` reference names a registered model; data paths and output paths do not.
  const ref = p.model as { referenceType?: string; assetId?: string } | undefined;
  const assetId = ref?.referenceType === 'Id' ? ref.assetId : undefined;
  const model = parseModelAssetId(assetId);
  return {
    env, endpoint, name: d.name ?? '',
    ...(model ? { model } : {}),
    ...(assetId ? { modelAssetId: assetId } : {}),
    ...(p.compute ? { compute: p.compute } : {}),
    ...(typeof p.resources?.instanceCount === 'number' ? { instanceCount: p.resources.instanceCount } : {}),
    ...provisioning(p.provisioningState),
  };
}

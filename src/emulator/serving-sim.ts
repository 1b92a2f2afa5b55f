/**
 * What a deployment pipeline does to serving, as mlops-v2's blue/green online deployment leaves it:
 * the version being deployed goes to the idle deployment of each online endpoint that serves the
 * model (or to the deployment that already has it) with 100% of the traffic, the one that served
 * before stays at 0% for a rollback; the batch endpoint's default deployment gets the version too.
 */
import type { EmulatorContext } from './context';
import { isoAt } from './context';
import { touched } from './arm-common';
import { SEED_WORKSPACES } from './seed-ml';
import { recordTrafficChange } from './serving-history';
import type { ArmRecord, WorkspaceState } from './state';
import { workspaceKey } from './state';

const VERSION_OF = /\/models\/([^/]+)\/versions\/([^/]+)$/i;

export function servedBy(rec: ArmRecord | undefined, field: 'online' | 'batch'): { model: string; version: string } | undefined {
  const props = rec?.properties ?? {};
  const id = field === 'online' ? props['model'] : (props['model'] as { assetId?: unknown } | undefined)?.assetId;
  const m = typeof id === 'string' ? VERSION_OF.exec(id) : null;
  return m ? { model: m[1], version: m[2] } : undefined;
}

/** The model version's id in the dev workspace, where mlops-v2 registers models. */
export function modelAssetId(emu: EmulatorContext, model: string, version: string): string {
  const dev = SEED_WORKSPACES[0];
  return `/subscriptions/${emu.state.subscriptionId}/resourceGroups/${dev.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${dev.name}/models/${model}/versions/${version}`;
}

export function workspaceOfEnv(emu: EmulatorContext, env: string): WorkspaceState | undefined {
  const seeded = SEED_WORKSPACES.find((w) => w.env.toLowerCase() === env.toLowerCase());
  return seeded ? emu.state.workspaces[workspaceKey(seeded.resourceGroup, seeded.name)] : undefined;
}

/** The environment a pipeline stage deploys to: its approval environment, or `DeployProd` → prod. */
export function envOfStage(stage: { name: string; approvalEnvironment?: string }): string {
  return stage.approvalEnvironment ?? stage.name.replace(/^deploy[_-]?(to[_-]?)?/i, '').toLowerCase();
}

export function deployModel(emu: EmulatorContext, env: string, model: string | undefined, version: string | undefined, at: number): void {
  const ws = workspaceOfEnv(emu, env);
  if (!ws || !model || !version) return;
  const assetId = modelAssetId(emu, model, version);
  const when = isoAt(at);
  for (const [endpoint, deployments] of Object.entries(ws.onlineDeployments ?? {})) {
    const ep = ws.onlineEndpoints[endpoint];
    const entries = Object.entries(deployments);
    if (!ep || !entries.some(([, d]) => servedBy(d, 'online')?.model === model)) continue;
    const traffic = (ep.properties['traffic'] ?? {}) as Record<string, number>;
    const already = entries.find(([, d]) => servedBy(d, 'online')?.model === model && servedBy(d, 'online')?.version === version);
    // The idle one: least live traffic among those serving this model.
    const idle = entries.filter(([, d]) => servedBy(d, 'online')?.model === model).sort(([a], [b]) => (traffic[a] ?? 0) - (traffic[b] ?? 0))[0];
    const [target, rec] = already ?? idle;
    if (!already) {
      rec.properties = { ...rec.properties, model: assetId, provisioningState: 'Succeeded' };
      rec.systemData = touched(rec.systemData, when, 'Azure DevOps');
    }
    // The deployment that now takes the live traffic can no longer be mirrored to.
    const mirror = Object.fromEntries(Object.entries((ep.properties['mirrorTraffic'] ?? {}) as Record<string, number>).filter(([n]) => n !== target));
    const next = { ...ep.properties, traffic: Object.fromEntries(entries.map(([n]) => [n, n === target ? 100 : 0])), mirrorTraffic: mirror };
    recordTrafficChange(ws, endpoint, at, ep.properties, next);
    ep.properties = next;
    ep.systemData = touched(ep.systemData, when, 'Azure DevOps');
  }
  for (const [endpoint, ep] of Object.entries(ws.batchEndpoints)) {
    const name = (ep.properties['defaults'] as { deploymentName?: string } | undefined)?.deploymentName;
    const rec = name ? ws.batchDeployments[endpoint]?.[name] : undefined;
    if (!rec || servedBy(rec, 'batch')?.model !== model) continue;
    rec.properties = { ...rec.properties, model: { referenceType: 'Id', assetId } };
    rec.systemData = touched(rec.systemData, when, 'Azure DevOps');
  }
}

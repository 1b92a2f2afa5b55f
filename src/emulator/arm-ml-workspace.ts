/** The workspace resource itself, and the async-operation status route long-running PUTs point at. */
import { randomUUID } from 'node:crypto';
import { armError, armRoute, PROVIDER, WS_PATH } from './arm-common';
import type { EmulatorContext } from './context';
import { guidFrom } from './ids';
import { requireArmToken } from './identity';
import type { Ctx, Router } from './router';
import { sendJson } from './router';
import type { WorkspaceState } from './state';

/** Host:port of the TLS server as it was reached; the tracking URI follows the current port. */
export function trackingUri(emu: EmulatorContext, ws: WorkspaceState): string {
  const host = emu.armBase().replace(/^https:\/\//, '');
  return `azureml://${host}/mlflow/v1.0/subscriptions/${emu.state.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/${PROVIDER}/workspaces/${ws.name}`;
}

function workspaceView(emu: EmulatorContext, ws: WorkspaceState, wsId: string): Record<string, unknown> {
  const rgId = `/subscriptions/${emu.state.subscriptionId}/resourceGroups/${ws.resourceGroup}`;
  const short = ws.name.replace(/[^a-z0-9]/gi, '').slice(0, 16).toLowerCase();
  return {
    id: wsId, name: ws.name, type: `${PROVIDER}/workspaces`, location: ws.location, tags: {},
    identity: { type: 'SystemAssigned', principalId: guidFrom(`${ws.name}/identity`), tenantId: emu.state.tenantId },
    sku: { name: 'Basic', tier: 'Basic' },
    systemData: { createdAt: ws.createdAt, createdBy: 'mlops-admin@contoso.com', createdByType: 'User', lastModifiedAt: ws.createdAt, lastModifiedBy: 'mlops-admin@contoso.com', lastModifiedByType: 'User' },
    properties: {
      friendlyName: ws.name, description: `mlops-v2 ${ws.name.split('-').pop() ?? ''} workspace`,
      workspaceId: guidFrom(`${ws.name}/workspaceId`),
      storageAccount: `${rgId}/providers/Microsoft.Storage/storageAccounts/st${short}`,
      keyVault: `${rgId}/providers/Microsoft.KeyVault/vaults/kv-${short}`,
      applicationInsights: `${rgId}/providers/Microsoft.insights/components/mlw-${short}`,
      containerRegistry: `${rgId}/providers/Microsoft.ContainerRegistry/registries/cr${short}`,
      discoveryUrl: `${emu.armBase()}/discovery`,
      mlFlowTrackingUri: trackingUri(emu, ws),
      provisioningState: 'Succeeded', hbiWorkspace: false, publicNetworkAccess: 'Enabled',
      storageHnsEnabled: false, v1LegacyMode: false,
    },
  };
}

/** Records a finished operation and returns the `Azure-AsyncOperation` header for it. */
export function asyncOperationHeader(emu: EmulatorContext, ws: WorkspaceState): Record<string, string> {
  const id = randomUUID();
  emu.state.operations[id] = { status: 'Succeeded', createdAt: emu.clock.now().getTime() };
  const url = `${emu.armBase()}/subscriptions/${emu.state.subscriptionId}/providers/${PROVIDER}/locations/${ws.location}/mfeOperationsStatus/${id}?api-version=2022-10-01`;
  return { 'azure-asyncoperation': url };
}

function operationStatus(ctx: Ctx, emu: EmulatorContext): void {
  if (!requireArmToken(ctx, emu)) return;
  const id = ctx.params['opId'] ?? '';
  const op = emu.state.operations[id];
  if (!op) return armError(ctx, 404, 'NotFound', `Operation '${id}' was not found.`);
  sendJson(ctx.res, 200, { id: ctx.path, name: id, status: op.status, startTime: new Date(op.createdAt).toISOString(), endTime: new Date(op.createdAt).toISOString() });
}

export function registerWorkspaceRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', WS_PATH, armRoute(emu, (ctx, ws, wsId) => sendJson(ctx.res, 200, workspaceView(emu, ws, wsId))));
  router.add('GET', `/subscriptions/:sub/providers/${PROVIDER}/locations/:loc/mfeOperationsStatus/:opId`, (ctx) => operationStatus(ctx, emu));
}

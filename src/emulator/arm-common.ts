/** Shared pieces of the ARM routes: ids, envelopes, errors, api-version, workspace lookup, paging. */
import type { EmulatorContext } from './context';
import { requireArmToken } from './identity';
import type { Ctx, Handler } from './router';
import { queryParam, sendJson } from './router';
import type { ArmRecord, SystemData, WorkspaceState } from './state';
import { workspaceKey } from './state';

export const PROVIDER = 'Microsoft.MachineLearningServices';
export const WS_PATH = `/subscriptions/:sub/resourceGroups/:rg/providers/${PROVIDER}/workspaces/:ws`;
const PAGE_SIZE = 20;

export function armError(ctx: Ctx, status: number, code: string, message: string): void {
  sendJson(ctx.res, status, { error: { code, message } });
}

export function workspaceId(sub: string, ws: WorkspaceState): string {
  return `/subscriptions/${sub}/resourceGroups/${ws.resourceGroup}/providers/${PROVIDER}/workspaces/${ws.name}`;
}

/** Renders a stored record as an ARM resource at `parentId/segment/name`. */
export function envelope(parentId: string, segment: string, type: string, name: string, rec: ArmRecord): Record<string, unknown> {
  return {
    id: `${parentId}/${segment}/${name}`,
    name,
    type: `${PROVIDER}/${type}`,
    properties: rec.properties,
    systemData: rec.systemData,
    ...(rec.tags !== undefined ? { tags: rec.tags } : {}),
    ...(rec.location !== undefined ? { location: rec.location } : {}),
    ...(rec.kind !== undefined ? { kind: rec.kind } : {}),
    ...(rec.identity !== undefined ? { identity: rec.identity } : {}),
    ...(rec.sku !== undefined ? { sku: rec.sku } : {}),
  };
}

export function systemData(at: string, by = 'MLOps emulator'): SystemData {
  return { createdAt: at, createdBy: by, createdByType: 'User', lastModifiedAt: at, lastModifiedBy: by, lastModifiedByType: 'User' };
}

export function touched(data: SystemData, at: string, by = 'MLOps emulator'): SystemData {
  return { ...data, lastModifiedAt: at, lastModifiedBy: by, lastModifiedByType: 'Application' };
}

/**
 * Wraps an ARM handler: token, api-version, subscription and workspace checks. The handler gets
 * the workspace (when the route names one) and the workspace's ARM id.
 */
export function armRoute(
  emu: EmulatorContext,
  handler: (ctx: Ctx, ws: WorkspaceState, wsId: string) => void | Promise<void>,
  opts: { apiVersion: boolean } = { apiVersion: true },
): Handler {
  return async (ctx) => {
    if (!requireArmToken(ctx, emu)) return;
    if (opts.apiVersion && !queryParam(ctx.query, 'api-version')) {
      armError(ctx, 400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
      return;
    }
    const sub = ctx.params['sub'] ?? '';
    if (sub.toLowerCase() !== emu.state.subscriptionId.toLowerCase()) {
      armError(ctx, 404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
      return;
    }
    const rg = ctx.params['rg'] ?? '';
    const wsName = ctx.params['ws'] ?? '';
    const ws = emu.state.workspaces[workspaceKey(rg, wsName)];
    if (!ws) {
      const rgExists = Object.values(emu.state.workspaces).some((w) => w.resourceGroup.toLowerCase() === rg.toLowerCase());
      if (!rgExists) armError(ctx, 404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
      else armError(ctx, 404, 'ResourceNotFound', `The Resource '${PROVIDER}/workspaces/${wsName}' under resource group '${rg}' was not found.`);
      return;
    }
    await handler(ctx, ws, workspaceId(emu.state.subscriptionId, ws));
  };
}

export function notFound(ctx: Ctx, kind: string, name: string): void {
  armError(ctx, 404, 'UserError', `${kind} '${name}' was not found in this workspace.`);
}

/**
 * One page of `items` with a `nextLink` carrying `$skip` (the continuation token Azure ML's lists
 * declare; here an offset) and the original query.
 * `$top` sets the page size, as the service does; callers that want only N stop iterating. Model
 * containers take the size as `count` ("maximum number of results to return"), up to `maxSize`.
 */
export function sendPage(ctx: Ctx, emu: EmulatorContext, items: unknown[], paging: { sizeParam: string; maxSize: number } = { sizeParam: '$top', maxSize: PAGE_SIZE }): void {
  const token = queryParam(ctx.query, '$skipToken') ?? queryParam(ctx.query, '$skip');
  const offset = token && /^\d+$/.test(token) ? Number(token) : 0;
  const top = Number(queryParam(ctx.query, paging.sizeParam));
  const size = Number.isInteger(top) && top > 0 ? Math.min(top, paging.maxSize) : PAGE_SIZE;
  const page = items.slice(offset, offset + size);
  const body: Record<string, unknown> = { value: page };
  if (offset + size < items.length) {
    // Keys keep their literal `$` so a client re-appending `$top` overwrites rather than duplicates.
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const [key, value] of ctx.query) {
      const lower = key.toLowerCase();
      if (lower === '$skiptoken' || lower === '$skip' || seen.has(lower)) continue;
      seen.add(lower);
      parts.push(`${key}=${encodeURIComponent(value)}`);
    }
    parts.push(`$skip=${offset + size}`);
    body['nextLink'] = `${emu.armBase()}${ctx.path}?${parts.join('&')}`;
  }
  sendJson(ctx.res, 200, body);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value))) {
    if (v !== null && v !== undefined) out[k] = String(v);
  }
  return out;
}

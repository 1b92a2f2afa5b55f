/** Batch endpoints (+ deployments) and online endpoints (+ deployments; traffic is changed by a whole-object PUT). */
import { armError, armRoute, asRecord, envelope, notFound, sendPage, touched, WS_PATH } from './arm-common';
import { asyncOperationHeader } from './arm-ml-workspace';
import { recordTrafficChange } from './serving-history';
import type { EmulatorContext } from './context';
import type { Ctx, Router } from './router';
import { queryParam, sendJson } from './router';
import type { ArmRecord, WorkspaceState } from './state';

/** Scoring URIs point back at the emulator, so an invoke reaches it like the real data plane. */
function batchView(emu: EmulatorContext, ws: WorkspaceState, name: string, rec: ArmRecord): ArmRecord {
  const scoringUri = `${emu.armBase()}/inference/${ws.name}/batchEndpoints/${name}/jobs`;
  return { ...rec, properties: { ...rec.properties, scoringUri, swaggerUri: `${scoringUri}/swagger.json` } };
}

/** The first stable api-version whose online endpoints have `mirrorTraffic` (2022-10-01 has none). */
const MIRROR_TRAFFIC_SINCE = '2024-04-01';

/** An online endpoint as the asked api-version describes it: older versions answer no `mirrorTraffic`. */
function onlineView(emu: EmulatorContext, ws: WorkspaceState, name: string, rec: ArmRecord, ctx: Ctx): ArmRecord {
  const scoringUri = `${emu.armBase()}/inference/${ws.name}/onlineEndpoints/${name}/score`;
  const { mirrorTraffic, ...props } = rec.properties;
  const withMirror = (queryParam(ctx.query, 'api-version') ?? '') >= MIRROR_TRAFFIC_SINCE;
  return { ...rec, properties: { ...props, ...(withMirror && mirrorTraffic !== undefined ? { mirrorTraffic } : {}), scoringUri, swaggerUri: `${scoringUri}/swagger.json` } };
}

function putOnline(ctx: Ctx, emu: EmulatorContext, ws: WorkspaceState, wsId: string): void {
  const name = ctx.params['name'] ?? '';
  const body = asRecord(ctx.body);
  const props = asRecord(body['properties']);
  if (typeof body['location'] !== 'string' || !props['authMode']) {
    return armError(ctx, 400, 'UserError', 'location and properties.authMode are required.');
  }
  const traffic = asRecord(props['traffic']);
  const values = Object.values(traffic);
  if (values.some((v) => !Number.isInteger(v) || (v as number) < 0)) return armError(ctx, 400, 'UserError', 'Traffic values must be non-negative integers.');
  const total = values.reduce<number>((sum, v) => sum + (v as number), 0);
  const known = ws.onlineDeployments?.[name] ?? {};
  const missing = Object.entries(traffic).filter(([d, v]) => (v as number) > 0 && !known[d]).map(([d]) => d);
  if (missing.length) return armError(ctx, 400, 'UserError', `Traffic names deployments that do not exist on endpoint ${name}: ${missing.join(', ')}.`);
  if (values.length && total !== 100 && total !== 0) return armError(ctx, 400, 'UserError', `Traffic must add up to 0 or 100, not ${total}.`);
  const mirrorProblem = mirrorError(asRecord(props['mirrorTraffic']), traffic, known);
  if (mirrorProblem) return armError(ctx, 400, 'UserError', mirrorProblem);
  const existing = ws.onlineEndpoints[name];
  const now = emu.clock.now().toISOString();
  const rec: ArmRecord = {
    ...(existing ?? {}),
    properties: { ...(existing?.properties ?? {}), ...props, provisioningState: 'Succeeded' },
    systemData: existing ? touched(existing.systemData, now) : { createdAt: now, createdBy: 'mlops-bot', createdByType: 'Application', lastModifiedAt: now, lastModifiedBy: 'mlops-bot', lastModifiedByType: 'Application' },
    location: body['location'],
    tags: (body['tags'] as Record<string, string> | undefined) ?? existing?.tags ?? {},
  };
  recordTrafficChange(ws, name, emu.clock.now().getTime(), existing?.properties, rec.properties);
  ws.onlineEndpoints[name] = rec;
  const headers = asyncOperationHeader(emu, ws);
  emu.persist();
  const inFlight = { ...rec, properties: { ...rec.properties, provisioningState: existing ? 'Updating' : 'Creating' } };
  sendJson(ctx.res, existing ? 200 : 201, envelope(wsId, 'onlineEndpoints', 'workspaces/onlineEndpoints', name, onlineView(emu, ws, name, inFlight, ctx)), headers);
}

/** Azure's rules for mirrored traffic: at most 50% in all, to deployments that exist and take no live traffic. */
function mirrorError(mirror: Record<string, unknown>, traffic: Record<string, unknown>, known: Record<string, unknown>): string | undefined {
  const entries = Object.entries(mirror).filter(([, v]) => v !== 0);
  if (entries.some(([, v]) => !Number.isInteger(v) || (v as number) < 0)) return 'Mirror traffic values must be non-negative integers.';
  const total = entries.reduce((sum, [, v]) => sum + (v as number), 0);
  if (total > 50) return `Mirror traffic must add up to at most 50, not ${total}.`;
  const missing = entries.filter(([d]) => !known[d]).map(([d]) => d);
  if (missing.length) return `Mirror traffic names deployments that do not exist: ${missing.join(', ')}.`;
  const live = entries.filter(([d]) => Number(traffic[d] ?? 0) > 0).map(([d]) => d);
  if (live.length) return `A deployment cannot take live and mirrored traffic at once: ${live.join(', ')}.`;
  return undefined;
}

export function registerEndpointRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', `${WS_PATH}/batchEndpoints`, armRoute(emu, (ctx, ws, wsId) => {
    sendPage(ctx, emu, Object.entries(ws.batchEndpoints).map(([n, e]) => envelope(wsId, 'batchEndpoints', 'workspaces/batchEndpoints', n, batchView(emu, ws, n, e))));
  }));
  router.add('GET', `${WS_PATH}/batchEndpoints/:name`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    const e = ws.batchEndpoints[name];
    if (!e) return notFound(ctx, 'Batch endpoint', name);
    sendJson(ctx.res, 200, envelope(wsId, 'batchEndpoints', 'workspaces/batchEndpoints', name, batchView(emu, ws, name, e)));
  }));
  router.add('GET', `${WS_PATH}/batchEndpoints/:name/deployments`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    if (!ws.batchEndpoints[name]) return notFound(ctx, 'Batch endpoint', name);
    const parent = `${wsId}/batchEndpoints/${name}`;
    sendPage(ctx, emu, Object.entries(ws.batchDeployments[name] ?? {}).map(([d, rec]) => envelope(parent, 'deployments', 'workspaces/batchEndpoints/deployments', d, rec)));
  }));
  router.add('GET', `${WS_PATH}/batchEndpoints/:name/deployments/:deployment`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    const deployment = ctx.params['deployment'] ?? '';
    const rec = ws.batchDeployments[name]?.[deployment];
    if (!rec) return notFound(ctx, 'Batch deployment', `${name}/${deployment}`);
    sendJson(ctx.res, 200, envelope(`${wsId}/batchEndpoints/${name}`, 'deployments', 'workspaces/batchEndpoints/deployments', deployment, rec));
  }));
  router.add('GET', `${WS_PATH}/onlineEndpoints`, armRoute(emu, (ctx, ws, wsId) => {
    sendPage(ctx, emu, Object.entries(ws.onlineEndpoints).map(([n, e]) => envelope(wsId, 'onlineEndpoints', 'workspaces/onlineEndpoints', n, onlineView(emu, ws, n, e, ctx))));
  }));
  router.add('GET', `${WS_PATH}/onlineEndpoints/:name`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    const e = ws.onlineEndpoints[name];
    if (!e) return notFound(ctx, 'Online endpoint', name);
    sendJson(ctx.res, 200, envelope(wsId, 'onlineEndpoints', 'workspaces/onlineEndpoints', name, onlineView(emu, ws, name, e, ctx)));
  }));
  router.add('GET', `${WS_PATH}/onlineEndpoints/:name/deployments`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    if (!ws.onlineEndpoints[name]) return notFound(ctx, 'Online endpoint', name);
    const parent = `${wsId}/onlineEndpoints/${name}`;
    sendPage(ctx, emu, Object.entries(ws.onlineDeployments?.[name] ?? {}).map(([d, rec]) => envelope(parent, 'deployments', 'workspaces/onlineEndpoints/deployments', d, rec)));
  }));
  router.add('GET', `${WS_PATH}/onlineEndpoints/:name/deployments/:deployment`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    const deployment = ctx.params['deployment'] ?? '';
    const rec = ws.onlineDeployments?.[name]?.[deployment];
    if (!rec) return notFound(ctx, 'Online deployment', `${name}/${deployment}`);
    sendJson(ctx.res, 200, envelope(`${wsId}/onlineEndpoints/${name}`, 'deployments', 'workspaces/onlineEndpoints/deployments', deployment, rec));
  }));
  router.add('PUT', `${WS_PATH}/onlineEndpoints/:name`, armRoute(emu, (ctx, ws, wsId) => putOnline(ctx, emu, ws, wsId)));
}

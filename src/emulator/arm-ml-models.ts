/** Model containers and versions of a workspace (`/workspaces/{ws}/models[/{name}/versions[/{v}]]`). */
import { armError, armRoute, asRecord, envelope, notFound, sendPage, stringMap, systemData, touched, WS_PATH } from './arm-common';
import type { EmulatorContext } from './context';
import { modelRegisteredEvent } from './events';
import type { Ctx, Router } from './router';
import { queryParam, sendJson } from './router';
import type { ArmRecord, ModelState, WorkspaceState } from './state';

function versionOrder(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a.localeCompare(b);
}

function containerView(model: ModelState): ArmRecord {
  const versions = Object.keys(model.versions).sort(versionOrder);
  const latest = versions[versions.length - 1];
  const props: Record<string, unknown> = { isArchived: false, ...model.container.properties };
  if (latest !== undefined) {
    props['latestVersion'] = latest;
    const n = Number(latest);
    props['nextVersion'] = Number.isInteger(n) ? String(n + 1) : undefined;
  }
  return { ...model.container, properties: props };
}

function versionView(rec: ArmRecord): ArmRecord {
  return { ...rec, properties: { isAnonymous: false, isArchived: false, ...rec.properties } };
}

function archivedMatches(ctx: Ctx, archived: boolean): boolean {
  const view = (queryParam(ctx.query, 'listViewType') ?? 'ActiveOnly').toLowerCase();
  if (view === 'all') return true;
  return view === 'archivedonly' ? archived : !archived;
}

/** `tags=k1,k2=v2`: each key must exist, and equal the value when one is given. */
function matchesPairs(filter: string | undefined, actual: Record<string, unknown>): boolean {
  if (!filter) return true;
  return filter.split(',').map((s) => s.trim()).filter(Boolean).every((pair) => {
    const eq = pair.indexOf('=');
    if (eq < 0) return pair in actual;
    return String(actual[pair.slice(0, eq)] ?? '\u0000') === pair.slice(eq + 1);
  });
}

function listVersions(ctx: Ctx, model: ModelState): [string, ArmRecord][] {
  const wantedVersion = queryParam(ctx.query, 'version');
  const rows = Object.entries(model.versions).filter(([version, rec]) =>
    (wantedVersion === undefined || wantedVersion === version)
    && archivedMatches(ctx, rec.properties['isArchived'] === true)
    && matchesPairs(queryParam(ctx.query, 'tags'), asRecord(rec.properties['tags']))
    && matchesPairs(queryParam(ctx.query, 'properties'), asRecord(rec.properties['properties'])));
  const orderBy = (queryParam(ctx.query, '$orderBy') ?? 'createdtime desc').toLowerCase();
  const ascending = /\basc\b/.test(orderBy);
  rows.sort(([va, a], [vb, b]) => {
    const byTime = a.systemData.createdAt.localeCompare(b.systemData.createdAt) || versionOrder(va, vb);
    return ascending ? byTime : -byTime;
  });
  return rows;
}

function putVersion(ctx: Ctx, emu: EmulatorContext, ws: WorkspaceState, wsId: string): void {
  const name = ctx.params['name'] ?? '';
  const version = ctx.params['version'] ?? '';
  const body = asRecord(ctx.body);
  const props = asRecord(body['properties']);
  if (!ctx.body || !body['properties']) {
    armError(ctx, 400, 'UserError', 'The request body must carry a properties object.');
    return;
  }
  const now = emu.clock.now().toISOString();
  let model = ws.models[name];
  if (!model) {
    model = { container: { properties: { description: '', tags: {}, properties: {} }, systemData: systemData(now) }, versions: {} };
    ws.models[name] = model;
  }
  const existing = model.versions[version];
  const merged: Record<string, unknown> = { ...(existing?.properties ?? {}), ...props };
  if (props['tags'] !== undefined) merged['tags'] = stringMap(props['tags']);
  const rec: ArmRecord = { properties: merged, systemData: existing ? touched(existing.systemData, now) : systemData(now) };
  model.versions[version] = rec;
  emu.persist();
  if (!existing) emu.emit(modelRegisteredEvent(emu, ws, name, version, stringMap(merged['tags'])));
  sendJson(ctx.res, existing ? 200 : 201, envelope(`${wsId}/models/${name}`, 'versions', 'workspaces/models/versions', version, versionView(rec)));
}

export function registerModelRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', `${WS_PATH}/models`, armRoute(emu, (ctx, ws, wsId) => {
    const items = Object.entries(ws.models)
      .filter(([, m]) => archivedMatches(ctx, m.container.properties['isArchived'] === true))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, m]) => envelope(wsId, 'models', 'workspaces/models', name, containerView(m)));
    sendPage(ctx, emu, items, { sizeParam: 'count', maxSize: 100 });
  }));
  router.add('GET', `${WS_PATH}/models/:name`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    const model = ws.models[name];
    if (!model) return notFound(ctx, 'Model container', name);
    sendJson(ctx.res, 200, envelope(wsId, 'models', 'workspaces/models', name, containerView(model)));
  }));
  router.add('GET', `${WS_PATH}/models/:name/versions`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    const model = ws.models[name];
    if (!model) return notFound(ctx, 'Model container', name);
    const items = listVersions(ctx, model)
      .map(([v, rec]) => envelope(`${wsId}/models/${name}`, 'versions', 'workspaces/models/versions', v, versionView(rec)));
    sendPage(ctx, emu, items);
  }));
  router.add('GET', `${WS_PATH}/models/:name/versions/:version`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    const version = ctx.params['version'] ?? '';
    const rec = ws.models[name]?.versions[version];
    if (!rec) return notFound(ctx, 'Model version', `${name}:${version}`);
    sendJson(ctx.res, 200, envelope(`${wsId}/models/${name}`, 'versions', 'workspaces/models/versions', version, versionView(rec)));
  }));
  router.add('PUT', `${WS_PATH}/models/:name/versions/:version`, armRoute(emu, (ctx, ws, wsId) => putVersion(ctx, emu, ws, wsId)));
}

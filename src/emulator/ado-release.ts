/** Classic release routes: definitions, releases, release environments. Approvals: ado-release-approvals.ts. */
import { adoError, adoRoute, collection, DEFINITION_EXPANDS, ENV_STATUS, enumName, flagNames, RELEASE_EXPANDS } from './ado-common';
import { definitionView, environmentView, findDefinition, releaseRef, releaseView } from './ado-release-views';
import type { ReleaseRec } from './ado-types';
import { asRecord } from './arm-common';
import type { EmulatorContext } from './context';
import { isoAt } from './context';
import { cancelEnvironment, startEnvironment, stepRelease } from './release-sim';
import type { Ctx, Router } from './router';
import { queryParam, sendJson } from './router';

const AREA = '/:org/:project/_apis/Release';

function createRelease(ctx: Ctx, emu: EmulatorContext): void {
  const body = asRecord(ctx.body);
  const def = findDefinition(emu, Number(body['definitionId']));
  if (!def) {
    adoError(ctx, 404, 'ReleaseDefinitionNotFoundException', `VS402881: No release pipeline found with id '${String(body['definitionId'])}'. Specify a valid id and try again.`);
    return;
  }
  const variables: ReleaseRec['variables'] = {};
  for (const [k, v] of Object.entries(def.variables)) variables[k] = { value: v.value };
  const unknown: string[] = [];
  for (const [name, raw] of Object.entries(asRecord(body['variables']))) {
    const declared = Object.keys(def.variables).find((k) => k.toLowerCase() === name.toLowerCase());
    if (!declared || !def.variables[declared]?.allowOverride) { unknown.push(name); continue; }
    const v = asRecord(raw);
    variables[declared] = { value: String(v['value'] ?? ''), ...(v['isSecret'] ? { isSecret: true } : {}) };
  }
  if (unknown.length) {
    adoError(ctx, 400, 'InvalidRequestException', `Variable(s) ${unknown.join(', ')} do not exist in the release pipeline at scope: Release. Add the variable(s) to the pipeline and try again, or make them settable at release time.`);
    return;
  }
  const manual = new Set((Array.isArray(body['manualEnvironments']) ? body['manualEnvironments'] as unknown[] : []).map((n) => String(n).toLowerCase()));
  const ado = emu.state.ado;
  const now = emu.clock.now().getTime();
  ado.counters.release += 1;
  const id = ado.counters.release;
  const rel: ReleaseRec = {
    id, name: `Release-${id}`, definitionId: def.id, description: String(body['description'] ?? ''),
    reason: typeof body['reason'] === 'string' && body['reason'] !== 'none' ? body['reason'] : 'manual',
    status: 'active', createdOn: isoAt(now), modifiedOn: isoAt(now), createdBy: ado.botIdentity, variables,
    artifacts: Array.isArray(body['artifacts']) ? body['artifacts'] : [],
    environments: def.environments.map((e) => {
      ado.counters.releaseEnvironment += 1;
      const previous = def.environments.find((p) => p.rank === e.rank - 1);
      return {
        id: ado.counters.releaseEnvironment, definitionEnvironmentId: e.id, name: e.name, rank: e.rank, status: 'notStarted' as const,
        manual: manual.has(e.name.toLowerCase()), modifiedOn: isoAt(now),
        triggerReason: previous ? `After successful deployment of ${previous.name}` : 'Manual',
      };
    }),
  };
  ado.releases.push(rel);
  stepRelease(emu, rel, now);
  emu.persist();
  sendJson(ctx.res, 200, releaseView(emu, rel));
}

function listReleases(ctx: Ctx, emu: EmulatorContext): void {
  const definitionId = queryParam(ctx.query, 'definitionId');
  const ids = queryParam(ctx.query, 'releaseIdFilter')?.split(',').map(Number);
  const search = queryParam(ctx.query, 'searchText')?.toLowerCase();
  const ascending = enumName(queryParam(ctx.query, 'queryOrder'), { 0: 'descending', 1: 'ascending' }) === 'ascending';
  let rows = emu.state.ado.releases.filter((r) => (!definitionId || r.definitionId === Number(definitionId))
    && (!ids || ids.includes(r.id)) && (!search || r.name.toLowerCase().includes(search)));
  rows = rows.sort((a, b) => (ascending ? a.id - b.id : b.id - a.id));
  const token = Number(queryParam(ctx.query, 'continuationToken') ?? 0);
  if (token > 0) rows = rows.filter((r) => (ascending ? r.id >= token : r.id <= token));
  const top = Number(queryParam(ctx.query, '$top') ?? 50) || 50;
  const page = rows.slice(0, top);
  const expand = flagNames(queryParam(ctx.query, '$expand'), RELEASE_EXPANDS);
  const headers: Record<string, string> = rows.length > top ? { 'x-ms-continuationtoken': String(rows[top]?.id) } : {};
  sendJson(ctx.res, 200, collection(page.map((r) => releaseView(emu, r, {
    environments: expand.has('environments'), variables: expand.has('variables'), artifacts: expand.has('artifacts'),
  }))), headers);
}

function findRelease(ctx: Ctx, emu: EmulatorContext): ReleaseRec | undefined {
  const id = Number(ctx.params['releaseId']);
  const rel = emu.state.ado.releases.find((r) => r.id === id);
  if (!rel) adoError(ctx, 404, 'ReleaseNotFoundException', `VS402852: A release with id ${ctx.params['releaseId'] ?? ''} does not exist.`);
  return rel;
}

function updateEnvironment(ctx: Ctx, emu: EmulatorContext): void {
  const rel = findRelease(ctx, emu);
  if (!rel) return;
  const env = rel.environments.find((e) => e.id === Number(ctx.params['environmentId']));
  if (!env) {
    adoError(ctx, 404, 'ReleaseEnvironmentNotFoundException', `Environment ${ctx.params['environmentId'] ?? ''} does not exist in release ${rel.id}.`);
    return;
  }
  const status = enumName(asRecord(ctx.body)['status'], ENV_STATUS);
  const now = emu.clock.now().getTime();
  if (status === 'inProgress') {
    if (env.status === 'inProgress' || env.status === 'queued') {
      adoError(ctx, 400, 'InvalidRequestException', `VS402917: Deployment of release ${rel.name} on stage ${env.name} is already in progress.`);
      return;
    }
    startEnvironment(emu, rel, env, now);
  } else if (status === 'canceled') {
    if (env.status !== 'inProgress' && env.status !== 'queued') {
      adoError(ctx, 400, 'InvalidRequestException', `VS402918: Stage ${env.name} is not being deployed and cannot be canceled.`);
      return;
    }
    cancelEnvironment(emu, rel, env, now);
  } else {
    adoError(ctx, 400, 'InvalidRequestException', 'Only inProgress (deploy) and canceled are supported status values.');
    return;
  }
  stepRelease(emu, rel, now);
  emu.persist();
  sendJson(ctx.res, 200, environmentView(emu, rel, env));
}

export function registerReleaseRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', `${AREA}/definitions`, adoRoute(emu, (ctx) => {
    const search = queryParam(ctx.query, 'searchText')?.toLowerCase();
    const exact = queryParam(ctx.query, 'isExactNameMatch') === 'true';
    const ids = queryParam(ctx.query, 'definitionIdFilter')?.split(',').map(Number);
    const lastRelease = flagNames(queryParam(ctx.query, '$expand'), DEFINITION_EXPANDS).has('lastrelease');
    const defs = emu.state.ado.definitions.filter((d) => (!ids || ids.includes(d.id)) && (!search
      || (exact ? d.name.toLowerCase() === search : d.name.toLowerCase().includes(search))));
    sendJson(ctx.res, 200, collection(defs.map((d) => {
      const view = definitionView(emu, d);
      if (!lastRelease) return view;
      // The newest release of the definition (by id, as the service numbers them), when there is one.
      const last = emu.state.ado.releases.reduce<ReleaseRec | undefined>((m, r) => (r.definitionId === d.id && (!m || r.id > m.id) ? r : m), undefined);
      return last ? { ...view, lastRelease: { ...releaseRef(emu, last), createdOn: last.createdOn } } : view;
    })));
  }));
  router.add('GET', `${AREA}/definitions/:definitionId`, adoRoute(emu, (ctx) => {
    const def = findDefinition(emu, Number(ctx.params['definitionId']));
    if (!def) return adoError(ctx, 404, 'ReleaseDefinitionNotFoundException', `VS402881: No release pipeline found with id '${ctx.params['definitionId'] ?? ''}'.`);
    sendJson(ctx.res, 200, definitionView(emu, def));
  }));
  router.add('POST', `${AREA}/releases`, adoRoute(emu, (ctx) => createRelease(ctx, emu)));
  router.add('GET', `${AREA}/releases`, adoRoute(emu, (ctx) => listReleases(ctx, emu)));
  router.add('GET', `${AREA}/releases/:releaseId`, adoRoute(emu, (ctx) => {
    const rel = findRelease(ctx, emu);
    if (rel) sendJson(ctx.res, 200, releaseView(emu, rel));
  }));
  router.add('GET', `${AREA}/releases/:releaseId/environments/:environmentId`, adoRoute(emu, (ctx) => {
    const rel = findRelease(ctx, emu);
    const env = rel?.environments.find((e) => e.id === Number(ctx.params['environmentId']));
    if (rel && !env) return adoError(ctx, 404, 'ReleaseEnvironmentNotFoundException', `Environment ${ctx.params['environmentId'] ?? ''} does not exist in release ${rel.id}.`);
    if (rel && env) sendJson(ctx.res, 200, environmentView(emu, rel, env));
  }));
  router.add('PATCH', `${AREA}/releases/:releaseId/environments/:environmentId`, adoRoute(emu, (ctx) => updateEnvironment(ctx, emu)));
}

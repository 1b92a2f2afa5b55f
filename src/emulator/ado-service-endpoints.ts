/**
 * Azure DevOps service endpoints (AzureRM) and environments, as azure-devops-node-api 17.x calls
 * them: create at organization level with project references, list by names per project, details
 * by id; environments listed by name and added per project. A workload identity federation
 * connection answers with its issuer and subject; a client secret is accepted and never returned.
 */
import { adoError, adoRoute, collection, identityRef } from './ado-common';
import type { EmulatorContext } from './context';
import { entraState, type ServiceEndpointRec } from './entra-state';
import { guidFrom } from './ids';
import type { Ctx, Router } from './router';
import { isRecord, queryParam, sendJson } from './router';

const SECRET_PARAMS = ['serviceprincipalkey', 'servicePrincipalKey', 'password', 'apitoken'];

function endpointView(emu: EmulatorContext, e: ServiceEndpointRec): Record<string, unknown> {
  const { project } = emu.state.ado;
  const parameters: Record<string, string | null> = { ...e.parameters };
  if (e.scheme === 'ServicePrincipal') parameters['serviceprincipalkey'] = null;
  return {
    id: e.id, name: e.name, type: e.type, url: e.url, owner: e.owner, description: e.description, data: e.data,
    authorization: { scheme: e.scheme, parameters },
    isShared: false, isReady: true, operationStatus: { state: 'Ready', statusMessage: '' },
    createdBy: identityRef(emu, emu.state.ado.botIdentity),
    serviceEndpointProjectReferences: e.projectIds.map((id) => ({ projectReference: { id, name: id === project.id ? project.name : id }, name: e.name, description: e.description })),
  };
}

function createEndpoint(emu: EmulatorContext, ctx: Ctx): void {
  const b = isRecord(ctx.body) ? ctx.body : {};
  const auth = isRecord(b['authorization']) ? b['authorization'] : {};
  const refs = Array.isArray(b['serviceEndpointProjectReferences']) ? b['serviceEndpointProjectReferences'] as unknown[] : [];
  const projectIds = refs.map((r) => (isRecord(r) && isRecord(r['projectReference']) ? String(r['projectReference']['id'] ?? '') : ''));
  const { project, organization } = emu.state.ado;
  if (typeof b['name'] !== 'string' || b['name'] === '' || typeof b['type'] !== 'string') return adoError(ctx, 400, 'ArgumentException', 'name and type are required.');
  if (projectIds.length === 0 || projectIds.some((id) => id.toLowerCase() !== project.id.toLowerCase())) {
    return adoError(ctx, 400, 'ArgumentException', 'serviceEndpointProjectReferences must name this organization\'s project by id.');
  }
  const state = entraState(emu);
  if (state.serviceEndpoints.some((e) => e.name.toLowerCase() === String(b['name']).toLowerCase())) {
    return adoError(ctx, 409, 'DuplicateServiceConnectionException', `A service connection with name ${String(b['name'])} already exists.`);
  }
  const scheme = String(auth['scheme'] ?? '');
  const parameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(isRecord(auth['parameters']) ? auth['parameters'] : {})) {
    if (!SECRET_PARAMS.includes(k) && v !== null && v !== undefined) parameters[k] = String(v);
  }
  if (scheme === 'WorkloadIdentityFederation') {
    parameters['workloadIdentityFederationIssuer'] = `https://vstoken.dev.azure.com/${guidFrom(`org:${organization}`)}`;
    parameters['workloadIdentityFederationSubject'] = `sc://${organization}/${project.name}/${String(b['name'])}`;
  } else if (scheme === 'ServicePrincipal' && !(isRecord(auth['parameters']) && auth['parameters']['serviceprincipalkey'])) {
    return adoError(ctx, 400, 'ArgumentException', 'A ServicePrincipal connection needs serviceprincipalkey.');
  }
  const rec: ServiceEndpointRec = {
    id: guidFrom(`endpoint:${String(b['name'])}:${emu.clock.now().toISOString()}`), name: String(b['name']), type: String(b['type']),
    url: String(b['url'] ?? ''), owner: String(b['owner'] ?? 'library'), description: String(b['description'] ?? ''),
    data: Object.fromEntries(Object.entries(isRecord(b['data']) ? b['data'] : {}).map(([k, v]) => [k, String(v)])),
    scheme, parameters, projectIds: [project.id], createdOn: emu.clock.now().toISOString(),
  };
  state.serviceEndpoints.push(rec);
  emu.persist();
  sendJson(ctx.res, 200, endpointView(emu, rec));
}

function environmentView(emu: EmulatorContext, e: { id: number; name: string; description: string; createdOn: string }): Record<string, unknown> {
  const who = identityRef(emu, emu.state.ado.botIdentity);
  const { id, name } = emu.state.ado.project;
  return { ...e, createdBy: who, lastModifiedBy: who, lastModifiedOn: e.createdOn, project: { id, name } };
}

export function registerServiceEndpointRoutes(router: Router, emu: EmulatorContext): void {
  const state = () => entraState(emu);
  router.add('POST', '/:org/_apis/serviceendpoint/endpoints', adoRoute(emu, (ctx) => createEndpoint(emu, ctx)));
  router.add('GET', '/:org/:project/_apis/serviceendpoint/endpoints', adoRoute(emu, (ctx) => {
    const names = (queryParam(ctx.query, 'endpointNames') ?? '').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
    const found = state().serviceEndpoints.filter((e) => names.length === 0 || names.includes(e.name.toLowerCase()));
    sendJson(ctx.res, 200, collection(found.map((e) => endpointView(emu, e))));
  }));
  router.add('GET', '/:org/:project/_apis/serviceendpoint/endpoints/:endpointId', adoRoute(emu, (ctx) => {
    const e = state().serviceEndpoints.find((x) => x.id === ctx.params['endpointId']);
    // The SDK resolves a 404 to null, as for any missing resource.
    if (!e) return adoError(ctx, 404, 'ServiceEndpointNotFoundException', `Service connection ${ctx.params['endpointId']} was not found.`);
    sendJson(ctx.res, 200, endpointView(emu, e));
  }));
  router.add('GET', '/:org/:project/_apis/distributedtask/environments', adoRoute(emu, (ctx) => {
    const name = queryParam(ctx.query, 'name')?.toLowerCase();
    const found = state().environments.filter((e) => name === undefined || e.name.toLowerCase() === name);
    sendJson(ctx.res, 200, collection(found.map((e) => environmentView(emu, e))));
  }));
  router.add('POST', '/:org/:project/_apis/distributedtask/environments', adoRoute(emu, (ctx) => {
    const b = isRecord(ctx.body) ? ctx.body : {};
    const name = typeof b['name'] === 'string' ? b['name'].trim() : '';
    if (!name) return adoError(ctx, 400, 'ArgumentException', 'name is required.');
    const envs = state().environments;
    if (envs.some((e) => e.name.toLowerCase() === name.toLowerCase())) return adoError(ctx, 409, 'EnvironmentExistsException', `Environment '${name}' already exists.`);
    const rec = { id: envs.reduce((m, e) => Math.max(m, e.id), 0) + 1, name, description: String(b['description'] ?? ''), createdOn: emu.clock.now().toISOString() };
    envs.push(rec);
    emu.persist();
    sendJson(ctx.res, 200, environmentView(emu, rec));
  }));
}

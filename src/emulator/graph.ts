/**
 * Microsoft Graph v1.0, the part the bot uses to make service principals: applications (find by
 * display name, create), service principals (by appId), federated identity credentials and
 * password credentials; and users and group membership (graph-users.ts). Bearer tokens must be ones
 * the emulator issued for a Graph audience or for the emulator's own base URL (what a client asks
 * for with `<graphEndpoint>/.default`).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context';
import { entraState, type GraphApplication } from './entra-state';
import { registerGraphUserRoutes } from './graph-users';
import type { Ctx, Handler, Router } from './router';
import { isRecord, queryParam, sendJson } from './router';

const GRAPH_AUDIENCES = ['https://graph.microsoft.com', 'https://graph.microsoft.us', 'https://dod-graph.microsoft.us', 'https://microsoftgraph.chinacloudapi.cn'];
const METADATA = 'https://graph.microsoft.com/v1.0/$metadata';

export function graphError(ctx: Ctx, status: number, code: string, message: string): void {
  sendJson(ctx.res, status, { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } });
}

function graphRoute(emu: EmulatorContext, handler: Handler): Handler {
  return async (ctx) => {
    const m = /^Bearer\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
    const entry = m?.[1] ? emu.state.tokens[createHash('sha256').update(m[1]).digest('hex')] : undefined;
    const audiences = [...GRAPH_AUDIENCES, emu.armBase().toLowerCase()];
    if (!entry || entry.expiresOn < Date.now() / 1000 || !audiences.includes(entry.resource)) {
      return graphError(ctx, 401, 'InvalidAuthenticationToken', 'Access token is empty, expired, or not issued for Microsoft Graph.');
    }
    await handler(ctx);
  };
}

function appView(a: GraphApplication): Record<string, unknown> {
  return {
    id: a.id, appId: a.appId, displayName: a.displayName, signInAudience: a.signInAudience, createdDateTime: a.createdDateTime,
    deletedDateTime: null, identifierUris: [], tags: [], keyCredentials: [], passwordCredentials: a.passwordCredentials.map((p) => ({ ...p, secretText: null, customKeyIdentifier: null })),
  };
}

function findApp(emu: EmulatorContext, ctx: Ctx): GraphApplication | undefined {
  const id = ctx.params['id'] ?? '';
  const app = entraState(emu).applications.find((a) => a.id === id);
  if (!app) graphError(ctx, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
  return app;
}

function listApplications(emu: EmulatorContext, ctx: Ctx): void {
  const filter = queryParam(ctx.query, '$filter');
  let apps = entraState(emu).applications;
  if (filter !== undefined) {
    const m = /^displayName eq '((?:[^']|'')*)'$/.exec(filter.trim());
    if (!m) return graphError(ctx, 400, 'Request_UnsupportedQuery', `Unsupported query: ${filter}`);
    const wanted = m[1].replace(/''/g, "'");
    apps = apps.filter((a) => a.displayName === wanted);
  }
  sendJson(ctx.res, 200, { '@odata.context': `${METADATA}#applications`, value: apps.map(appView) });
}

function createApplication(emu: EmulatorContext, ctx: Ctx): void {
  const body = isRecord(ctx.body) ? ctx.body : {};
  if (typeof body['displayName'] !== 'string' || body['displayName'] === '') return graphError(ctx, 400, 'Request_BadRequest', 'displayName is required.');
  const app: GraphApplication = {
    id: randomUUID(), appId: randomUUID(), displayName: body['displayName'],
    signInAudience: typeof body['signInAudience'] === 'string' ? body['signInAudience'] : 'AzureADMyOrg',
    createdDateTime: emu.clock.now().toISOString(), passwordCredentials: [], federatedIdentityCredentials: [],
  };
  entraState(emu).applications.push(app);
  emu.persist();
  sendJson(ctx.res, 201, { '@odata.context': `${METADATA}#applications/$entity`, ...appView(app) });
}

/** `servicePrincipals(appId='…')` is one path segment: matched by the generic `/v1.0/:key` route. */
function servicePrincipalByAppId(emu: EmulatorContext, ctx: Ctx): void {
  const m = /^servicePrincipals\(appId='([^']+)'\)$/i.exec(ctx.params['key'] ?? '');
  if (!m) return graphError(ctx, 400, 'BadRequest', `Resource not found for the segment '${ctx.params['key']}'.`);
  const sp = entraState(emu).servicePrincipals.find((s) => s.appId.toLowerCase() === m[1].toLowerCase());
  if (!sp) return graphError(ctx, 404, 'Request_ResourceNotFound', `Resource '${m[1]}' does not exist or one of its queried reference-property objects are not present.`);
  sendJson(ctx.res, 200, { '@odata.context': `${METADATA}#servicePrincipals/$entity`, ...sp, accountEnabled: true, servicePrincipalType: 'Application' });
}

function createServicePrincipal(emu: EmulatorContext, ctx: Ctx): void {
  const appId = isRecord(ctx.body) ? ctx.body['appId'] : undefined;
  const state = entraState(emu);
  const app = state.applications.find((a) => a.appId === appId);
  if (!app) return graphError(ctx, 400, 'Request_BadRequest', `The appId '${String(appId)}' of the service principal does not reference a valid application object.`);
  if (state.servicePrincipals.some((s) => s.appId === app.appId)) return graphError(ctx, 409, 'Request_MultipleObjectsWithSameKeyValue', 'The service principal cannot be created, updated, or restored because the service principal name is already in use.');
  const sp = { id: randomUUID(), appId: app.appId, displayName: app.displayName };
  state.servicePrincipals.push(sp);
  emu.persist();
  sendJson(ctx.res, 201, { '@odata.context': `${METADATA}#servicePrincipals/$entity`, ...sp, accountEnabled: true, servicePrincipalType: 'Application' });
}

function addFederatedCredential(emu: EmulatorContext, ctx: Ctx, app: GraphApplication): void {
  const b = isRecord(ctx.body) ? ctx.body : {};
  const [name, issuer, subject] = [b['name'], b['issuer'], b['subject']];
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,120}$/.test(name) || typeof issuer !== 'string' || typeof subject !== 'string') {
    return graphError(ctx, 400, 'Request_BadRequest', 'name (URL-safe, at most 120), issuer and subject are required.');
  }
  const fics = app.federatedIdentityCredentials;
  if (fics.length >= 20) return graphError(ctx, 400, 'Request_BadRequest', 'An application can have at most 20 federated identity credentials.');
  if (fics.some((f) => f.name === name || (f.issuer === issuer && f.subject === subject))) {
    return graphError(ctx, 409, 'Request_MultipleObjectsWithSameKeyValue', 'A federated identity credential with this name or issuer and subject already exists.');
  }
  const audiences = Array.isArray(b['audiences']) ? (b['audiences'] as unknown[]).map(String) : ['api://AzureADTokenExchange'];
  const fic = { id: randomUUID(), name, issuer, subject, audiences, description: typeof b['description'] === 'string' ? b['description'] : null };
  fics.push(fic);
  emu.persist();
  sendJson(ctx.res, 201, { '@odata.context': `${METADATA}#applications('${app.id}')/federatedIdentityCredentials/$entity`, ...fic });
}

function addPassword(emu: EmulatorContext, ctx: Ctx, app: GraphApplication): void {
  const cred = isRecord(ctx.body) && isRecord(ctx.body['passwordCredential']) ? ctx.body['passwordCredential'] : {};
  const now = emu.clock.now();
  const end = typeof cred['endDateTime'] === 'string' ? cred['endDateTime'] : new Date(now.getTime() + 2 * 365 * 86_400_000).toISOString();
  const secretText = randomBytes(30).toString('base64url');
  const rec = { keyId: randomUUID(), displayName: typeof cred['displayName'] === 'string' ? cred['displayName'] : null, hint: secretText.slice(0, 3), startDateTime: now.toISOString(), endDateTime: end };
  app.passwordCredentials.push(rec);
  emu.persist();
  // The only time the secret leaves the emulator; it is not kept.
  sendJson(ctx.res, 200, { '@odata.context': `${METADATA}#microsoft.graph.passwordCredential`, customKeyIdentifier: null, ...rec, secretText });
}

function removePassword(emu: EmulatorContext, ctx: Ctx, app: GraphApplication): void {
  const keyId = isRecord(ctx.body) ? ctx.body['keyId'] : undefined;
  const before = app.passwordCredentials.length;
  app.passwordCredentials = app.passwordCredentials.filter((p) => p.keyId !== keyId);
  if (app.passwordCredentials.length === before) return graphError(ctx, 400, 'Request_BadRequest', `No password credential with keyId '${String(keyId)}'.`);
  emu.persist();
  sendJson(ctx.res, 204, undefined);
}

export function registerGraphRoutes(router: Router, emu: EmulatorContext): void {
  const withApp = (fn: (e: EmulatorContext, c: Ctx, a: GraphApplication) => void): Handler => graphRoute(emu, (ctx) => {
    const app = findApp(emu, ctx);
    if (app) fn(emu, ctx, app);
  });
  router.add('GET', '/v1.0/applications', graphRoute(emu, (ctx) => listApplications(emu, ctx)));
  router.add('POST', '/v1.0/applications', graphRoute(emu, (ctx) => createApplication(emu, ctx)));
  router.add('GET', '/v1.0/applications/:id', withApp((_e, ctx, app) => sendJson(ctx.res, 200, appView(app))));
  router.add('GET', '/v1.0/applications/:id/federatedIdentityCredentials', withApp((_e, ctx, app) =>
    sendJson(ctx.res, 200, { '@odata.context': `${METADATA}#applications('${app.id}')/federatedIdentityCredentials`, value: app.federatedIdentityCredentials })));
  router.add('POST', '/v1.0/applications/:id/federatedIdentityCredentials', withApp(addFederatedCredential));
  router.add('POST', '/v1.0/applications/:id/addPassword', withApp(addPassword));
  router.add('POST', '/v1.0/applications/:id/removePassword', withApp(removePassword));
  router.add('POST', '/v1.0/servicePrincipals', graphRoute(emu, (ctx) => createServicePrincipal(emu, ctx)));
  registerGraphUserRoutes(router, emu, (h) => graphRoute(emu, h), graphError);
  router.add('GET', '/v1.0/:key', graphRoute(emu, (ctx) => servicePrincipalByAppId(emu, ctx)));
}

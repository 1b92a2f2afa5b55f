/**
 * The emulator's Graph, role-assignment and service-endpoint routes (src/emulator/graph.ts,
 * arm-authorization.ts, ado-service-endpoints.ts) served the way the emulator serves its others,
 * driven by EntraIdentityAdmin: what `npm start` will do once they are registered.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { EntraIdentityAdmin } from '../../src/adapters/entra';
import type { ServicePrincipalPlan } from '../../src/core/models';
import { registerDiscoveryRoutes } from '../../src/emulator/ado-discovery';
import { registerServiceEndpointRoutes } from '../../src/emulator/ado-service-endpoints';
import { registerRoleAssignmentRoutes } from '../../src/emulator/arm-authorization';
import type { EmulatorContext } from '../../src/emulator/context';
import { entraState } from '../../src/emulator/entra-state';
import { captureResponse, exchangeOf } from '../../src/emulator/exchange';
import { registerGraphRoutes } from '../../src/emulator/graph';
import { normalisePath, readJsonBody, Router, sendJson } from '../../src/emulator/router';
import { initialState, seedState } from '../../src/emulator/seed';
import { createTlsMaterial } from '../../src/emulator/tls';
import { CapturingLogger } from '../fakes/logger';
import { conformanceRecorder } from '../support/conformance-recorder';

const servers: Server[] = [];
// Every request the adapter sent and every answer the emulator gave, against the official specs.
const conformance = conformanceRecorder();
afterAll(() => {
  expect(conformance.violations()).toEqual([]);
});

function serve(router: Router, server: Server): Promise<number> {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => void (async () => {
    const answer = captureResponse(res);
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = normalisePath(q < 0 ? raw : raw.slice(0, q));
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    const found = router.match(req.method ?? 'GET', path);
    if (!('handler' in found)) { req.resume(); return sendJson(res, 404, { error: { code: 'NotFound', message: path } }); }
    const body = await readJsonBody(req);
    res.once('finish', () => conformance.onExchange(exchangeOf(req, path, query, body, answer())));
    await found.handler({ req, res, method: req.method ?? 'GET', path, query, params: found.params, body, port: 0, secure: false });
  })());
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function mint(emu: EmulatorContext, token: string, resource: string): void {
  emu.state.tokens[createHash('sha256').update(token).digest('hex')] = { resource, expiresOn: Math.floor(Date.now() / 1000) + 3600 };
}

let emu: EmulatorContext;
let admin: EntraIdentityAdmin;

beforeAll(async () => {
  const tls = await createTlsMaterial();
  let tlsPort = 0;
  let httpPort = 0;
  const now = Date.parse('2026-11-02T09:00:00Z');
  emu = {
    state: initialState(now), clock: { now: () => new Date(now) }, log: new CapturingLogger(),
    persist: () => undefined, emit: () => undefined, random: () => 0.5,
    armBase: () => `https://127.0.0.1:${tlsPort}`, devopsOrgUrl: () => `http://127.0.0.1:${httpPort}/${emu.state.ado.organization}`,
  };
  seedState(emu, now);
  const secure = new Router();
  registerGraphRoutes(secure, emu);
  registerRoleAssignmentRoutes(secure, emu);
  const plain = new Router();
  registerDiscoveryRoutes(plain, emu);
  registerServiceEndpointRoutes(plain, emu);
  tlsPort = await serve(secure, createTlsServer({ cert: tls.cert, key: tls.key }));
  httpPort = await serve(plain, createServer());
  mint(emu, 'arm-token', 'https://management.azure.com');
  mint(emu, 'graph-token', emu.armBase().toLowerCase());
  admin = new EntraIdentityAdmin({
    graphEndpoint: emu.armBase(), getToken: async () => 'graph-token',
    armEndpoint: emu.armBase(), armAudience: 'https://management.azure.com', ca: tls.ca,
    credential: { getToken: async () => ({ token: 'arm-token', expiresOnTimestamp: Date.now() + 3600_000 }) },
    devops: { orgUrl: emu.devopsOrgUrl(), project: 'mlops-v2', auth: { pat: 'any' } },
    tenantId: emu.state.tenantId, log: new CapturingLogger(), replicationDelaysMs: [1],
  });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
});

const plan = (env: string, auth: 'federated' | 'secret'): ServicePrincipalPlan => ({
  project: 'taxi-fare-regression', env, applicationName: `Azure-ARM-${env[0].toUpperCase()}${env.slice(1)}-taxi-fare-regression`,
  serviceConnectionName: `Azure-ARM-${env[0].toUpperCase()}${env.slice(1)}`, role: 'Contributor',
  scope: `subscriptions/${emu.state.subscriptionId}/resourceGroups/rg-mlopsv2-0001${env}`, auth,
});
const states = (r: { steps: { state: string }[] }) => r.steps.map((s) => s.state);

it('creates a federated service principal, then finds all of it', async () => {
  const first = await admin.ensureServicePrincipal(plan('prod', 'federated'));
  expect(first.steps.filter((s) => s.state !== 'created')).toEqual([]);
  expect(first.complete).toBe(true);
  const state = entraState(emu);
  const app = state.applications.find((a) => a.displayName === 'Azure-ARM-Prod-taxi-fare-regression')!;
  expect(app.federatedIdentityCredentials).toMatchObject([{ subject: 'sc://mlops-org/mlops-v2/Azure-ARM-Prod', audiences: ['api://AzureADTokenExchange'] }]);
  expect(state.roleAssignments).toMatchObject([{ scope: `/subscriptions/${emu.state.subscriptionId}/resourceGroups/rg-mlopsv2-0001prod`, principalType: 'ServicePrincipal' }]);
  expect(state.environments.map((e) => e.name)).toEqual(['prod']);

  const second = await admin.ensureServicePrincipal(plan('prod', 'federated'));
  expect(states(second)).toEqual(['existed', 'existed', 'existed', 'existed', 'existed', 'existed']);
});

it('makes a secret connection without the emulator keeping the secret', async () => {
  const r = await admin.ensureServicePrincipal(plan('preprod', 'secret'));
  expect(r.complete).toBe(true);
  const endpoint = entraState(emu).serviceEndpoints.find((e) => e.name === 'Azure-ARM-Preprod')!;
  expect(endpoint.scheme).toBe('ServicePrincipal');
  expect(endpoint.parameters).not.toHaveProperty('serviceprincipalkey');
  expect(JSON.stringify(emu.state)).not.toMatch(/secretText"\s*:\s*"[^"]/);
});

it('refuses a resource group that does not exist before creating anything', async () => {
  const apps = entraState(emu).applications.length;
  const wrong = { ...plan('dev', 'federated'), project: 'nowhere', applicationName: 'Azure-ARM-Dev-nowhere', scope: `subscriptions/${emu.state.subscriptionId}/resourceGroups/rg-nowhere` };
  await expect(admin.survey(wrong)).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining('does not exist (ResourceGroupNotFound)') });
  await expect(admin.ensureServicePrincipal(wrong)).rejects.toMatchObject({ code: 'usage' });
  expect(entraState(emu).applications).toHaveLength(apps);
});

it('resolves a role given by its definition id at the scope', async () => {
  const survey = await admin.survey({ ...plan('dev', 'federated'), role: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' });
  expect(survey.roleDefinitionId).toMatch(/\/roleDefinitions\/acdd72a7-3385-48ef-bd42-f606fba81ae7$/);
  await expect(admin.survey({ ...plan('dev', 'federated'), role: '00000000-1111-2222-3333-444444444444' })).rejects.toMatchObject({ code: 'usage' });
});

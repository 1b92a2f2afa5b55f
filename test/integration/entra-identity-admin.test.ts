/**
 * EntraIdentityAdmin against per-test fakes over real HTTPS (Graph through node:https, role
 * assignments through @azure/arm-authorization) and HTTP (azure-devops-node-api), asserting what was
 * sent, idempotency, partial failure + retry, and the replication retries.
 */
import { EntraIdentityAdmin } from '../../src/adapters/entra';
import { assignmentName } from '../../src/adapters/entra/role-assignment';
import type { ServicePrincipalPlan } from '../../src/core/models';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { CapturingLogger } from '../fakes/logger';
import { adoError, EntraWorld, graphError, ORG, PROJECT, PROJECT_ID } from '../fixtures/entra/fake-entra';
import { recordingCredential } from '../support/fake-azure-server';

const SUB = 'a925f2f7-5c63-4b7b-8799-25a5f97bc3b2';
const TENANT = '3d1e2be9-a10a-4a0c-8380-7ce190f98ed9';
const CONTRIBUTOR = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`;
const plan: ServicePrincipalPlan = {
  project: 'taxi-fare-regression', env: 'prod', applicationName: 'Azure-ARM-Prod-taxi-fare-regression',
  serviceConnectionName: 'Azure-ARM-Prod', role: 'Contributor', scope: `subscriptions/${SUB}/resourceGroups/rg-mlopsv2-0001prod`, auth: 'federated',
};

let tls: TlsMaterial;
let world: EntraWorld;
let log: CapturingLogger;
let graphScopes: string[];
let credential: ReturnType<typeof recordingCredential>;

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => {
  world = await EntraWorld.start(tls);
  log = new CapturingLogger();
  graphScopes = [];
  credential = recordingCredential('arm-token');
});
afterEach(() => world.close());

function admin(extra: { replicationDelaysMs?: number[] } = {}): EntraIdentityAdmin {
  return new EntraIdentityAdmin({
    graphEndpoint: world.azure.url,
    getToken: async (scope) => { graphScopes.push(scope); return 'graph-token'; },
    armEndpoint: world.azure.url, armAudience: 'https://management.azure.com', credential, ca: tls.ca,
    devops: { orgUrl: world.orgUrl, project: PROJECT, auth: { pat: 'pat-value' } },
    tenantId: TENANT, subscriptionNameOf: () => 'MLOps Production', log,
    replicationDelaysMs: extra.replicationDelaysMs ?? [1, 1, 1],
    now: () => new Date('2026-11-02T09:00:00Z'),
  });
}

const states = (r: { steps: { step: string; state: string }[] }) => Object.fromEntries(r.steps.map((s) => [s.step, s.state]));

describe('EntraIdentityAdmin, federated', () => {
  it('creates every piece and sends what the services expect', async () => {
    const result = await admin().ensureServicePrincipal(plan);
    expect(states(result)).toEqual({
      application: 'created', service_principal: 'created', role_assignment: 'created',
      devops_environment: 'created', service_connection: 'created', credential: 'created',
    });
    expect(result.complete).toBe(true);
    const app = world.apps[0];
    const sp = world.sps[0];
    expect(result.appId).toBe(app.appId);

    // Graph: find, then create; bearer token for the Graph scope.
    const [findApp] = world.azure.matching('GET', '/v1.0/applications');
    expect(findApp.query.get('$filter')).toBe("displayName eq 'Azure-ARM-Prod-taxi-fare-regression'");
    expect(findApp.headers.authorization).toBe('Bearer graph-token');
    expect(world.azure.matching('POST', '/v1.0/applications')[0].json).toEqual({ displayName: plan.applicationName, signInAudience: 'AzureADMyOrg' });
    expect(world.azure.matching('GET', new RegExp(`^/v1.0/servicePrincipals\\(appId='${app.appId}'\\)$`))).toHaveLength(1);
    expect(world.azure.matching('POST', '/v1.0/servicePrincipals')[0].json).toEqual({ appId: app.appId });
    expect(new Set(graphScopes)).toEqual(new Set([`${world.azure.url}/.default`]));

    // ARM: deterministic name, scope without a doubled slash, api-version, body, ARM audience.
    const name = assignmentName(plan.scope, sp.id, CONTRIBUTOR);
    const put = world.azure.matching('PUT', /roleAssignments/)[0];
    expect(put.path).toBe(`/${plan.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`);
    expect(put.query.get('api-version')).toBe('2022-04-01');
    expect(put.json).toEqual({ properties: { roleDefinitionId: CONTRIBUTOR, principalId: sp.id, principalType: 'ServicePrincipal', description: 'Assigned by MLOps Bot' } });
    expect(put.headers.authorization).toBe('Bearer arm-token');
    expect(credential.scopes.flat()).toContain('https://management.azure.com/.default');

    // Azure DevOps: environment, then the AzureRM connection with workload identity federation.
    const env = world.ado.matching('POST', `/${ORG}/${PROJECT}/_apis/distributedtask/environments`)[0];
    expect(env.json).toMatchObject({ name: 'prod' });
    expect(env.headers.accept).toMatch(/api-version=7\.2-preview\.1/);
    const create = world.ado.matching('POST', `/${ORG}/_apis/serviceendpoint/endpoints`)[0];
    expect(create.headers.accept).toMatch(/api-version=7\.2-preview\.4/);
    expect(create.headers.authorization).toBe(`Basic ${Buffer.from('PAT:pat-value').toString('base64')}`);
    expect(create.json).toMatchObject({
      name: 'Azure-ARM-Prod', type: 'AzureRM', url: `${world.azure.url}/`, owner: 'library',
      data: { subscriptionId: SUB, subscriptionName: 'MLOps Production', environment: 'AzureCloud', scopeLevel: 'Subscription', creationMode: 'Manual' },
      authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: TENANT, serviceprincipalid: app.appId } },
      serviceEndpointProjectReferences: [{ projectReference: { id: PROJECT_ID, name: PROJECT }, name: 'Azure-ARM-Prod' }],
    });

    // The federated credential carries exactly the issuer and subject the connection returned.
    const fic = world.azure.matching('POST', /federatedIdentityCredentials$/)[0];
    expect(fic.path).toBe(`/v1.0/applications/${app.id}/federatedIdentityCredentials`);
    expect(fic.json).toMatchObject({
      issuer: 'https://vstoken.dev.azure.com/f66a4bc2-08ad-4ec0-a25e-e769b4a2b4b4',
      subject: `sc://${ORG}/${PROJECT}/Azure-ARM-Prod`,
      audiences: ['api://AzureADTokenExchange'],
    });
    expect((fic.json as { name: string }).name).toMatch(/^azure-devops-Azure-ARM-Prod-[0-9a-f]{8}$/);
  });

  it('finds every piece on a second run and creates nothing', async () => {
    await admin().ensureServicePrincipal(plan);
    const before = world.mark();
    const again = await admin().ensureServicePrincipal(plan);
    expect(states(again)).toEqual({
      application: 'existed', service_principal: 'existed', role_assignment: 'existed',
      devops_environment: 'existed', service_connection: 'existed', credential: 'existed',
    });
    expect(again.complete).toBe(true);
    const calls = world.callsSince(before);
    expect(calls.filter((c) => /^(POST|PUT|PATCH|DELETE) /.test(c))).toEqual([]);
    expect(calls).toEqual(expect.arrayContaining([
      'GET /v1.0/applications', `GET /v1.0/servicePrincipals(appId='${world.apps[0].appId}')`,
      expect.stringMatching(/^GET \/subscriptions\/.*\/roleAssignments\//), `GET /v1.0/applications/${world.apps[0].id}/federatedIdentityCredentials`,
      `GET /${ORG}/${PROJECT}/_apis/serviceendpoint/endpoints`, `GET /${ORG}/${PROJECT}/_apis/distributedtask/environments`,
    ]));
    expect(world.apps).toHaveLength(1);
    expect(world.apps[0].fics).toHaveLength(1);
  });

  it('reports a failure part-way without throwing, and a retry completes it', async () => {
    world.azure.once('PUT', /roleAssignments/, { status: 403, body: { error: { code: 'AuthorizationFailed', message: "The client does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write'." } } });
    world.ado.once('POST', `/${ORG}/_apis/serviceendpoint/endpoints`, adoError(400, 'TF400898: An internal error occurred.'));
    const first = await admin().ensureServicePrincipal(plan);
    expect(first.complete).toBe(false);
    expect(states(first)).toEqual({
      application: 'created', service_principal: 'created', role_assignment: 'failed',
      devops_environment: 'created', service_connection: 'failed', credential: 'skipped',
    });
    const detail = (step: string) => first.steps.find((s) => s.step === step)!.detail;
    expect(detail('role_assignment')).toMatch(/^Azure Resource Manager HTTP 403 AuthorizationFailed: The client does not have authorization .*Role Based Access Control Administrator/);
    expect(detail('service_connection')).toMatch(/^Azure DevOps HTTP 400: TF400898/);
    expect(detail('credential')).toBe('not attempted: the service connection does not exist');
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.obj.step)).toEqual(['role_assignment', 'service_connection']);

    const retry = await admin().ensureServicePrincipal(plan);
    expect(retry.complete).toBe(true);
    expect(states(retry)).toEqual({
      application: 'existed', service_principal: 'existed', role_assignment: 'created',
      devops_environment: 'existed', service_connection: 'created', credential: 'created',
    });
    expect(world.apps).toHaveLength(1);
    expect(world.endpoints).toHaveLength(1);
  });

  it('skips what needs the application when Graph refuses to create it', async () => {
    world.azure.once('POST', '/v1.0/applications', graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'));
    const r = await admin().ensureServicePrincipal(plan);
    expect(states(r)).toEqual({
      application: 'failed', service_principal: 'skipped', role_assignment: 'skipped',
      devops_environment: 'created', service_connection: 'skipped', credential: 'skipped',
    });
    expect(r.steps[0].detail).toBe('Microsoft Graph HTTP 403 Authorization_RequestDenied: Insufficient privileges to complete the operation. (the bot identity needs the Graph permission Application.ReadWrite.OwnedBy)');
    expect(r.appId).toBeUndefined();
  });

  it('retries while a new service principal replicates (PrincipalNotFound, then a lagging SP create)', async () => {
    const notYet = { status: 400, body: { error: { code: 'PrincipalNotFound', message: 'Principal does not exist in the directory.' } } };
    world.azure.once('PUT', /roleAssignments/, notYet).once('PUT', /roleAssignments/, notYet);
    world.azure.once('POST', '/v1.0/servicePrincipals', graphError(400, 'Request_BadRequest', "The appId of the service principal does not reference a valid application object."));
    const r = await admin().ensureServicePrincipal(plan);
    expect(r.complete).toBe(true);
    expect(world.azure.matching('PUT', /roleAssignments/)).toHaveLength(3);
    expect(world.azure.matching('POST', '/v1.0/servicePrincipals')).toHaveLength(2);
    // Every attempt used the same assignment name: a retry can never make a second assignment.
    expect(new Set(world.azure.matching('PUT', /roleAssignments/).map((q) => q.path)).size).toBe(1);
  });

  it('gives up after the configured replication retries', async () => {
    const notYet = { status: 400, body: { error: { code: 'PrincipalNotFound', message: 'Principal does not exist in the directory.' } } };
    for (let i = 0; i < 3; i++) world.azure.once('PUT', /roleAssignments/, notYet);
    const r = await admin({ replicationDelaysMs: [1, 1] }).ensureServicePrincipal(plan);
    expect(states(r).role_assignment).toBe('failed');
    expect(r.steps.find((s) => s.step === 'role_assignment')!.detail).toMatch(/HTTP 400 PrincipalNotFound/);
  });

  it('counts an assignment made under another name as existing (409 RoleAssignmentExists)', async () => {
    world.azure.once('PUT', /roleAssignments/, { status: 409, body: { error: { code: 'RoleAssignmentExists', message: 'The role assignment already exists.' } } });
    const r = await admin().ensureServicePrincipal(plan);
    expect(states(r).role_assignment).toBe('existed');
    expect(r.complete).toBe(true);
  });

  it('leaves a same-named connection of another application alone and says so', async () => {
    world.endpoints.push({
      id: 'e1', name: 'Azure-ARM-Prod', type: 'AzureRM',
      authorization: { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: TENANT, serviceprincipalid: '11111111-2222-3333-4444-555555555555', workloadIdentityFederationIssuer: 'i', workloadIdentityFederationSubject: 's' } },
    });
    const r = await admin().ensureServicePrincipal(plan);
    expect(states(r).service_connection).toBe('failed');
    expect(r.steps.find((s) => s.step === 'service_connection')!.detail).toMatch(/already exists for application 11111111-2222-3333-4444-555555555555/);
    expect(states(r).credential).toBe('skipped');
    expect(world.apps[0].fics).toEqual([]);
  });

  it('assigns a custom role looked up by name at the scope', async () => {
    world.roles['ML Deployer'] = '0b5fe924-9a61-425c-96af-cfe6e287ca2d';
    const roleId = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/0b5fe924-9a61-425c-96af-cfe6e287ca2d`;
    const r = await admin().ensureServicePrincipal({ ...plan, role: 'ML Deployer' });
    expect(states(r).role_assignment).toBe('created');
    expect((world.azure.matching('PUT', /roleAssignments/)[0].json as { properties: { roleDefinitionId: string } }).properties.roleDefinitionId).toBe(roleId);
  });

  it('resolves the role before creating anything: an unknown role is a clear error and nothing exists afterwards', async () => {
    const err = await admin().ensureServicePrincipal({ ...plan, role: 'No Such Role' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'usage', message: expect.stringContaining("No role 'No Such Role' exists at /subscriptions/") });
    expect(world.apps).toEqual([]);
    expect(world.endpoints).toEqual([]);
    expect(world.environments).toEqual([]);
  });

  it('surveys read-only: what exists, and a same-named connection of another application as a blocker', async () => {
    const fresh = await admin().survey(plan);
    expect(fresh).toEqual({ roleDefinitionId: CONTRIBUTOR, existing: [], blockers: [] });
    expect(world.azure.requests.filter((q) => q.method !== 'GET')).toEqual([]);
    await admin().ensureServicePrincipal(plan);
    expect((await admin().survey(plan)).existing.sort()).toEqual(['application', 'credential', 'devops_environment', 'role_assignment', 'service_connection', 'service_principal']);
    const other = { ...plan, applicationName: 'Azure-ARM-Prod-churn' };
    expect((await admin().survey(other)).blockers).toEqual([expect.stringMatching(/^Service connection Azure-ARM-Prod already exists for application [0-9a-f-]+, not for Azure-ARM-Prod-churn/)]);
  });
});

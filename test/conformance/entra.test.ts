/**
 * Microsoft Graph v1.0 and ARM role assignments (Microsoft.Authorization 2022-04-01) against their
 * trimmed specs: the real Entra adapter creates a federated service principal end to end on the
 * emulator, the Graph directory looks up a user and a group membership; every request and answer
 * is as the specs describe, and a changed path, field, version or type is caught.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAzureCredential } from '../../src/adapters/azure-identity';
import { EntraIdentityAdmin } from '../../src/adapters/entra';
import { GraphDirectory } from '../../src/adapters/entra/graph-directory';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { SEED_GROUP_ML_LEADS } from '../../src/emulator/seed-graph';
import { PLAYGROUND_USERS } from '../../src/playground/playground-config';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { conformanceRecorder } from '../support/conformance-recorder';
import { memoryStore } from '../support/store';
import { mutationKit } from './mutations';

let dir: string;
let emu: RunningEmulator;
const recorder = conformanceRecorder();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-conformance-entra-'));
  const log = new CapturingLogger();
  emu = await startEmulator({ dataDir: dir, log, autoTick: false, jobEveryMs: 0, onExchange: recorder.onExchange });
  const credential = createAzureCredential({ identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader, ca: emu.ca });
  const getToken = async (scope: string) => (await credential.getToken(scope))?.token ?? '';
  const admin = new EntraIdentityAdmin({
    graphEndpoint: emu.armUrl, getToken, armEndpoint: emu.armUrl, armAudience: 'https://management.azure.com', credential, ca: emu.ca,
    devops: { orgUrl: emu.devopsUrl, project: emu.project, auth: { pat: 'emulator-pat' } },
    tenantId: emu.tenantId, log, replicationDelaysMs: [1],
  });
  const plan = (auth: 'federated' | 'secret', env: string) => ({
    project: 'taxi-fare-regression', env, applicationName: `Azure-ARM-${env}-taxi-fare-regression`, serviceConnectionName: `Azure-ARM-${env}`,
    role: 'Contributor', scope: `subscriptions/${emu.subscriptionId}/resourceGroups/rg-mlopsv2-0001${env}`, auth,
  });
  await admin.ensureServicePrincipal(plan('federated', 'prod'));
  await admin.ensureServicePrincipal(plan('secret', 'preprod'));
  const store = await memoryStore();
  const directory = new GraphDirectory({ graphEndpoint: emu.armUrl, getToken, ca: emu.ca, store, log, clock: new FakeClock() });
  const user = PLAYGROUND_USERS.users[1];
  await directory.emailOfObject(user.aadObjectId);
  await directory.isMemberOf({ id: 'teams:x', aadObjectId: user.aadObjectId }, SEED_GROUP_ML_LEADS);
  await store.close();
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a service principal made end to end and a directory look-up: every Graph and role-assignment request and answer as the specs say', () => {
  expect(recorder.violations()).toEqual([]);
  expect(recorder.covered().sort()).toEqual(expect.arrayContaining([
    'application_ListApplication', 'application_CreateApplication', 'application_CreateFederatedIdentityCredential', 'application_addPassword',
    'servicePrincipal_CreateServicePrincipal', 'user_GetUser', 'user_checkMemberGroup',
    'RoleDefinitions_List', 'RoleAssignments_Get', 'RoleAssignments_Create',
  ].sort()));
});

describe('a change the Graph or Authorization spec does not have is caught', () => {
  const { find, problems } = mutationKit(recorder);

  test('a Graph path the spec does not have (the action is addPassword, not addSecret)', () => {
    const ex = find(/^POST \/v1\.0\/applications\/[^/]+\/addPassword$/);
    ex.path = ex.path.replace(/addPassword$/, 'addSecret');
    expect(problems(ex)).toEqual([expect.stringMatching(/^no operation of graph-v1.0.json has this path/)]);
  });

  test('a renamed scalar field in a Graph answer (Graph types are open, but only to objects)', () => {
    const ex = find(/^POST \/v1\.0\/applications$/);
    ex.responseBody.applicationId = ex.responseBody.appId;
    delete ex.responseBody.appId;
    expect(problems(ex)).toEqual(['body field /applicationId is not in the spec']);
  });

  test('a value of the wrong type in what the adapter sends to Graph', () => {
    const ex = find(/^POST \/v1\.0\/applications\/[^/]+\/federatedIdentityCredentials$/);
    ex.requestBody.audiences = 'api://AzureADTokenExchange';
    expect(problems(ex)).toEqual([expect.stringMatching(/^body: \/audiences must be array/)]);
  });

  test('an api-version sent to an API versioned by its path', () => {
    const ex = find(/^GET \/v1\.0\/users\/[^/]+$/);
    ex.query['api-version'] = '2022-04-01';
    expect(problems(ex)).toEqual(['api-version 2022-04-01 on an API versioned by its path']);
  });

  test('a role assignment at another api-version, and with a renamed field', () => {
    const put = find(/^PUT .*\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/);
    put.query['api-version'] = '2015-07-01';
    expect(problems(put)).toEqual(['api-version 2015-07-01 is not 2022-04-01 of the spec']);
    const renamed = find(/^PUT .*\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/);
    renamed.requestBody.properties.principalObjectId = renamed.requestBody.properties.principalId;
    delete renamed.requestBody.properties.principalId;
    expect(problems(renamed)).toEqual([
      expect.stringMatching(/^body: \/properties must have required property 'principalId'/),
      'body field /properties/principalObjectId is not in the spec',
    ]);
  });
});

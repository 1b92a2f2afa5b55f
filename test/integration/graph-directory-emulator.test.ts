/**
 * The emulator's Graph users and groups, reached the way `npm start` reaches them: buildGraphDirectory
 * with the demo's endpoints and a managed-identity token from the emulator. The directory holds the
 * Agents Playground's users, and the demo config's approver group is the emulator's "ML Leads".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAzureCredential } from '../../src/adapters/azure-identity';
import { buildGraphDirectory, type AzureEndpoints } from '../../src/app/azure';
import { DEMO_APPROVER_GROUP } from '../../src/config/demo-config';
import { demoSettings } from '../../src/config';
import type { Store } from '../../src/core/ports';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { SEED_GROUP_ML_LEADS, SEED_GROUP_ML_REVIEWERS } from '../../src/emulator/seed-graph';
import { PLAYGROUND_USERS } from '../../src/playground/playground-config';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { conformanceRecorder } from '../support/conformance-recorder';
import { memoryStore } from '../support/store';
import { call, quietLog, tempDir, token } from './emulator-client';

const [alex, megan, adele, isaiah] = [PLAYGROUND_USERS.currentUser, ...PLAYGROUND_USERS.users];

let emu: RunningEmulator;
let dir: ReturnType<typeof tempDir>;
let store: Store;
// Every request the adapter sent and every answer the emulator gave, against the official specs.
const conformance = conformanceRecorder();
afterAll(() => {
  expect(conformance.violations()).toEqual([]);
});

function endpoints(e: RunningEmulator, tenantId: string | undefined): AzureEndpoints {
  return {
    armEndpoint: e.armUrl, armAudience: 'https://management.azure.com', graphEndpoint: e.armUrl, ca: e.ca,
    identityEndpoint: e.identityEndpoint, identityHeader: e.identityHeader, ...(tenantId ? { tenantId } : {}),
  };
}

function directoryFor(e: RunningEmulator, withTenant = true) {
  const at = endpoints(e, withTenant ? e.tenantId : undefined);
  const credential = createAzureCredential({ identityEndpoint: at.identityEndpoint, identityHeader: at.identityHeader, ca: at.ca });
  return buildGraphDirectory(at, credential, store, new CapturingLogger(), new FakeClock());
}

beforeAll(async () => {
  dir = tempDir();
  emu = await startEmulator({ dataDir: dir.dir, log: quietLog, autoTick: false, jobEveryMs: 0, onExchange: conformance.onExchange });
});
beforeEach(async () => { store = await memoryStore(); });
afterEach(async () => { await store.close(); });
afterAll(async () => {
  await emu.close();
  dir.cleanup();
});

it('is built only when a tenant is configured', () => {
  expect(directoryFor(emu, false)).toBeUndefined();
  expect(directoryFor(emu)).toBeDefined();
});

it('finds every Playground user by object id, with their Playground email', async () => {
  const graph = directoryFor(emu)!;
  for (const u of [alex, ...PLAYGROUND_USERS.users]) expect(await graph.emailOfObject(u.aadObjectId)).toBe(u.email);
  expect(await graph.emailOfObject('0f0f0f0f-0000-4000-8000-000000000099')).toBeUndefined();
});

it('the demo approver group is ML Leads: Adele directly, Isaiah through ML Reviewers, not Megan or Alex', async () => {
  expect(DEMO_APPROVER_GROUP).toBe(SEED_GROUP_ML_LEADS);
  expect(demoSettings().environments.find((e) => e.name === 'prod')?.approval?.approvers).toContain(`group:${DEMO_APPROVER_GROUP}`);
  const graph = directoryFor(emu)!;
  const member = (u: typeof alex) => graph.isMemberOf({ id: `teams:${u.id}`, aadObjectId: u.aadObjectId }, DEMO_APPROVER_GROUP);
  expect(await Promise.all([alex, megan, adele, isaiah].map(member))).toEqual([false, false, true, true]);
  expect(await graph.isMemberOf({ id: 'slack:U0ADELE', email: adele.email }, DEMO_APPROVER_GROUP)).toBe(true);
  expect(await graph.isMemberOf({ id: 'slack:U0NOBODY', email: 'nobody@example.com' }, DEMO_APPROVER_GROUP)).toBe(false);
});

it('answers the Graph shapes: $select, the mail filter, checkMemberGroups, and its errors', async () => {
  const bearer = { authorization: `Bearer ${await token(emu, emu.armUrl)}` };
  const base = `${emu.armUrl}/v1.0`;
  const got = await call(`${base}/users/${adele.aadObjectId}?$select=mail,userPrincipalName`, { headers: bearer, ca: emu.ca });
  expect(got).toMatchObject({ status: 200, body: { mail: adele.email, userPrincipalName: adele.email } });
  expect(Object.keys(got.body).sort()).toEqual(['@odata.context', 'mail', 'userPrincipalName']);
  const byUpn = await call(`${base}/users/${encodeURIComponent(isaiah.email)}`, { headers: bearer, ca: emu.ca });
  expect(byUpn.body).toMatchObject({ id: isaiah.aadObjectId, displayName: isaiah.name });
  const filtered = await call(`${base}/users?$filter=${encodeURIComponent(`mail eq '${megan.email}'`)}&$select=id`, { headers: bearer, ca: emu.ca });
  expect(filtered.body.value).toEqual([{ id: megan.aadObjectId }]);

  const check = (user: string, groupIds: unknown) => call(`${base}/users/${user}/checkMemberGroups`, { method: 'POST', headers: bearer, ca: emu.ca, body: { groupIds } });
  expect((await check(isaiah.aadObjectId, [SEED_GROUP_ML_REVIEWERS, SEED_GROUP_ML_LEADS, '0f0f0f0f-0000-4000-8000-000000000099'])).body.value)
    .toEqual([SEED_GROUP_ML_REVIEWERS, SEED_GROUP_ML_LEADS]);
  expect((await check(isaiah.aadObjectId, ['not-a-guid'])).status).toBe(400);
  expect((await check(isaiah.aadObjectId, [])).status).toBe(400);
  expect((await check('0f0f0f0f-0000-4000-8000-000000000099', [SEED_GROUP_ML_LEADS])).body.error.code).toBe('Request_ResourceNotFound');
  expect((await call(`${base}/users/${adele.aadObjectId}`, { ca: emu.ca })).status).toBe(401);
});

it('keeps the directory in the persisted state across a restart', async () => {
  await directoryFor(emu)!.emailOfObject(adele.aadObjectId);
  await emu.close();
  const saved = JSON.parse(readFileSync(join(dir.dir, 'emulator-state.json'), 'utf8'));
  expect(saved.entra.groups.map((g: { displayName: string }) => g.displayName)).toEqual(['ML Leads', 'ML Reviewers']);
  expect(saved.entra.users).toHaveLength(6);
  emu = await startEmulator({ dataDir: dir.dir, log: quietLog, autoTick: false, jobEveryMs: 0, onExchange: conformance.onExchange });
  expect(await directoryFor(emu)!.isMemberOf({ id: 'teams:x', aadObjectId: isaiah.aadObjectId }, SEED_GROUP_ML_LEADS)).toBe(true);
});

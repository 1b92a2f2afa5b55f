/**
 * `sp create … --secret` end to end: chat command → core → EntraIdentityAdmin → fakes over HTTPS.
 * The client secret Graph returns goes into the service connection request and nowhere else: not
 * the result, not a log line, not an audit entry, not the card — also when the connection fails.
 */
import { EntraIdentityAdmin } from '../../src/adapters/entra';
import type { ServicePrincipalPlan, ServicePrincipalResult } from '../../src/core/models';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { FakeIdentityAdmin } from '../fakes/admin';
import { CapturingLogger } from '../fakes/logger';
import { adoError, EntraWorld, ORG, PROJECT } from '../fixtures/entra/fake-entra';
import { createBot, type BotHarness } from '../support/bot-harness';
import { recordingCredential } from '../support/fake-azure-server';

/** The harness's identity-admin slot, filled by the real adapter. */
class RealIdentityAdmin extends FakeIdentityAdmin {
  constructor(private readonly real: EntraIdentityAdmin) { super(); }
  override ensureServicePrincipal(plan: ServicePrincipalPlan): Promise<ServicePrincipalResult> { return this.real.ensureServicePrincipal(plan); }
}

let tls: TlsMaterial;
let world: EntraWorld;
let adapterLog: CapturingLogger;
let bot: BotHarness;

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => {
  world = await EntraWorld.start(tls);
  adapterLog = new CapturingLogger();
  const real = new EntraIdentityAdmin({
    graphEndpoint: world.azure.url, getToken: async () => 'graph-token',
    armEndpoint: world.azure.url, armAudience: 'https://management.azure.com', credential: recordingCredential(), ca: tls.ca,
    devops: { orgUrl: world.orgUrl, project: PROJECT, auth: { pat: 'pat-value' } },
    tenantId: '3d1e2be9-a10a-4a0c-8380-7ce190f98ed9', log: adapterLog, replicationDelaysMs: [1],
    secretLifetimeDays: 90, now: () => new Date('2026-11-02T09:00:00Z'),
  });
  bot = await createBot({ identityAdmin: new RealIdentityAdmin(real) });
});
afterEach(async () => {
  await bot.close();
  await world.close();
});

/** Everything the bot kept or showed, as text. */
async function everythingShown(outcome: unknown): Promise<string> {
  return [JSON.stringify(outcome), adapterLog.text(), bot.log.text(), JSON.stringify(await bot.audit())].join('\n');
}

it('puts a fresh secret with an expiry straight into the connection and shows it nowhere', async () => {
  const o = await bot.say('slack:U0ADMIN', 'sp create taxi-fare-regression prod --secret --confirm');
  expect(o.status).toBe('ok');
  expect(world.secrets).toHaveLength(1);
  const [secret] = world.secrets;
  expect(secret).toMatch(/^s3cr3t~/);

  const add = world.azure.matching('POST', /addPassword$/)[0];
  expect(add.json).toEqual({ passwordCredential: { displayName: 'Azure DevOps Azure-ARM-Prod-taxi-fare-regression', endDateTime: '2027-01-31T09:00:00.000Z' } });
  const create = world.ado.matching('POST', `/${ORG}/_apis/serviceendpoint/endpoints`)[0];
  expect(create.json).toMatchObject({
    authorization: { scheme: 'ServicePrincipal', parameters: { authenticationType: 'spnKey', serviceprincipalkey: secret, serviceprincipalid: world.apps[0].appId } },
  });
  expect(world.azure.matching('POST', /federatedIdentityCredentials$/)).toEqual([]);
  expect(o).toShowRow(['Client secret', 'created', 'client secret expiring 2027-01-31, stored only in the connection']);

  expect(await everythingShown(o)).not.toContain(secret);
  // A second run finds the connection and makes no new secret.
  const again = await bot.say('slack:U0ADMIN', 'sp create taxi-fare-regression prod --secret --confirm');
  expect(again).toShowRow(['Client secret', 'already existed', 'the connection already holds its credential; no new secret was made']);
  expect(world.secrets).toHaveLength(1);
});

it('takes the secret back when the connection cannot be created, even if Azure DevOps echoes it', async () => {
  world.ado.once('POST', `/${ORG}/_apis/serviceendpoint/endpoints`, (req) => {
    const key = (req.json as { authorization: { parameters: { serviceprincipalkey: string } } }).authorization.parameters.serviceprincipalkey;
    return adoError(400, `Invalid service principal key '${key}' for endpoint.`);
  });
  const o = await bot.say('slack:U0ADMIN', 'sp create taxi-fare-regression prod --secret --confirm');
  expect(o.status).toBe('failed');
  const [secret] = world.secrets;
  expect(secret).toMatch(/^s3cr3t~/);
  expect(o).toShowRow(['Client secret', 'FAILED', 'the new secret was removed again because the connection could not be created']);
  expect(o).toSay("Azure DevOps HTTP 400: Invalid service principal key '[redacted]' for endpoint.");
  expect(world.azure.matching('POST', /removePassword$/)[0].json).toEqual({ keyId: expect.any(String) });
  expect(world.apps[0].passwords).toEqual([]);
  expect(await everythingShown(o)).not.toContain(secret);
  expect((await bot.audit())[0].action).toBe('sp.partial');

  const retry = await bot.say('slack:U0ADMIN', 'sp create taxi-fare-regression prod --secret --confirm');
  expect(retry.status).toBe('ok');
  expect(world.apps[0].passwords).toHaveLength(1);
  expect(await everythingShown(retry)).not.toContain(world.secrets[1]);
});

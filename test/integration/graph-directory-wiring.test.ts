/**
 * The composition: with a tenant (the demo's emulator) the Teams and Slack directories ask Graph,
 * and a Playground user who is only in the demo's approver group is an approver on Teams; without
 * one, email and group entries stay denied and the start-up log says what to set.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AzureEndpoints } from '../../src/app/azure';
import { composeApp, type ComposedApp } from '../../src/app/compose';
import { startSlack } from '../../src/app/slack';
import { startTeams } from '../../src/app/teams';
import { loadConfig, parseRuntimeEnv } from '../../src/config';
import { DEMO_APPROVER_GROUP } from '../../src/config/demo-config';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { startHttpServer, type HttpServer } from '../../src/http';
import { PLAYGROUND_USERS } from '../../src/playground/playground-config';
import { CapturingLogger } from '../fakes/logger';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { FakeSlackApi } from '../support/fake-slack-api';
import { tempDir } from './emulator-client';

jest.setTimeout(60_000);
const [alex, megan, adele, isaiah, patti] = [PLAYGROUND_USERS.currentUser, ...PLAYGROUND_USERS.users];

let dir: ReturnType<typeof tempDir>;
let emu: RunningEmulator;
let connector: FakeConnector;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  dir = tempDir();
  emu = await startEmulator({ dataDir: join(dir.dir, 'emulator'), log: new CapturingLogger(), autoTick: false, jobEveryMs: 0 });
  connector = await startFakeConnector();
});
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});
afterAll(async () => {
  await connector.close();
  await emu.close();
  dir.cleanup();
});

async function compose(withTenant: boolean, log: CapturingLogger): Promise<{ app: ComposedApp; http: HttpServer }> {
  const azure: AzureEndpoints = {
    armEndpoint: emu.armUrl, armAudience: 'https://management.azure.com', devopsOrgUrl: emu.devopsUrl,
    identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader, ca: emu.ca, graphEndpoint: emu.armUrl,
    ...(withTenant ? { tenantId: emu.tenantId } : {}),
  };
  const loaded = await loadConfig(parseRuntimeEnv({ DATABASE_URL: 'sqlite::memory:' }), async () => '');
  const app = await composeApp({ loaded, log, azure });
  open.push(app);
  const http = await startHttpServer({ port: 0, host: '127.0.0.1', log });
  open.push(http);
  return { app, http };
}

/** Every text a card shows, in reading order. */
function textsOf(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(textsOf);
  if (!v || typeof v !== 'object') return [];
  return Object.entries(v).flatMap(([k, x]) => (k === 'text' && typeof x === 'string' ? [x] : textsOf(x)));
}

/** What the card shows next to a label (a fact's value, an environment's roles). */
const besides = (texts: string[], label: string): string | undefined => texts[texts.lastIndexOf(label) + 1];

/** A Teams message from a Playground user, as the Playground would send it; the texts of the card it gets back. */
async function teamsSays(http: HttpServer, user: typeof alex, text: string): Promise<string[]> {
  const base = JSON.parse(readFileSync(join(__dirname, '../fixtures/teams/message-personal.json'), 'utf8')) as Record<string, unknown>;
  const conversation = { id: `personal-${user.id}`, conversationType: 'personal', tenantId: (base.conversation as { tenantId: string }).tenantId };
  const activity = { ...base, id: `m-${user.id}-${Date.now()}`, serviceUrl: connector.url, from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId }, conversation, text };
  const res = await fetch(`${http.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  expect(res.status).toBe(200);
  return textsOf(connector.posts(conversation.id).at(-1)?.body.attachments);
}

it('with a tenant: Teams users are looked up in Graph by object id, also when named by Teams id', async () => {
  const log = new CapturingLogger();
  const { app, http } = await compose(true, log);
  expect(app.graphDirectory).toBeDefined();
  startTeams(app, http, parseRuntimeEnv({}), log, 'demo');
  expect(log.lines.filter((l) => /without Microsoft Graph/.test(l.msg ?? ''))).toEqual([]);

  // Isaiah is named nowhere but in the ML Leads group (through ML Reviewers): whoami says approver in prod.
  const whoami = await teamsSays(http, isaiah, 'whoami');
  expect(besides(whoami, 'Email')).toBe(isaiah.email);
  expect(besides(whoami, 'prod')).toBe('approver, requester');
  // Patti is named nowhere and in no approvers' group (Alex, in the demo, approves others' requests).
  expect(besides(await teamsSays(http, patti, 'whoami'), 'prod')).toBe('requester');

  // Megan is named by her Teams user id; having talked to the bot, her email is found through her object id.
  await teamsSays(http, megan, 'whoami');
  expect(await app.directory.emailOf(`teams:${megan.id}`)).toBe(megan.email);
  expect(await app.directory.isMemberOf({ id: `teams:${adele.id}`, aadObjectId: adele.aadObjectId }, DEMO_APPROVER_GROUP)).toBe(true);
});

it('with a tenant: Slack users are checked in Graph by their email', async () => {
  const log = new CapturingLogger();
  const { app, http } = await compose(true, log);
  const api = await new FakeSlackApi().start();
  open.push(api);
  const secret = (v: string) => ({ reveal: () => v });
  const slack = await startSlack(app, http, { botToken: secret('xoxb-wiring'), signingSecret: secret('s'), mode: 'http', apiUrl: api.apiUrl } as never, log);
  open.push({ close: () => slack.stop() });
  expect(await app.directory.isMemberOf({ id: 'slack:U0ADELE', email: adele.email }, DEMO_APPROVER_GROUP)).toBe(true);
  expect(await app.directory.isMemberOf({ id: 'slack:U0MEGAN', email: megan.email }, DEMO_APPROVER_GROUP)).toBe(false);
});

it('without a tenant: email and group entries stay denied on Teams, and the log says why', async () => {
  const log = new CapturingLogger();
  const { app, http } = await compose(false, log);
  expect(app.graphDirectory).toBeUndefined();
  startTeams(app, http, parseRuntimeEnv({}), log, 'demo');
  const warning = log.lines.find((l) => l.level === 'warn' && /without Microsoft Graph/.test(l.msg ?? ''));
  expect(warning?.msg).toMatch(/Set AZURE_TENANT_ID/);
  expect(await app.directory.isMemberOf({ id: `teams:${isaiah.aadObjectId}`, aadObjectId: isaiah.aadObjectId }, DEMO_APPROVER_GROUP)).toBe(false);
  const whoami = await teamsSays(http, isaiah, 'whoami');
  expect([besides(whoami, 'Email'), besides(whoami, 'prod')]).toEqual(['unknown', 'requester']);
});

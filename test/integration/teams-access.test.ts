/**
 * Who may reach `/api/messages` and where the bot may post, on a real port with the Agents SDK's
 * CloudAdapter: Teams off in a configured installation without an app id, the anonymous endpoint
 * refusing proxied requests, the Teams-only channel, the serviceUrl allow-list (stored references
 * included) and the tenant check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONVERSATIONS } from '../../src/adapters/teams';
import { createTransport } from '../../src/adapters/teams/transport';
import { ChatRouter } from '../../src/app/chat-router';
import type { ComposedApp } from '../../src/app/compose';
import { startTeams } from '../../src/app/teams';
import { parseRuntimeEnv } from '../../src/config';
import { card } from '../../src/core/cards/views';
import { startHttpServer, type HttpServer } from '../../src/http';
import { CapturingLogger } from '../fakes/logger';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';
import { activity, startTeamsBot, type TeamsBot } from './teams-harness';

let dir: string;
let connector: FakeConnector;
let bot: TeamsBot | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teams-access-'));
  connector = await startFakeConnector();
});

afterEach(async () => {
  await bot?.close();
  bot = undefined;
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
});

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '00000000-0000-0000-0000-0000000000001';
const notice = card('notice', { title: 'Audit', text: 'something happened', tone: 'info' });
const stored = async () => (await bot!.store.listDocs(CONVERSATIONS)).length;
const refusedWith = (code: string) => bot!.log.lines.some((l) => l.level === 'warn' && l.msg === 'Teams activity refused' && l.obj.code === code);

describe('Teams off in a configured installation without an app id', () => {
  test('nothing is mounted, and the start-up log says why and which variables to set', async () => {
    bot = await startTeamsBot({ dbFile: join(dir, 'bot.db'), appMode: 'configured' });
    expect(bot.surface.enabled).toBe(false);
    const res = await bot.send(activity('message-personal', connector, { text: 'whoami' }));
    expect(res.status).toBe(404);
    expect(connector.calls).toEqual([]);
    const line = bot.log.lines.find((l) => l.level === 'warn' && /^Teams is off/.test(l.msg ?? ''));
    expect(line?.obj.fix).toMatch(/MicrosoftAppId.*MicrosoftAppPassword.*MLOPS_TEAMS_LOCAL=true/s);
    expect(await bot.surface.missingReferences(['teams:19:x@thread.tacv2', 'slack:C1'])).toEqual([
      { channel: 'teams:19:x@thread.tacv2', fix: expect.stringMatching(/Teams is off.*Set MicrosoftAppId/s) },
    ]);
    await expect(bot.surface.chat.post('teams:19:x@thread.tacv2', notice)).rejects.toThrow(/Teams is off/);
  });

  test('the explicit local flag runs the anonymous endpoint for a client on this machine', async () => {
    bot = await startTeamsBot({ dbFile: join(dir, 'bot.db'), appMode: 'configured', local: true });
    expect(bot.surface.enabled).toBe(true);
    expect((await bot.send(activity('message-personal', connector, { text: 'whoami' }))).status).toBe(200);
    expect(connector.calls).toHaveLength(1);
  });

  test('the composition passes the mode in: configured leaves teams: unregistered and unmounted, demo mounts it', async () => {
    bot = await startTeamsBot({ dbFile: join(dir, 'bot.db') });
    const runtime = parseRuntimeEnv({ MLOPS_CONFIG: '/etc/mlops.yaml' });
    const servers: HttpServer[] = [];
    try {
      for (const mode of ['configured', 'demo'] as const) {
        const http = await startHttpServer({ port: 0, host: '127.0.0.1', log: new CapturingLogger() });
        servers.push(http);
        const chat = new ChatRouter();
        const log = new CapturingLogger();
        const surface = startTeams({ core: bot.core, chat } as unknown as ComposedApp, http, runtime, log, mode);
        const res = await fetch(`${http.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity('message-personal', connector, { text: 'whoami' })) });
        expect({ mode, enabled: surface.enabled, registered: chat.has('teams'), status: res.status }).toEqual(
          mode === 'configured' ? { mode, enabled: false, registered: false, status: 404 } : { mode, enabled: true, registered: true, status: 200 },
        );
        expect(log.lines.some((l) => /^Teams is off/.test(l.msg ?? ''))).toBe(mode === 'configured');
      }
    } finally {
      for (const s of servers) await s.close();
    }
  });
});

describe('the anonymous endpoint', () => {
  beforeEach(async () => { bot = await startTeamsBot({ dbFile: join(dir, 'bot.db') }); });

  test.each([
    ['x-forwarded-for', '203.0.113.7'],
    ['forwarded', 'for=203.0.113.7;proto=https'],
  ])('refuses a request relayed by a proxy (%s): 403, nothing stored or sent', async (header, value) => {
    const res = await bot!.send(activity('message-personal', connector, { text: 'whoami' }), { [header]: value });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/proxy/);
    expect(await stored()).toBe(0);
    expect(connector.calls).toEqual([]);
  });

  test.each([
    ['a Teams host', 'https://smba.trafficmanager.net/teams/'],
    ['a link-local metadata address', 'http://169.254.169.254/metadata/'],
    ['a LAN address', 'http://10.0.0.5:8080/'],
    ['a loopback look-alike', 'http://127.0.0.1.attacker.example/'],
  ])('refuses a serviceUrl off this machine (%s): 403, never stored', async (_what, serviceUrl) => {
    const res = await bot!.send(activity('message-personal', connector, { text: 'whoami', serviceUrl }));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('service_url_not_allowed');
    expect(await stored()).toBe(0);
    expect(connector.calls).toEqual([]);
    expect(refusedWith('service_url_not_allowed')).toBe(true);
  });

  test.each(['webchat', 'directline', 'emulator', undefined])('refuses activities from channel %s: 403, nothing runs', async (channelId) => {
    const res = await bot!.send(activity('message-personal', connector, { text: 'whoami', channelId }));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('wrong_channel');
    expect(await stored()).toBe(0);
    expect(connector.calls).toEqual([]);
  });

  test('an invoke with a refused serviceUrl gets 403 instead of a card', async () => {
    const res = await bot!.send(activity('invoke-action-execute', connector, { serviceUrl: 'https://attacker.example/' }));
    expect(res.status).toBe(403);
    expect(await stored()).toBe(0);
  });

  test('stored references that point off this machine are never used; new ones are not recorded', async () => {
    const reference = { channelId: 'msteams', serviceUrl: 'http://10.0.0.5/', bot: { id: 'b' }, conversation: { id: '19:old@thread.tacv2' } };
    await bot!.store.putDoc(CONVERSATIONS, '19:old@thread.tacv2', { reference, type: 'channel', updatedAt: '2026-01-01T00:00:00.000Z' });
    await bot!.surface.link('teams:old-approvals', '19:old@thread.tacv2');
    await expect(bot!.surface.chat.post('teams:19:old@thread.tacv2', notice)).rejects.toThrow(/no Teams conversation reference/);
    await expect(bot!.surface.chat.post('teams:old-approvals', notice)).rejects.toThrow(/no Teams conversation reference/);
    expect(await bot!.surface.missingReferences(['teams:old-approvals'])).toHaveLength(1);
    await expect(bot!.surface.addConversation({ conversationId: 'x', serviceUrl: 'https://example.com/_connector' })).rejects.toThrow(/not an allowed connector/);
    expect(connector.calls).toEqual([]);
  });
});

describe('the tenant check (MicrosoftAppTenantId set)', () => {
  beforeEach(async () => { bot = await startTeamsBot({ dbFile: join(dir, 'bot.db'), tenantId: TENANT.toUpperCase() }); });

  test('an activity of that tenant runs', async () => {
    expect((await bot!.send(activity('message-personal', connector, { text: 'whoami' }))).status).toBe(200);
    expect(connector.calls).toHaveLength(1);
  });

  test.each([
    ['another tenant everywhere', { conversation: { id: 'c', conversationType: 'personal', tenantId: 'ffffffff-0000-0000-0000-000000000000' }, channelData: { tenant: { id: 'ffffffff-0000-0000-0000-000000000000' } } }],
    ['our tenant in conversation, another in channelData', { channelData: { tenant: { id: 'ffffffff-0000-0000-0000-000000000000' } } }],
    ['no tenant at all', { conversation: { id: 'c', conversationType: 'personal' }, channelData: {} }],
  ])('refuses %s: 403, logged, nothing stored', async (_what, patch) => {
    const res = await bot!.send(activity('message-personal', connector, { text: 'whoami', ...patch }));
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('wrong_tenant');
    expect(refusedWith('wrong_tenant')).toBe(true);
    expect(await stored()).toBe(0);
    expect(connector.calls).toEqual([]);
  });
});

describe('authenticated mode', () => {
  test('an unsigned request gets 401 whatever it carries: the token is checked first', async () => {
    bot = await startTeamsBot({ dbFile: join(dir, 'bot.db'), appId: APP_ID, appPassword: 'not-a-real-secret' });
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const res = await bot.send(activity('message-personal', connector, { text: 'whoami', channelId: 'webchat', serviceUrl: 'http://169.254.169.254/' }));
      expect(res.status).toBe(401);
    } finally {
      quiet.mockRestore();
    }
    expect(await stored()).toBe(0);
  });

  // A real token from a local issuer; outbound the transport has no app credential (nothing offline
  // issues Bot Connector tokens), which the installation activity below never needs anyway.
  let issuer: TokenIssuer;
  beforeAll(async () => { issuer = await startTokenIssuer(); });
  afterAll(async () => { await issuer.close(); });
  const signedIn = () => startTeamsBot({ dbFile: join(dir, 'bot.db'), appId: APP_ID, appPassword: 'x', tenantId: null, keysUrl: issuer.keysUrl, transport: createTransport({ appType: 'MultiTenant' }) });

  test.each([
    ['https://smba.trafficmanager.net/teams/', true],
    ['https://smba.trafficmanager.net/emea/', true],
    ['https://smba.infra.gcc.teams.microsoft.com/teams', true],
    ['https://smba.infra.gov.teams.microsoft.us/teams', true],
    ['https://europe.webchat.botframework.com/', true],
    ['http://smba.trafficmanager.net/teams/', false],
    ['https://smba.trafficmanager.net.attacker.example/', false],
    ['https://attacker-botframework.com/', false],
    ['http://127.0.0.1:56150/_connector', false],
  ])('serviceUrl %s allowed: %s', async (serviceUrl, allowed) => {
    bot = await signedIn();
    // An installation: stored when allowed, and nothing is sent anywhere either way.
    const res = await bot.send(activity('installation-update-channel', connector, { serviceUrl }), { authorization: `Bearer ${issuer.sign(APP_ID, { serviceurl: serviceUrl })}` });
    expect(res.status).toBe(allowed ? 200 : 403);
    expect(await stored()).toBe(allowed ? 1 : 0);
    expect(connector.calls).toEqual([]);
  });
});

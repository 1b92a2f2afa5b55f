/**
 * With an app id, `/api/messages` refuses before it works: the token is checked from the headers
 * alone (before the body is read or parsed), every bad token is a 401 (never a 500) with no
 * internal detail in the answer and no stack trace in the log, and forged tokens cost no outbound
 * fetch each — signing keys and failed key fetches are cached. Real tokens, signed by a local
 * issuer that publishes its keys over HTTP the way login.botframework.com does. Where a valid token
 * lets an activity through, the transport has no outbound app credential (nothing offline can issue
 * Bot Connector tokens); the inbound check under test does not depend on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONVERSATIONS } from '../../src/adapters/teams';
import { createTransport } from '../../src/adapters/teams/transport';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';
import { activity, startTeamsBot, type TeamsBot } from './teams-harness';

const APP_ID = '11111111-2222-3333-4444-555555555555';
/** The fixtures' tenant. */
const TENANT = '00000000-0000-0000-0000-0000000000001';
const TEAMS_URL = 'https://smba.trafficmanager.net/teams/';

let dir: string;
let connector: FakeConnector;
let issuer: TokenIssuer;
let bot: TeamsBot;
let consoleErrors: jest.SpyInstance;
/** Log lines before this index were written at start-up (the fixtures' tenant id is not a GUID, which is logged). */
let mark = 0;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teams-auth-'));
  connector = await startFakeConnector();
  issuer = await startTokenIssuer();
  bot = await startTeamsBot({ dbFile: join(dir, 'bot.db'), appId: APP_ID, appPassword: 'not-a-real-secret', tenantId: TENANT, keysUrl: issuer.keysUrl });
  mark = bot.log.lines.length;
  consoleErrors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(async () => {
  consoleErrors.mockRestore();
  await bot.close();
  await issuer.close();
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
});

const install = (patch: Record<string, unknown> = {}) => activity('installation-update-channel', connector, { serviceUrl: TEAMS_URL, ...patch });
const stored = async () => (await bot.store.listDocs(CONVERSATIONS)).length;

async function post(body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, text: await res.text() };
}

/** Nothing logged at error level by the requests, no stack frames anywhere, nothing on the console. */
function quietLog(): void {
  const lines = bot.log.lines.slice(mark);
  expect(lines.filter((l) => l.level === 'error')).toEqual([]);
  expect(JSON.stringify(lines)).not.toMatch(/\\n\s+at |stack/);
  expect(consoleErrors).not.toHaveBeenCalled();
}

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

describe('refused before the body is parsed', () => {
  test.each([
    ['an empty object', '{}'],
    ['a deeply nested body', nested(50_000)],
    ['a body that is not JSON', '{"type": "message", '],
  ])('%s without a token: 401, quietly', async (_what, body) => {
    const res = await post(body);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.text)).toMatchObject({ error: 'unauthorized' });
    quietLog();
  });

  test('an empty object with a forged token: 401', async () => {
    const res = await post('{}', { authorization: `Bearer ${issuer.forge(APP_ID)}` });
    expect(res.status).toBe(401);
    quietLog();
  });
});

describe('forged and wrong tokens', () => {
  test('twenty forged tokens naming unknown keys: all 401, one key fetch between them, no internal error in any answer', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(JSON.stringify(install()), { authorization: `Bearer ${issuer.forge(APP_ID)}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(401));
    // The correlation id is random letters and digits: it is left out, so it cannot spell a word matched here.
    for (const a of answers) expect(a.text.replace(/"correlationId":"[^"]*"/, '')).not.toMatch(/fetch|ECONN|socket|jwks|login\.|Error|\[-?\d+\]/);
    expect(issuer.hits).toBe(1);
    const more = await post(JSON.stringify(install()), { authorization: `Bearer ${issuer.forge(APP_ID)}` });
    expect(more.status).toBe(401);
    expect(issuer.hits).toBe(1);
    expect(await stored()).toBe(0);
    quietLog();
  });

  test('a forged token naming the real key id fails the signature: 401', async () => {
    const res = await post(JSON.stringify(install()), { authorization: `Bearer ${issuer.forge(APP_ID, issuer.kid)}` });
    expect(res.status).toBe(401);
    expect(await stored()).toBe(0);
  });

  test('when the key endpoint is down, the failure is cached: twenty requests, one fetch, all 401', async () => {
    issuer.failWith = 503;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(JSON.stringify(install()), { authorization: `Bearer ${i % 2 ? issuer.forge(APP_ID) : issuer.sign(APP_ID, { serviceurl: TEAMS_URL })}` })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(401));
    expect(issuer.hits).toBe(1);
    expect(bot.log.lines.filter((l) => l.msg === 'Teams request refused: no valid token').map((l) => l.obj.reason)).toContain('keys_unavailable');
    quietLog();
  });

  test.each([
    ['for another app', () => issuer.sign('99999999-0000-0000-0000-000000000000')],
    ['from an issuer the bot does not trust', () => issuer.sign(APP_ID, { iss: 'https://attacker.example' })],
    ['expired', () => issuer.sign(APP_ID, {}, { expiresInSec: -3600 })],
    ['not a bearer token', () => 'not-a-jwt'],
  ])('a token %s: 401 without any key fetch', async (_what, token) => {
    const res = await post(JSON.stringify(install()), { authorization: `Bearer ${token()}` });
    expect(res.status).toBe(401);
    expect(await stored()).toBe(0);
    if (!/expired/.test(_what)) expect(issuer.hits).toBe(0);
  });

  test('a Basic header: 401', async () => {
    expect((await post(JSON.stringify(install()), { authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(401);
  });
});

describe('valid tokens', () => {
  beforeEach(async () => {
    await bot.close();
    bot = await startTeamsBot({ dbFile: join(dir, 'valid.db'), appId: APP_ID, appPassword: 'x', tenantId: TENANT, keysUrl: issuer.keysUrl, transport: createTransport({ appType: 'MultiTenant' }) });
    mark = bot.log.lines.length;
  });

  test('the activity runs; the keys are fetched once and reused', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await post(JSON.stringify(install({ action: 'add' })), { authorization: `Bearer ${issuer.sign(APP_ID, { serviceurl: TEAMS_URL })}` });
      expect(res.status).toBe(200);
    }
    expect(await stored()).toBe(1);
    expect(issuer.hits).toBe(1);
    quietLog();
  });

  test('a token issued for another connector cannot redirect the bot: 403 service_url_mismatch', async () => {
    const res = await post(JSON.stringify(install({ serviceUrl: 'https://smba.trafficmanager.net/emea/' })), { authorization: `Bearer ${issuer.sign(APP_ID, { serviceurl: TEAMS_URL })}` });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text).error).toBe('service_url_mismatch');
    expect(await stored()).toBe(0);
  });

  test('with a valid token, a body that is no activity is a 400, not a 500', async () => {
    for (const body of ['{}', JSON.stringify({ ...install(), type: 42 }), nested(50_000)]) {
      const res = await post(body, { authorization: `Bearer ${issuer.sign(APP_ID, { serviceurl: TEAMS_URL })}` });
      expect([400, 403]).toContain(res.status);
    }
    expect(await stored()).toBe(0);
    quietLog();
  });
});

test('a key not endorsed for Teams is refused', async () => {
  const other = await startTokenIssuer({ endorsements: ['webchat'] });
  const second = await startTeamsBot({ dbFile: join(dir, 'other.db'), appId: APP_ID, appPassword: 'x', tenantId: TENANT, keysUrl: other.keysUrl });
  try {
    const res = await fetch(`${second.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${other.sign(APP_ID, { serviceurl: TEAMS_URL })}` }, body: JSON.stringify(install()) });
    expect(res.status).toBe(401);
  } finally {
    await second.close();
    await other.close();
  }
});

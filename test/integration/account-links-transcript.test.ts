/**
 * `link`, `whoami`, `unlink` through the real composition on the embedded default: the emulator's
 * Entra, the bot's HTTP server with `/auth/callback`, SQLite, the outbox telling the person in chat,
 * and no token in a card, a log line or `/metrics`.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { authCallbackHandler } from '../../src/adapters/account-links';
import { accountLinkSetup } from '../../src/app/account-links';
import type { AzureEndpoints } from '../../src/app/azure';
import { composeApp, type ComposedApp } from '../../src/app/compose';
import { ConsoleChat, type ConsoleMessage } from '../../src/cli/console-chat';
import { loadConfig, parseRuntimeEnv } from '../../src/config';
import type { Outcome } from '../../src/core/commands/types';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { ROUTES, startHttpServer, type HttpServer } from '../../src/http';
import { CapturingLogger } from '../fakes/logger';
import { signInOnEmulator } from '../support/entra-sign-in';
import { tempDir } from './emulator-client';

jest.setTimeout(60_000);
const MEGAN = '00000000-0000-4000-8000-000000000021';

let dir: ReturnType<typeof tempDir>;
let emu: RunningEmulator;
let app: ComposedApp;
let http: HttpServer;
const log = new CapturingLogger();
const posted: ConsoleMessage[] = [];

beforeAll(async () => {
  dir = tempDir();
  emu = await startEmulator({ dataDir: join(dir.dir, 'emulator'), log, autoTick: false, jobEveryMs: 0 });
  const azure: AzureEndpoints = {
    armEndpoint: emu.armUrl, armAudience: 'https://management.azure.com', devopsOrgUrl: emu.devopsUrl, identityEndpoint: emu.identityEndpoint,
    identityHeader: emu.identityHeader, ca: emu.ca, graphEndpoint: emu.armUrl, tenantId: emu.tenantId, authorityHost: emu.authorityHost, signInClientId: emu.signInClientId,
  };
  const runtime = parseRuntimeEnv({ DATABASE_URL: `sqlite:${join(dir.dir, 'bot.db')}` });
  const loaded = await loadConfig(runtime, async () => '');
  let ownUrl: string | undefined;
  const accountLinks = accountLinkSetup(runtime, loaded.mode, azure, { dataDir: dir.dir, ownUrl: () => ownUrl });
  app = await composeApp({ loaded, log, azure, accountLinks, timing: { jobPollMs: 0, catalogueMs: 0 } });
  app.chat.register('cli', new ConsoleChat(app.store, (m) => posted.push(m)));
  http = await startHttpServer({ port: 0, host: '127.0.0.1', log });
  ownUrl = http.url;
  http.route('GET', ROUTES.authCallback, authCallbackHandler(app.accountLinks!, log));
});
afterAll(async () => {
  await http.close();
  await app.close();
  await emu.close();
  dir.cleanup();
});

const say = (id: string, text: string): Promise<Outcome> =>
  app.core.handle({ text, caller: { id, platform: 'cli', displayName: id.slice(4) }, correlationId: `t-${Math.random()}` });

/** Every string a card holds. */
const texts = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(texts) : v && typeof v === 'object' ? Object.values(v).flatMap(texts) : []);

it('keeps a generated token key in the data folder, readable by the owner only', () => {
  expect(statSync(join(dir.dir, 'token-key')).mode & 0o777).toBe(0o600);
});

it('links, shows and unlinks an account over real HTTP, telling the person in chat', async () => {
  const linked = await say('cli:megan', 'link');
  expect(linked).toEqual(expect.objectContaining({ status: 'ok', visibility: 'private' }));
  expect(linked.reply.template).toBe('account-link');
  const url = (linked.reply.data as { links: { url: string }[] }).links[0].url;
  expect(url.startsWith(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/authorize?`)).toBe(true);
  expect(new URL(url).searchParams.get('redirect_uri')).toBe(`${http.url}/auth/callback`);

  const { location } = await signInOnEmulator(url, MEGAN);
  const page = await fetch(location);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toMatch(/<strong>megan<\/strong> \(<code>cli:megan<\/code>\).*<strong>Megan Bowen<\/strong> \(<code>meganb@example.com<\/code>\)/s);

  await app.runBackgroundOnce();
  const notice = posted.find((m) => m.ref.channel === 'cli:megan');
  expect(texts(notice?.message).join(' ')).toContain('now linked to the Entra account Megan Bowen (meganb@example.com)');
  expect((await app.store.listAudit({})).map((e) => e.action)).toContain('account.linked');

  const whoami = texts((await say('cli:megan', 'whoami')).reply).join(' ');
  expect(whoami).toContain('Linked Entra account');
  expect(whoami).toContain(`Megan Bowen (meganb@example.com), object id ${MEGAN}`);

  const token = await app.accountLinks!.adoAccessToken('cli:megan');
  if (!token.ok) throw new Error(token.detail);
  const metrics = await (await fetch(`${http.url}/metrics`)).text();
  for (const text of [metrics, JSON.stringify(log.lines), JSON.stringify(posted), JSON.stringify(linked)]) expect(text).not.toContain(token.token.split('.')[2]);

  const unlinked = await say('cli:megan', 'unlink');
  expect(unlinked.status).toBe('ok');
  expect(texts(unlinked.reply).join(' ')).toContain('no longer linked to Megan Bowen');
  expect(texts((await say('cli:megan', 'whoami')).reply).join(' ')).toContain('none: approvals are recorded as the bot');
  expect((await say('cli:megan', 'unlink')).status).toBe('not_found');
  expect(await app.accountLinks!.adoAccessToken('cli:megan')).toEqual(expect.objectContaining({ ok: false, reason: 'not-linked' }));
});

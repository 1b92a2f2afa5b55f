/**
 * Account linking against the emulator over real HTTP (not a test file): the emulator's Entra, the
 * adapter on a SQLite file (so tests can read the raw rows), the bot's `GET /auth/callback` on a real
 * HTTP server, and a fetch that remembers what the token endpoint answered, so a test knows the token
 * texts that must never be found in the store.
 */
import { join } from 'node:path';
import {
  authCallbackHandler, EntraAccountLinks, EntraEndpoints, LinkRecords, TokenCipher, type TokenKey,
} from '../../src/adapters/account-links';
import { openStore } from '../../src/adapters/store';
import { SigningKeys } from '../../src/adapters/teams/signing-keys';
import type { LinkEvent } from '../../src/core/links/announce';
import type { Store } from '../../src/core/ports';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { ROUTES, startHttpServer, type HttpServer } from '../../src/http';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { quietLog, tempDir } from '../integration/emulator-client';
import { signInOnEmulator } from './entra-sign-in';

export const KEY_A: TokenKey = { id: 'a', key: Buffer.alloc(32, 7) };
export const KEY_B: TokenKey = { id: 'b', key: Buffer.alloc(32, 9) };

export interface LinkRig {
  emu: RunningEmulator;
  store: Store;
  dbPath: string;
  http: HttpServer;
  clock: FakeClock;
  log: CapturingLogger;
  links: EntraAccountLinks;
  records: LinkRecords;
  events: LinkEvent[];
  /** Every token text the emulator's token endpoint handed out. */
  issued: string[];
  /** A fresh adapter on the same store with another key ring (rotation). */
  withKeys(keys: TokenKey[]): EntraAccountLinks;
  /** Signs in at the emulator as `userId` and returns the callback URL the browser would open. */
  signIn(authorizeUrl: string, userId: string): Promise<string>;
  /** Opens the callback like a browser: status and page. */
  callback(url: string): Promise<{ status: number; page: string }>;
  close(): Promise<void>;
}

export async function startLinkRig(): Promise<LinkRig> {
  const dir = tempDir();
  const emu = await startEmulator({ dataDir: join(dir.dir, 'emulator'), log: quietLog, autoTick: false, jobEveryMs: 0 });
  const dbPath = join(dir.dir, 'bot.db');
  const clock = new FakeClock(new Date().toISOString());
  const store = await openStore(`sqlite:${dbPath}`, { clock });
  const log = new CapturingLogger();
  const http = await startHttpServer({ port: 0, host: '127.0.0.1', log });
  const issued: string[] = [];
  const events: LinkEvent[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (String(input).endsWith('/oauth2/v2.0/token') && res.ok) {
      const body = (await res.clone().json()) as Record<string, unknown>;
      for (const k of ['access_token', 'refresh_token', 'id_token']) if (typeof body[k] === 'string') issued.push(body[k] as string);
    }
    return res;
  };
  const records = new LinkRecords(store);
  const make = (keys: TokenKey[]): EntraAccountLinks => new EntraAccountLinks({
    entra: new EntraEndpoints({ authorityHost: emu.authorityHost, tenant: emu.tenantId, clientId: emu.signInClientId, redirectUri: () => `${http.url}${ROUTES.authCallback}`, fetch: recordingFetch }),
    records, cipher: new TokenCipher(keys), keys: new SigningKeys(), clock, log,
    announce: async (e) => { events.push(e); },
  });
  const links = make([KEY_A]);
  http.route('GET', ROUTES.authCallback, authCallbackHandler(links, log));
  return {
    emu, store, dbPath, http, clock, log, links, records, events, issued,
    withKeys: make,
    async signIn(authorizeUrl, userId) {
      return (await signInOnEmulator(authorizeUrl, userId)).location;
    },
    async callback(url) {
      const res = await fetch(url);
      return { status: res.status, page: await res.text() };
    },
    async close() {
      await http.close();
      await store.close();
      await emu.close();
      dir.cleanup();
    },
  };
}

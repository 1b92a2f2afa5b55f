/**
 * Wiring of account linking (DESIGN 9.6): where Entra is (the configured authority and tenant, or the
 * emulator's), the sign-in app, the redirect URI and the token key ring. In the embedded default
 * nothing needs setting: the emulator's endpoints and public client, the bot's own URL, and a key made
 * once and kept in the data folder (`token-key`, mode 600).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntraAccountLinks, EntraEndpoints, LinkRecords, TokenCipher, type TokenKey } from '../adapters/account-links';
import { SigningKeys } from '../adapters/teams/signing-keys';
import { parseTokenKeys, type RuntimeConfig, type TokenKeyConfig } from '../config';
import { IssueList } from '../config/config-error';
import { linkAnnouncer } from '../core/links/announce';
import type { Clock, Logger, Store } from '../core/ports';
import type { BotSettings } from '../core/settings';
import type { AzureEndpoints } from './azure';

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
const KEY_FILE = 'token-key';

export interface AccountLinkSetup {
  authorityHost: string;
  tenant: string;
  clientId: string;
  clientSecret?: string;
  /** Base of the redirect URI; a function because the server's own URL is known only once it listens. */
  publicUrl: () => string;
  keys: TokenKey[];
}

const toKeys = (ring: TokenKeyConfig[]): TokenKey[] => ring.map((k) => ({ id: k.id, key: Buffer.from(k.key.reveal(), 'base64') }));

/** The demo's key, made on first use and kept beside the database. */
export function demoTokenKeys(dataDir: string): TokenKey[] {
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // The server and the CLI may start together: whoever wrote first made the key.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const issues = new IssueList();
  const ring = parseTokenKeys(readFileSync(file, 'utf8').trim(), file, issues);
  issues.throwIfAny(file);
  return toKeys(ring as TokenKeyConfig[]);
}

/**
 * What linking needs, or undefined when it is off (a config file without the variables, or a demo
 * whose emulator does not serve sign-in).
 */
export function accountLinkSetup(runtime: RuntimeConfig, mode: 'demo' | 'configured', azure: AzureEndpoints, opts: { dataDir: string; ownUrl: () => string | undefined }): AccountLinkSetup | undefined {
  const v = runtime.accountLinks;
  const publicUrl = (): string => v.publicUrl ?? opts.ownUrl() ?? `http://127.0.0.1:${runtime.port}`;
  if (mode === 'demo') {
    if (!azure.authorityHost || !azure.tenantId) return undefined;
    const clientId = v.clientId ?? azure.signInClientId;
    if (!clientId) return undefined;
    return {
      authorityHost: azure.authorityHost, tenant: azure.tenantId, clientId, clientSecret: v.clientSecret?.reveal(), publicUrl,
      keys: v.tokenKeys ? toKeys(v.tokenKeys) : demoTokenKeys(opts.dataDir),
    };
  }
  if (!v.publicUrl || !v.clientId || !v.tokenKeys) return undefined;
  return {
    authorityHost: (runtime.azure.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, ''), tenant: runtime.azure.tenantId ?? 'organizations',
    clientId: v.clientId, clientSecret: v.clientSecret?.reveal(), publicUrl, keys: toKeys(v.tokenKeys),
  };
}

export function buildAccountLinks(setup: AccountLinkSetup, deps: { store: Store; clock: Clock; log: Logger; settings: BotSettings }): EntraAccountLinks {
  const entra = new EntraEndpoints({
    authorityHost: setup.authorityHost, tenant: setup.tenant, clientId: setup.clientId, clientSecret: setup.clientSecret,
    redirectUri: () => `${setup.publicUrl().replace(/\/+$/, '')}/auth/callback`,
  });
  return new EntraAccountLinks({
    entra, records: new LinkRecords(deps.store), cipher: new TokenCipher(setup.keys), keys: new SigningKeys({ now: () => deps.clock.now().getTime() }),
    clock: deps.clock, log: deps.log.child({ component: 'account-links' }), announce: linkAnnouncer({ store: deps.store, settings: deps.settings }),
  });
}


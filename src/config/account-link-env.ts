/**
 * The variables of account linking (DESIGN 9.6): `MLOPS_PUBLIC_URL` (base of the redirect URI
 * `<url>/auth/callback`), `MLOPS_OAUTH_CLIENT_ID`, `MLOPS_OAUTH_CLIENT_SECRET` and `MLOPS_TOKEN_KEY`
 * (the key ring refresh tokens are sealed with). With a config file, linking is on when the public
 * URL, the client id and the key are all set, and off when none is; the demo fills in what is unset.
 */
import { createHash } from 'node:crypto';
import type { IssueList } from './config-error';
import { GUID, type EnvReader } from './env-reader';
import { Secret } from './secret';

export interface TokenKeyConfig {
  /** Stored beside every sealed token, so rotation knows which key opens it. */
  id: string;
  /** The 32 key bytes, base64. */
  key: Secret;
}

export interface AccountLinkRuntime {
  publicUrl?: string;
  clientId?: string;
  clientSecret?: Secret;
  /** First key seals, every key opens. */
  tokenKeys?: TokenKeyConfig[];
}

const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;

function keyBytes(text: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/**
 * `[<id>:]<key>[,[<id>:]<key>…]`, each key 32 bytes in base64 (or 64 hex digits); without an id the
 * key's id is the start of its SHA-256. Problems go to `issues` under `setting`, never echoing a key.
 */
export function parseTokenKeys(text: string, setting: string, issues: IssueList): TokenKeyConfig[] | undefined {
  const keys: TokenKeyConfig[] = [];
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  parts.forEach((part, i) => {
    const colon = part.indexOf(':');
    const id = colon > 0 ? part.slice(0, colon) : undefined;
    const bytes = keyBytes(colon > 0 ? part.slice(colon + 1) : part);
    const which = parts.length > 1 ? `key ${i + 1}` : 'the key';
    if (id !== undefined && !KEY_ID.test(id)) {
      issues.add(setting, `${which} has an id with characters other than letters, digits and . _ - (at most 32).`, `write it as <id>:<base64 key>, e.g. k2026:…`);
    } else if (!bytes) {
      issues.add(setting, `${which} is not 32 bytes in base64 (or 64 hex digits).`, 'make one with `openssl rand -base64 32` (or node -e "console.log(require(\'crypto\').randomBytes(32).toString(\'base64\'))").');
    } else {
      keys.push({ id: id ?? `k${createHash('sha256').update(bytes).digest('hex').slice(0, 8)}`, key: new Secret(bytes.toString('base64')) });
    }
  });
  if (parts.length === 0) issues.add(setting, 'holds no key.', 'set it to a 32-byte key in base64.');
  const ids = keys.map((k) => k.id);
  if (new Set(ids).size !== ids.length) issues.add(setting, 'names one key id twice.', 'give each key of the ring its own id.');
  return keys.length === parts.length && parts.length > 0 ? keys : undefined;
}

function publicUrl(r: EnvReader): string | undefined {
  const url = r.url('MLOPS_PUBLIC_URL', undefined, false);
  if (!url) return undefined;
  const u = new URL(url);
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !loopback) {
    r.issues.add('MLOPS_PUBLIC_URL', `"${url}" is not https: Entra accepts http redirect URIs only for localhost.`, 'use the https:// address the bot is reached at, e.g. https://mlops-bot.azurewebsites.net.');
  }
  if (u.search || u.hash) r.issues.add('MLOPS_PUBLIC_URL', 'has a query or a fragment.', 'give the base address only; the bot adds /auth/callback.');
  return url;
}

export function accountLinkEnv(r: EnvReader, configured: boolean): AccountLinkRuntime {
  const clientId = r.text('MLOPS_OAUTH_CLIENT_ID');
  if (clientId && !GUID.test(clientId)) r.issues.add('MLOPS_OAUTH_CLIENT_ID', `"${clientId}" is not a GUID.`, 'use the Application (client) ID of the Entra app registration that users sign in to.');
  const keyText = r.text('MLOPS_TOKEN_KEY');
  const out: AccountLinkRuntime = {
    publicUrl: publicUrl(r), clientId, clientSecret: r.secret('MLOPS_OAUTH_CLIENT_SECRET'),
    tokenKeys: keyText === undefined ? undefined : parseTokenKeys(keyText, 'MLOPS_TOKEN_KEY', r.issues),
  };
  r.requireWith('MLOPS_OAUTH_CLIENT_SECRET', ['MLOPS_OAUTH_CLIENT_ID'], 'the secret belongs to that app registration');
  // MLOPS_PUBLIC_URL alone is fine (chart links use it too); the client id or the key asks for all three.
  if (configured && (clientId !== undefined || keyText !== undefined)) {
    requireAllOrNone(r.issues, { MLOPS_PUBLIC_URL: r.text('MLOPS_PUBLIC_URL'), MLOPS_OAUTH_CLIENT_ID: clientId, MLOPS_TOKEN_KEY: keyText });
  }
  return out;
}

function requireAllOrNone(issues: IssueList, values: Record<string, string | undefined>): void {
  const set = Object.keys(values).filter((k) => values[k] !== undefined);
  if (set.length === 0 || set.length === Object.keys(values).length) return;
  for (const missing of Object.keys(values).filter((k) => values[k] === undefined)) {
    issues.add(missing, `is missing while ${set.join(' and ')} ${set.length > 1 ? 'are' : 'is'} set (account linking needs MLOPS_PUBLIC_URL, MLOPS_OAUTH_CLIENT_ID and MLOPS_TOKEN_KEY).`, `set ${missing}, or unset ${set.join(' and ')} to leave linking off.`);
  }
}

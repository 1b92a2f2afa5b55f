/**
 * A Bot Framework token issuer over real HTTP (not a test file): an RSA key pair, its public half
 * published as a JWKS document the way login.botframework.com publishes one (with the channels the
 * key is endorsed for), and tokens signed with the private half. The JWKS endpoint counts its hits
 * and can be switched to fail, so tests can see how often the bot fetches keys.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

export interface TokenIssuer {
  /** The JWKS URL to configure as the Bot Framework keys URL. */
  keysUrl: string;
  kid: string;
  /** Requests the JWKS endpoint received. */
  hits: number;
  /** When set, the JWKS endpoint answers with this status instead of the keys. */
  failWith: number | null;
  /** A token for `appId` signed with the published key; claims override the defaults. */
  sign(appId: string, claims?: Record<string, unknown>, opts?: { kid?: string; key?: KeyObject; expiresInSec?: number }): string;
  /** A token signed with a key nobody published (what a forger has), naming `kid`. */
  forge(appId: string, kid?: string, claims?: Record<string, unknown>): string;
  close(): Promise<void>;
}

/** Generated once per test file: RSA key generation is slow and the keys carry no state. */
let pairs: { publicKey: KeyObject; privateKey: KeyObject; attacker: KeyObject } | undefined;

export async function startTokenIssuer(opts: { endorsements?: string[] } = {}): Promise<TokenIssuer> {
  pairs ??= { ...generateKeyPairSync('rsa', { modulusLength: 2048 }), attacker: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
  const { publicKey, privateKey, attacker } = pairs;
  const kid = `key-${randomUUID()}`;
  const jwk = publicKey.export({ format: 'jwk' });
  const doc = { keys: [{ kty: 'RSA', use: 'sig', kid, n: jwk.n, e: jwk.e, endorsements: opts.endorsements ?? ['msteams', 'webchat'] }] };
  const server: Server = createServer((_req, res) => {
    self.hits++;
    if (self.failWith !== null) {
      res.writeHead(self.failWith);
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const sign = (appId: string, claims: Record<string, unknown> = {}, o: { kid?: string; key?: KeyObject; expiresInSec?: number } = {}) =>
    jwt.sign({ iss: 'https://api.botframework.com', aud: appId, serviceurl: 'https://smba.trafficmanager.net/teams/', ...claims }, o.key ?? privateKey, {
      algorithm: 'RS256', keyid: o.kid ?? kid, expiresIn: o.expiresInSec ?? 3600,
    });
  const self: TokenIssuer = {
    keysUrl: `http://127.0.0.1:${port}/v1/.well-known/keys`,
    kid,
    hits: 0,
    failWith: null,
    sign,
    forge: (appId, forgedKid = `forged-${randomUUID()}`, claims = {}) => sign(appId, claims, { kid: forgedKid, key: attacker }),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return self;
}

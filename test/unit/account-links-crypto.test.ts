/** Sealed tokens (AES-256-GCM, key ring) and the id token checks of a sign-in. */
import { randomUUID } from 'node:crypto';
import { TokenCipher } from '../../src/adapters/account-links';
import { checkIdToken, type IdTokenExpectations } from '../../src/adapters/account-links/id-token';
import { SigningKeys } from '../../src/adapters/teams/signing-keys';
import { startTokenIssuer, type TokenIssuer } from '../support/token-issuer';

const A = { id: 'a', key: Buffer.alloc(32, 1) };
const B = { id: 'b', key: Buffer.alloc(32, 2) };

describe('token cipher', () => {
  it('seals with a fresh IV each time and opens only for the same user, untampered', () => {
    const cipher = new TokenCipher([A]);
    const one = cipher.seal('refresh-token-text', 'slack:U1');
    const two = cipher.seal('refresh-token-text', 'slack:U1');
    expect(one.iv).not.toBe(two.iv);
    expect(one.data).not.toBe(two.data);
    expect(JSON.stringify(one)).not.toContain('refresh-token-text');
    expect(cipher.open(one, 'slack:U1')).toEqual({ ok: true, value: 'refresh-token-text' });
    expect(cipher.open(one, 'slack:U2')).toEqual({ ok: false, reason: 'tampered' });
    const flipped = Buffer.from(one.data, 'base64');
    flipped[0] ^= 1;
    expect(cipher.open({ ...one, data: flipped.toString('base64') }, 'slack:U1')).toEqual({ ok: false, reason: 'tampered' });
    expect(cipher.open({ ...one, tag: Buffer.alloc(16).toString('base64') }, 'slack:U1')).toEqual({ ok: false, reason: 'tampered' });
  });

  it('rotates: the first key seals, every key of the ring opens, a removed key does not', () => {
    const old = new TokenCipher([A]).seal('t', 'u');
    const ring = new TokenCipher([B, A]);
    expect(ring.open(old, 'u')).toEqual({ ok: true, value: 't' });
    expect(ring.isStale(old)).toBe(true);
    expect(ring.seal('t', 'u').kid).toBe('b');
    expect(new TokenCipher([B]).open(old, 'u')).toEqual({ ok: false, reason: 'unknown_key' });
    expect(() => new TokenCipher([{ id: 'short', key: Buffer.alloc(16) }])).toThrow('32 bytes');
  });
});

describe('id token checks', () => {
  let issuer: TokenIssuer;
  const TENANT = '11111111-2222-4333-8444-555555555555';
  const CLIENT = '66666666-7777-4888-8999-000000000000';
  const HOST = 'https://login.example.test';
  const now = Date.now();
  beforeAll(async () => { issuer = await startTokenIssuer(); });
  afterAll(async () => { await issuer.close(); });

  const expect_ = (over: Partial<IdTokenExpectations> = {}): IdTokenExpectations => ({ jwksUrl: issuer.keysUrl, authorityHost: HOST, tenant: TENANT, clientId: CLIENT, nonce: 'n-1', nowMs: now, ...over });
  const good = { iss: `${HOST}/${TENANT}/v2.0`, tid: TENANT, oid: randomUUID(), preferred_username: 'megan@contoso.com', name: 'Megan', nonce: 'n-1' };
  const check = (claims: Record<string, unknown>, over: Partial<IdTokenExpectations> = {}, token?: string) =>
    checkIdToken(token ?? issuer.sign(CLIENT, { ...good, ...claims }), new SigningKeys(), expect_(over));

  it('accepts a token that passes every check and reads the person from it', async () => {
    expect(await check({})).toEqual({ ok: true, user: { objectId: good.oid, tenantId: TENANT, userPrincipalName: 'megan@contoso.com', displayName: 'Megan' } });
    expect((await check({}, { tenant: 'organizations' })).ok).toBe(true);
  });

  it.each([
    ['another audience', {}, { clientId: randomUUID() }, /audience/],
    ['another nonce', { nonce: 'n-2' }, {}, /nonce/],
    ['another tenant than the configured one', { tid: randomUUID() }, {}, /another tenant/],
    ['another issuer', { iss: 'https://evil.example/v2.0' }, {}, /another issuer/],
    ['no object id', { oid: 'x' }, {}, /oid/],
    ['no user name', { preferred_username: '' }, {}, /preferred_username/],
    ['an expired token', {}, { nowMs: now + 2 * 3600_000 }, /expired/],
  ])('refuses %s', async (_what, claims, over, detail) => {
    const result = await check(claims, over);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.detail).toMatch(detail);
  });

  it('refuses a token signed by a key Entra does not publish, and one that is not a JWT', async () => {
    expect(await check({}, {}, issuer.forge(CLIENT, undefined, good))).toEqual({ ok: false, detail: expect.stringContaining('key Entra does not publish') });
    expect(await check({}, {}, 'not-a-token')).toEqual({ ok: false, detail: 'the id token is not a JWT' });
  });
});

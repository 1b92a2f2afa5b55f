/** The emulator's Entra sign-in over real HTTP: authorize page, code + PKCE, refresh rotation, signed tokens. */
import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { DEVOPS_RESOURCE, startEmulator, type RunningEmulator } from '../../src/emulator';
import { pkcePair, signInOnEmulator } from '../support/entra-sign-in';
import { quietLog, tempDir } from './emulator-client';

const MEGAN = '00000000-0000-4000-8000-000000000021';
const SCOPE = `${DEVOPS_RESOURCE}/.default offline_access openid profile`;

describe('emulator Entra sign-in', () => {
  const tmp = tempDir();
  let emu: RunningEmulator;
  const redirectUri = 'http://127.0.0.1:3978/auth/callback';

  beforeAll(async () => {
    emu = await startEmulator({ dataDir: tmp.dir, log: quietLog, autoTick: false, jobEveryMs: 0 });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  const authority = (): string => `${emu.authorityHost}/${emu.tenantId}`;
  function authorizeUrl(challenge: string, extra: Record<string, string> = {}): string {
    const q = new URLSearchParams({
      client_id: emu.signInClientId, response_type: 'code', redirect_uri: redirectUri, scope: SCOPE,
      state: 'st-1', nonce: 'n-1', code_challenge: challenge, code_challenge_method: 'S256', ...extra,
    });
    return `${authority()}/oauth2/v2.0/authorize?${q}`;
  }
  async function tokenCall(fields: Record<string, string>): Promise<{ status: number; body: any }> {
    const res = await fetch(`${authority()}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ client_id: emu.signInClientId, ...fields }) });
    return { status: res.status, body: await res.json() };
  }
  async function codeFor(challenge: string): Promise<string> {
    const { location } = await signInOnEmulator(authorizeUrl(challenge), MEGAN);
    const back = new URL(location);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    expect(back.searchParams.get('state')).toBe('st-1');
    return back.searchParams.get('code') ?? '';
  }
  async function jwks(): Promise<{ kid: string; n: string; e: string }[]> {
    return ((await (await fetch(`${authority()}/discovery/v2.0/keys`)).json()) as { keys: { kid: string; n: string; e: string }[] }).keys;
  }

  it('lists the directory users on the sign-in page and refuses an unknown client without redirecting', async () => {
    const { page } = await signInOnEmulator(authorizeUrl(pkcePair().challenge), MEGAN);
    expect(page).toContain('Megan Bowen');
    expect(page).toContain('adelev@example.com');
    const bad = await fetch(authorizeUrl(pkcePair().challenge, { client_id: 'nobody' }), { redirect: 'manual' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('AADSTS700016');
    const noPkce = await fetch(authorizeUrl('x', { code_challenge_method: 'plain' }), { redirect: 'manual' });
    expect(noPkce.status).toBe(302);
    expect(new URL(noPkce.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_request');
  });

  it('redeems a code once, only with the right PKCE verifier', async () => {
    const pair = pkcePair();
    const wrong = await tokenCall({ grant_type: 'authorization_code', code: await codeFor(pair.challenge), redirect_uri: redirectUri, code_verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    expect(wrong.body.error_description).toMatch(/AADSTS501481/);
    const code = await codeFor(pair.challenge);
    const ok = await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pair.verifier });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual(expect.objectContaining({ token_type: 'Bearer', expires_in: 3600 }));
    const again = await tokenCall({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pair.verifier });
    expect(again.body.error).toBe('invalid_grant');

    const [key] = await jwks();
    const pem = createPublicKey({ key: { kty: 'RSA', n: key.n, e: key.e }, format: 'jwk' });
    const id = jwt.verify(ok.body.id_token, pem, { algorithms: ['RS256'], audience: emu.signInClientId, issuer: `${authority()}/v2.0` }) as Record<string, string>;
    expect(id).toEqual(expect.objectContaining({ iat: expect.any(Number), oid: MEGAN, tid: emu.tenantId, preferred_username: 'meganb@example.com', name: 'Megan Bowen', nonce: 'n-1' }));
    const access = jwt.verify(ok.body.access_token, pem, { algorithms: ['RS256'], audience: DEVOPS_RESOURCE }) as Record<string, string>;
    expect(access).toEqual(expect.objectContaining({ oid: MEGAN, upn: 'meganb@example.com', appid: emu.signInClientId }));
  });

  it('rotates refresh tokens: the one presented stops working', async () => {
    const pair = pkcePair();
    const first = await tokenCall({ grant_type: 'authorization_code', code: await codeFor(pair.challenge), redirect_uri: redirectUri, code_verifier: pair.verifier });
    const refreshed = await tokenCall({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token, scope: `${DEVOPS_RESOURCE}/.default offline_access` });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).toBeTruthy();
    expect(refreshed.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(jwt.decode(refreshed.body.access_token)).toEqual(expect.objectContaining({ aud: DEVOPS_RESOURCE, oid: MEGAN }));
    const reused = await tokenCall({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
    const secret = await tokenCall({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, client_secret: 's' });
    expect(secret.status).toBe(401);
  });
});

/**
 * Linking over real HTTP against the emulator's Entra: PKCE (S256) and the single-use state bound to
 * the chat user; replayed, expired, foreign or stolen answers and the wrong person are refused and
 * store nothing; tokens are sealed at rest, rotate on refresh and survive a key rotation.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { ACCOUNT_LINKS, PENDING_SIGN_INS, TokenCipher } from '../../src/adapters/account-links';
import { KEY_A, KEY_B, startLinkRig, type LinkRig } from '../support/account-link-rig';

jest.setTimeout(60_000);
const ALEX = '00000000-0000-4000-8000-000000000020';
const MEGAN = '00000000-0000-4000-8000-000000000021';

let rig: LinkRig;
beforeAll(async () => { rig = await startLinkRig(); });
afterAll(async () => { await rig.close(); });

const starter = (chatUserId: string, extra: { aadObjectId?: string; email?: string } = {}) => ({ chatUserId, platform: chatUserId.split(':')[0], displayName: chatUserId, ...extra });

function rawRows(namespace: string): string[] {
  const db = new Database(rig.dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT key, value FROM docs WHERE namespace = ?').all(namespace) as { key: string; value: string }[]).map((r) => `${r.key} ${r.value}`);
  } finally {
    db.close();
  }
}

async function linkCount(): Promise<number> {
  return (await rig.records.list()).length;
}

it('links with PKCE S256 and a state that works once; the page names both accounts', async () => {
  const { url, expiresAt } = await rig.links.begin(starter('slack:U0MEGAN', { email: 'MeganB@example.com' }));
  const q = new URL(url).searchParams;
  expect(q.get('code_challenge_method')).toBe('S256');
  expect(q.get('scope')).toBe('499b84ac-1321-427f-aa17-267ca6975798/.default offline_access openid profile');
  expect(q.get('login_hint')).toBe('meganb@example.com');
  expect(Date.parse(expiresAt) - rig.clock.now().getTime()).toBe(10 * 60_000);
  // The store keeps a hash of the state and the sealed verifier whose S256 is the challenge sent.
  const state = q.get('state') as string;
  const pending = rawRows(PENDING_SIGN_INS).find((r) => r.startsWith(createHash('sha256').update(state).digest('hex')));
  expect(pending).toBeDefined();
  expect(pending).not.toContain(state);
  const sealed = JSON.parse((pending as string).slice(65)).verifier;
  const verifier = new TokenCipher([KEY_A]).open(sealed, 'slack:U0MEGAN');
  expect(verifier.ok && createHash('sha256').update(verifier.value).digest('base64url')).toBe(q.get('code_challenge'));

  const back = await rig.signIn(url, MEGAN);
  const first = await rig.callback(back);
  expect(first.status).toBe(200);
  expect(first.page).toContain('slack:U0MEGAN');
  expect(first.page).toContain('Megan Bowen');
  expect(first.page).toContain('meganb@example.com');
  expect(await rig.links.linkedAccount('slack:U0MEGAN')).toEqual(expect.objectContaining({ objectId: MEGAN, userPrincipalName: 'meganb@example.com', tenantId: rig.emu.tenantId }));
  expect(rig.events.map((e) => e.kind)).toEqual(['linked']);
  const stored = JSON.stringify(await rig.records.get('slack:U0MEGAN'));

  const replay = await rig.callback(back);
  expect(replay.status).toBe(400);
  expect(replay.page).toContain('already used');
  expect(JSON.stringify(await rig.records.get('slack:U0MEGAN'))).toBe(stored);
  expect(rig.events).toHaveLength(1);
});

it('keeps no token text at rest: the stored row holds ciphertext, key id, IV and tag only', async () => {
  const row = rawRows(ACCOUNT_LINKS).find((r) => r.startsWith('slack:U0MEGAN ')) as string;
  expect(rig.issued.length).toBeGreaterThanOrEqual(3);
  for (const token of rig.issued) {
    expect(row).not.toContain(token);
    for (const part of token.split('.').filter((p) => p.length > 20)) expect(row).not.toContain(part);
  }
  const doc = JSON.parse(row.slice('slack:U0MEGAN '.length));
  expect(doc.refreshToken).toEqual({ alg: 'A256GCM', kid: 'a', iv: expect.any(String), tag: expect.any(String), data: expect.any(String) });
  expect(Buffer.from(doc.refreshToken.iv, 'base64')).toHaveLength(12);
  expect(Buffer.from(doc.refreshToken.tag, 'base64')).toHaveLength(16);
  for (const line of rig.log.lines) for (const token of rig.issued) expect(JSON.stringify(line)).not.toContain(token);
});

it('lets one of two simultaneous answers with the same state through, once', async () => {
  const { url } = await rig.links.begin(starter('cli:twice'));
  const back = await rig.signIn(url, MEGAN);
  const answers = await Promise.all([rig.callback(back), rig.callback(back)]);
  expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
  expect(rig.events.filter((e) => e.account.chatUserId === 'cli:twice')).toHaveLength(1);
  expect(await rig.links.unlink('cli:twice')).toEqual(expect.objectContaining({ objectId: MEGAN }));
});

it('refuses an expired state and stores nothing', async () => {
  const before = await linkCount();
  const { url } = await rig.links.begin(starter('cli:late'));
  const back = await rig.signIn(url, MEGAN);
  rig.clock.advance(10 * 60_000 + 1000);
  const answer = await rig.callback(back);
  expect(answer.status).toBe(400);
  expect(answer.page).toContain('expired');
  expect(await rig.links.linkedAccount('cli:late')).toBeNull();
  expect(await linkCount()).toBe(before);
  expect(rawRows(PENDING_SIGN_INS).filter((r) => r.includes('cli:late'))).toEqual([]);
});

it('refuses another person than the one the platform vouches for (Teams object id, Slack email) and stores nothing', async () => {
  const before = await linkCount();
  const teams = await rig.links.begin(starter('teams:alex', { aadObjectId: ALEX }));
  const asMegan = await rig.callback(await rig.signIn(teams.url, MEGAN));
  expect(asMegan.status).toBe(400);
  expect(asMegan.page).toContain('meganb@example.com signed in');
  const slack = await rig.links.begin(starter('slack:U0ALEX', { email: 'alexw@example.com' }));
  expect((await rig.callback(await rig.signIn(slack.url, MEGAN))).status).toBe(400);
  expect(await rig.links.linkedAccount('teams:alex')).toBeNull();
  expect(await rig.links.linkedAccount('slack:U0ALEX')).toBeNull();
  expect(await linkCount()).toBe(before);
  // The right person gets through with a new link.
  const again = await rig.links.begin(starter('teams:alex', { aadObjectId: ALEX }));
  expect((await rig.callback(await rig.signIn(again.url, ALEX))).status).toBe(200);
  expect((await rig.links.linkedAccount('teams:alex'))?.objectId).toBe(ALEX);
});

it('refuses a chat sign-in nobody vouched for: a link sent to someone else cannot tie their Entra account to the sender', async () => {
  const before = await linkCount();
  const unbound = await rig.links.begin(starter('slack:U0NOEMAIL'));
  const answer = await rig.callback(await rig.signIn(unbound.url, MEGAN));
  expect(answer.status).toBe(400);
  expect(answer.page).toContain('Nothing was linked');
  expect(await rig.links.linkedAccount('slack:U0NOEMAIL')).toBeNull();
  expect(await linkCount()).toBe(before);
});

it('refuses a foreign state and a code carried to another sign-in (PKCE), storing nothing', async () => {
  const before = await linkCount();
  const victim = await rig.links.begin(starter('cli:victim'));
  const attacker = await rig.links.begin(starter('cli:attacker'));
  const attackerCode = new URL(await rig.signIn(attacker.url, MEGAN)).searchParams.get('code') as string;
  const victimState = new URL(victim.url).searchParams.get('state') as string;
  // The attacker's code delivered with the victim's state: the victim's verifier does not match the attacker's challenge.
  const injected = await rig.callback(`${rig.http.url}/auth/callback?code=${encodeURIComponent(attackerCode)}&state=${victimState}`);
  expect(injected.status).toBe(400);
  expect(injected.page).toContain('Code_Verifier does not match');
  const foreign = await rig.callback(`${rig.http.url}/auth/callback?code=abc&state=${'x'.repeat(43)}`);
  expect(foreign.status).toBe(400);
  expect(foreign.page).toContain('not issued by this bot');
  expect((await rig.callback(`${rig.http.url}/auth/callback`)).status).toBe(400);
  expect(await rig.links.linkedAccount('cli:victim')).toBeNull();
  expect(await rig.links.linkedAccount('cli:attacker')).toBeNull();
  expect(await linkCount()).toBe(before);
});

it('gives Azure DevOps tokens for the linked person, rotating the stored refresh token', async () => {
  const first = await rig.links.adoAccessToken('slack:U0MEGAN');
  expect(first.ok).toBe(true);
  const again = await rig.links.adoAccessToken('slack:U0MEGAN');
  expect(again).toEqual(first);
  const before = (await rig.records.get('slack:U0MEGAN'))?.refreshToken;
  rig.clock.advance(56 * 60_000);
  const refreshed = await rig.links.adoAccessToken('slack:U0MEGAN');
  if (!refreshed.ok || !first.ok) throw new Error('no token');
  expect(refreshed.token).not.toBe(first.token);
  const claims = JSON.parse(Buffer.from(refreshed.token.split('.')[1], 'base64url').toString('utf8'));
  expect(claims).toEqual(expect.objectContaining({ aud: '499b84ac-1321-427f-aa17-267ca6975798', oid: MEGAN, upn: 'meganb@example.com' }));
  const after = (await rig.records.get('slack:U0MEGAN'))?.refreshToken;
  expect(after?.data).not.toBe(before?.data);
  expect(await rig.links.adoAccessToken('slack:U0NOBODY')).toEqual({ ok: false, reason: 'not-linked', detail: expect.stringContaining('link') });
});

it('survives a key rotation: old rows open with the old key and are re-sealed under the new one', async () => {
  const rotated = rig.withKeys([KEY_B, KEY_A]);
  expect(await rotated.resealStale()).toBeGreaterThanOrEqual(1);
  expect((await rig.records.get('slack:U0MEGAN'))?.refreshToken.kid).toBe('b');
  const onlyB = rig.withKeys([KEY_B]);
  rig.clock.advance(56 * 60_000);
  expect((await onlyB.adoAccessToken('slack:U0MEGAN')).ok).toBe(true);
  // A ring without the sealing key cannot read it: the person is asked to link again.
  const onlyA = rig.withKeys([KEY_A]);
  rig.clock.advance(56 * 60_000);
  expect(await onlyA.adoAccessToken('slack:U0MEGAN')).toEqual({ ok: false, reason: 'expired', detail: expect.stringContaining('link again') });
});

it('maps a revoked sign-in to expired, and unlink deletes the link and its tokens', async () => {
  const record = await rig.records.get('teams:alex');
  if (!record) throw new Error('teams:alex is not linked');
  // Replace the stored refresh token with one the emulator never issued (a revoked sign-in).
  await rig.records.put({ ...record, access: undefined, refreshToken: new TokenCipher([KEY_A]).seal('revoked-refresh-token', 'teams:alex') });
  expect(await rig.links.adoAccessToken('teams:alex')).toEqual({ ok: false, reason: 'expired', detail: expect.stringContaining('AADSTS700082') });
  expect((await rig.links.unlink('teams:alex'))?.objectId).toBe(ALEX);
  expect(await rig.links.unlink('teams:alex')).toBeNull();
  expect(rawRows(ACCOUNT_LINKS).filter((r) => r.startsWith('teams:alex '))).toEqual([]);
  expect(rig.events.at(-1)).toEqual(expect.objectContaining({ kind: 'unlinked' }));
});

/** The emulator's user access tokens read back by what it serves on a user's behalf (Azure DevOps). */
import type { EmulatorContext } from '../../src/emulator/context';
import { initialState } from '../../src/emulator/seed';
import { seedGraphUsers } from '../../src/emulator/seed-graph';
import { DEVOPS_RESOURCE, issueUserAccessToken, looksLikeUserToken, verifyUserAccessToken } from '../../src/emulator/user-tokens';

function context(): EmulatorContext & { ms: number } {
  const ctx = {
    ms: Date.parse('2026-03-02T09:00:00Z'),
    state: initialState(Date.parse('2026-03-02T09:00:00Z')),
    clock: { now: () => new Date(ctx.ms) },
    log: { child: () => ctx.log, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    persist: () => undefined, emit: () => undefined, random: () => 0.5,
    armBase: () => 'https://127.0.0.1:1', devopsOrgUrl: () => 'http://127.0.0.1:2/mlops-org',
  } as EmulatorContext & { ms: number };
  return ctx;
}

describe('emulator user tokens', () => {
  const [, megan] = seedGraphUsers();

  it('reads back who, for which audience and until when', () => {
    const emu = context();
    const { token, expiresIn } = issueUserAccessToken(emu, megan, { audience: DEVOPS_RESOURCE, clientId: 'client-1' });
    expect(looksLikeUserToken(`Bearer ${token}`)).toBe(true);
    const read = verifyUserAccessToken(emu, `Bearer ${token}`);
    expect(read).toEqual({ ok: true, claims: expect.objectContaining({ oid: megan.id, upn: megan.userPrincipalName, name: 'Megan Bowen', aud: DEVOPS_RESOURCE, appid: 'client-1', exp: emu.ms / 1000 + expiresIn }) });
  });

  it('refuses expired tokens, other audiences and tokens of another emulator', () => {
    const emu = context();
    const { token } = issueUserAccessToken(emu, megan, { audience: DEVOPS_RESOURCE, clientId: 'c' });
    const graph = issueUserAccessToken(emu, megan, { audience: '00000003-0000-0000-c000-000000000000', clientId: 'c' }).token;
    expect(verifyUserAccessToken(emu, graph)).toEqual({ ok: false, message: expect.stringContaining('audience') });
    const other = context();
    expect(verifyUserAccessToken(other, token)).toEqual({ ok: false, message: 'The access token was not issued by this emulator.' });
    emu.ms += 3601_000;
    expect(verifyUserAccessToken(emu, token)).toEqual({ ok: false, message: 'The access token has expired.' });
  });
});

/**
 * How access checks treat a Directory that cannot answer (Graph down): a later entry that matches
 * still grants, but when nothing matches the failure is thrown, never turned into a quiet "no".
 */
import { isApprover, matchesAny, mayManageSchedules, permits } from '../../src/core/access';
import { BotError } from '../../src/core/errors';
import type { Caller } from '../../src/core/identity';
import type { Directory } from '../../src/core/ports';
import { testSettings } from '../fakes/settings';

const GROUP = '11111111-2222-3333-4444-555555555555';
const outage = () => new BotError('upstream_unavailable', 'Could not check your group membership in Microsoft Graph (HTTP 503), so nothing was decided.');

/** Every lookup fails, and is counted. */
class DownDirectory implements Directory {
  emails = 0;
  groups = 0;
  async emailOf(): Promise<string | undefined> { this.emails++; throw outage(); }
  async isMemberOf(): Promise<boolean> { this.groups++; throw outage(); }
}

const erin: Caller = { id: 'teams:29:erin', platform: 'teams', displayName: 'Erin', aadObjectId: '0f0f0f0f-0000-4000-8000-000000000001' };

it('an outage is thrown when no entry matches', async () => {
  const down = new DownDirectory();
  await expect(matchesAny(erin, [`group:${GROUP}`, 'slack:U0ALICE'], down)).rejects.toMatchObject({ code: 'upstream_unavailable' });
  await expect(isApprover(erin, testSettings().environments[2], down)).rejects.toBeInstanceOf(BotError);
});

it('a later direct match still grants while the directory is down', async () => {
  expect(await matchesAny(erin, [`group:${GROUP}`, 'erin@contoso.com', 'teams:29:erin'], new DownDirectory())).toBe(true);
});

it('the email is asked for once however many email entries there are', async () => {
  const down = new DownDirectory();
  await expect(matchesAny(erin, ['a@contoso.com', 'b@contoso.com', 'c@contoso.com'], down)).rejects.toBeInstanceOf(BotError);
  expect(down.emails).toBe(1);
});

it('a known email needs no lookup and matches case-insensitively', async () => {
  const down = new DownDirectory();
  expect(await matchesAny({ ...erin, email: 'Erin@Contoso.com' }, ['erin@contoso.com'], down)).toBe(true);
  expect(down.emails).toBe(0);
});

it('without failures an unmatched caller is simply not listed', async () => {
  const none: Directory = { emailOf: async () => undefined, isMemberOf: async () => false };
  expect(await matchesAny(erin, [`group:${GROUP}`, 'erin@contoso.com', 'slack:U0ALICE'], none)).toBe(false);
});

it('permits looks past an environment it could not check to one that lists the caller', async () => {
  const settings = testSettings();
  settings.environments[1] = { ...settings.environments[1], approval: { ...settings.environments[2].approval!, approvers: ['teams:29:erin'] } };
  const down = new DownDirectory();
  // prod (group and email entries) cannot be checked; preprod names Erin directly.
  settings.environments.reverse();
  expect(await permits('approver', erin, settings, down)).toBe(true);
  expect(down.groups).toBeGreaterThan(0);
  await expect(permits('admin', erin, settings, down)).resolves.toBe(false);
  await expect(permits('approver', { ...erin, id: 'teams:29:frank' }, settings, down)).rejects.toMatchObject({ code: 'upstream_unavailable' });
});

it('a scheduler is found even when the admin list needs the directory', async () => {
  const settings = testSettings({ admins: [`group:${GROUP}`] });
  const prod = { ...settings.environments[2], schedulers: ['teams:29:erin'] };
  expect(await mayManageSchedules(erin, prod, settings, new DownDirectory())).toBe(true);
  await expect(mayManageSchedules({ ...erin, id: 'teams:29:frank' }, prod, settings, new DownDirectory())).rejects.toBeInstanceOf(BotError);
});

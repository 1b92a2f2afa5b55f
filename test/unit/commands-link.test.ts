/** `link` / `unlink` where the installation has no Entra sign-in: a clear private answer, nothing changes. */
import { FakeAccountLinks } from '../fakes/account-links';
import { createBot, type BotHarness } from '../support/bot-harness';

let bot: BotHarness;
beforeEach(async () => { bot = await createBot(); });
afterEach(async () => { await bot.close(); });

it.each(['link', 'unlink'])('%s says linking is not set up and writes nothing', async (command) => {
  const outcome = await bot.say('slack:U0ALICE', command);
  expect(outcome).toEqual(expect.objectContaining({ status: 'failed', visibility: 'private' }));
  expect(JSON.stringify(outcome.reply)).toContain('MLOPS_OAUTH_CLIENT_ID');
  expect(bot.writes()).toEqual([]);
});

it('help lists link and unlink for everyone', async () => {
  const help = JSON.stringify((await bot.say('slack:U0DAVE', 'help')).reply);
  expect(help).toContain('Link your chat account to your Entra account');
  expect(help).toContain('unlink');
});

it('link refuses a chat user whose work account nothing vouches for, and starts no sign-in', async () => {
  const links = new FakeAccountLinks();
  const begun: string[] = [];
  links.begin = async (starter) => { begun.push(starter.chatUserId); return { url: 'https://login.example/authorize', expiresAt: '2026-11-01T00:10:00.000Z' }; };
  const linking = await createBot({ accountLinks: links });
  try {
    const refused = await linking.say('slack:U0ALICE', 'link');
    expect(refused).toEqual(expect.objectContaining({ status: 'failed', visibility: 'private' }));
    expect(JSON.stringify(refused.reply)).toContain('cannot check who signs in');
    expect(begun).toEqual([]);
    const carol = await linking.say('slack:U0CAROL', 'link');
    expect(carol.status).toBe('ok');
    expect(JSON.stringify(carol.reply)).toContain('carol@contoso.com');
    expect(begun).toEqual(['slack:U0CAROL']);
  } finally {
    await linking.close();
  }
});

/** `link` / `unlink` where the installation has no Entra sign-in: a clear private answer, nothing changes. */
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

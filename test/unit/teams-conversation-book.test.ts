/** Posting to a person on Teams: a principal id (`teams:<user id>` or `teams:<aad object id>`) reaches the bot's 1:1 chat with them. */
import { openStore } from '../../src/adapters/store';
import { ConversationBook } from '../../src/adapters/teams/conversations';
import { FakeClock } from '../fakes/clock';

test('a person is reached in the 1:1 chat the bot has with them; a conversation id or alias still wins', async () => {
  const store = await openStore('sqlite::memory:', { clock: new FakeClock() });
  const book = new ConversationBook(store);
  const reference = { channelId: 'msteams', serviceUrl: 'http://127.0.0.1:1/', bot: { id: 'bot-1' }, conversation: { id: 'a:1on1-with-alex' } };
  await book.remember(reference, {
    type: 'message', from: { id: 'user-id-0', aadObjectId: 'AAD-ALEX' }, conversation: { id: 'a:1on1-with-alex', conversationType: 'personal' },
  });
  expect((await book.resolve('teams:user-id-0'))?.conversation.id).toBe('a:1on1-with-alex');
  expect((await book.resolve('teams:aad-alex'))?.conversation.id).toBe('a:1on1-with-alex');
  expect((await book.resolve('teams:a:1on1-with-alex'))?.conversation.id).toBe('a:1on1-with-alex');
  expect(await book.resolve('teams:user-id-9')).toBeNull();
  expect(await book.missing(['teams:user-id-0', 'teams:user-id-9'])).toEqual([expect.objectContaining({ channel: 'teams:user-id-9' })]);
  await store.close();
});

/**
 * The Agents Playground's mock tenant: who types in the UI and who else exists. The UI always types
 * as `currentUser`, Alex: he requests, and his own Approve is refused (requester-cannot-approve);
 * Megan and Adele (`teams:user-id-1`, `teams:user-id-2`) approve. Alex is a prod approver too, so
 * after `link` he can approve what others ask for and Azure DevOps records him (DESIGN 9.6).
 */
import { stringify } from 'yaml';

export interface PlaygroundUser { id: string; name: string; aadObjectId: string; email: string }
export interface PlaygroundUsers { currentUser: PlaygroundUser; users: PlaygroundUser[] }

const person = (n: number, first: string, last: string): PlaygroundUser => ({
  id: `user-id-${n}`,
  name: `${first} ${last}`,
  aadObjectId: `00000000-0000-4000-8000-0000000000${String(20 + n).padStart(2, '0')}`,
  email: `${first.toLowerCase()}${last[0].toLowerCase()}@example.com`,
});

/** The Playground requires exactly five `users` besides the current one. */
export const PLAYGROUND_USERS: PlaygroundUsers = {
  currentUser: person(0, 'Alex', 'Wilber'), // requester (and a prod approver of others' requests)
  users: [
    person(1, 'Megan', 'Bowen'), // approver (and admin) in the demo config
    person(2, 'Adele', 'Vance'), // approver
    person(3, 'Isaiah', 'Langer'),
    person(4, 'Patti', 'Fernandez'),
    person(5, 'Lynne', 'Robbins'),
  ],
};

/** Fixed ids, so the bot's stored conversation references stay valid across restarts. */
export const PLAYGROUND_CONVERSATIONS = {
  personal: 'mlops-demo-personal-chat',
  group: '19:mlops-demo-group@thread.v2',
  team: '19:mlops-demo-team@thread.tacv2',
  channel: '19:mlops-demo-approvals@thread.tacv2',
} as const;

export const PLAYGROUND_TENANT = '00000000-0000-4000-8000-000000000001';
/** The bot as the Playground shows it: outside a personal chat, messages reach it only when they @mention this id. */
export const PLAYGROUND_BOT = { id: '00000000-0000-4000-8000-000000000011', name: 'MLOps' } as const;

/**
 * The Playground's chats as the bot should know them at start-up, so proactive cards can go there
 * before anyone types. Only the group chat and the team hold every mock user (the personal chat
 * holds the current user alone), so approval cards belong in one of those.
 */
export function playgroundConversations(playgroundUrl: string): { conversationId: string; serviceUrl: string; conversationType: string; tenantId: string; botId: string }[] {
  const serviceUrl = `${playgroundUrl.replace(/\/$/, '')}/_connector`;
  const c = PLAYGROUND_CONVERSATIONS;
  return [
    { conversationId: c.personal, conversationType: 'personal' },
    { conversationId: c.group, conversationType: 'groupChat' },
    { conversationId: c.team, conversationType: 'channel' },
    { conversationId: c.channel, conversationType: 'channel' },
    // The bot's id as the Playground knows it: a reference without one cannot be sent on.
  ].map((x) => ({ ...x, serviceUrl, tenantId: PLAYGROUND_TENANT, botId: PLAYGROUND_BOT.id }));
}

export function playgroundConfigYaml(users: PlaygroundUsers): string {
  if (users.users.length !== 5) throw new Error(`The Agents Playground needs exactly 5 users besides the current one (got ${users.users.length}).`);
  const ids = [users.currentUser, ...users.users].map((u) => u.id);
  if (new Set(ids).size !== ids.length) throw new Error('Agents Playground user ids must be unique.');
  const user = (u: PlaygroundUser) => {
    const [givenName, ...rest] = u.name.split(' ');
    return { id: u.id, name: u.name, userPrincipleName: u.email, aadObjectId: u.aadObjectId, givenName, surname: rest.join(' ') || givenName, email: u.email };
  };
  return stringify({
    version: '0.1.1',
    tenantId: PLAYGROUND_TENANT,
    bot: { ...PLAYGROUND_BOT },
    currentUser: user(users.currentUser),
    users: users.users.map(user),
    personalChat: { id: PLAYGROUND_CONVERSATIONS.personal },
    groupChat: { id: PLAYGROUND_CONVERSATIONS.group, name: 'MLOps demo group' },
    team: {
      id: PLAYGROUND_CONVERSATIONS.team, name: 'MLOps demo team', aadGroupId: '00000000-0000-4000-8000-000000000031',
      channels: [{ id: PLAYGROUND_CONVERSATIONS.channel, name: 'Approvals' }],
    },
  });
}

/**
 * Approvers named by Entra group and by email, for Teams users, end to end through the core: the
 * Teams caller (as the surface builds it) → dispatch and the promotion service → the `teams`
 * Directory → GraphDirectory → a fake Graph over HTTPS. An outage refuses clearly and grants nothing.
 */
import { GraphDirectory } from '../../src/adapters/entra';
import { callerOf } from '../../src/adapters/teams';
import { ConversationBook } from '../../src/adapters/teams/conversations';
import { createBotCore } from '../../src/core/bot-core';
import { DirectoryRouter } from '../../src/app/directory';
import { slackGroupResolver, TeamsGraphDirectory } from '../../src/app/graph-directories';
import type { BotCore } from '../../src/core/surface';
import { allCommands } from '../../src/core/commands/all';
import { CommandRegistry } from '../../src/core/commands/registry';
import type { Outcome } from '../../src/core/commands/types';
import type { Caller } from '../../src/core/identity';
import type { Store } from '../../src/core/ports';
import type { BotSettings } from '../../src/core/settings';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { FakeIdentityAdmin, FakeSchedules } from '../fakes/admin';
import { FakeChat } from '../fakes/chat';
import { FakeClock } from '../fakes/clock';
import { CapturingLogger } from '../fakes/logger';
import { FakeRegistry } from '../fakes/registry';
import { FakeReleases } from '../fakes/releases';
import { testSettings } from '../fakes/settings';
import { memoryStore } from '../support/store';
import { FakeGraph, LEADS, PEOPLE } from './graph-directory-fake';

const account = (key: keyof typeof PEOPLE, n: number) => ({ id: `user-id-${n}`, name: key, aadObjectId: PEOPLE[key].id.toUpperCase() });
const FROM = { alex: account('alex', 0), megan: account('megan', 1), adele: account('adele', 2), isaiah: account('isaiah', 3) };

function settings(): BotSettings {
  const s = testSettings();
  return {
    ...s,
    environments: s.environments.map((e) => e.name !== 'prod' ? e : {
      ...e,
      approval: { ...e.approval!, approvers: [`group:${LEADS}`, 'isaiahl@contoso.com'], minApprovals: 2 },
      // Isaiah is named by his Teams user id here, so his principal is that id, not his object id.
      schedulers: ['teams:user-id-3'],
    }),
  };
}

let tls: TlsMaterial;
let graph: FakeGraph;
let store: Store;
let core: BotCore;
let book: ConversationBook;
let seq = 0;

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => {
  graph = await FakeGraph.start(tls);
  const clock = new FakeClock();
  store = await memoryStore(clock);
  book = new ConversationBook(store);
  const graphDirectory = new GraphDirectory({ graphEndpoint: graph.url, ca: tls.ca, store, clock, getToken: async () => 'graph-token' });
  const directory = new DirectoryRouter().register('teams', new TeamsGraphDirectory(graphDirectory, store));
  const registry = new FakeRegistry()
    .addVersion('dev', { name: 'taxi-model', version: '4', tags: { 'mlops-env-preprod': '2026-10-01T00:00:00.000Z', 'mlops-env-prod': '2026-10-10T00:00:00.000Z' } }, { rmse: 0.5 })
    .addVersion('dev', { name: 'taxi-model', version: '5', tags: { 'mlops-env-preprod': '2026-10-30T00:00:00.000Z' } }, { rmse: 0.49 });
  const ports = { registry, releases: new FakeReleases(), schedules: new FakeSchedules(), identityAdmin: new FakeIdentityAdmin(), directory, store, chat: new FakeChat(), clock };
  core = createBotCore({ settings: settings(), ports, log: new CapturingLogger(), commands: new CommandRegistry(allCommands) });
});
afterEach(async () => {
  await store.close();
  await graph.close();
});

/** What the Teams surface does with an activity: remember its sender, build the caller, hand the text to the core. */
async function say(from: (typeof FROM)[keyof typeof FROM], text: string): Promise<Outcome> {
  await book.remember({ conversation: { id: 'chat-1' } }, { type: 'message', from, conversation: { id: 'chat-1' } });
  const caller: Caller = callerOf(from, core.settings);
  return core.handle({ text, caller, channel: 'teams:chat-1', correlationId: `corr-${++seq}` });
}

async function promote(): Promise<string> {
  const out = await say(FROM.megan, 'promote taxi-model prod --version 5');
  expect(out.status).toBe('ok');
  return out.requestId!;
}

const text = (o: Outcome) => JSON.stringify(o.reply.data);

it('a group member approves, an email approver completes it, a non-member is refused', async () => {
  const id = await promote();

  const alex = await say(FROM.alex, `approve ${id}`);
  expect(alex.status).toBe('refused');
  expect(text(alex)).toContain('Not allowed');
  expect((await store.listAudit({})).filter((a) => a.action === 'command.refused').map((a) => a.actor)).toEqual([`teams:${PEOPLE.alex.id}`]);

  const adele = await say(FROM.adele, `approve ${id}`);
  expect(adele.status).toBe('ok');
  expect(graph.server.matching('POST', `/v1.0/users/${PEOPLE.adele.id}/checkMemberGroups`)[0].json).toEqual({ groupIds: [LEADS] });
  expect((await store.getRequest(id))!.approvals.map((a) => a.by)).toEqual([`teams:${PEOPLE.adele.id}`]);

  // Isaiah is in no group; his email, looked up by his object id, is an approver.
  const isaiah = await say(FROM.isaiah, `approve ${id}`);
  expect(isaiah.status).toBe('ok');
  expect(graph.server.matching('GET', `/v1.0/users/${PEOPLE.isaiah.id}`)).toHaveLength(1);
  const request = (await store.getRequest(id))!;
  expect(request.approvals.map((a) => a.by)).toEqual([`teams:${PEOPLE.adele.id}`, 'teams:user-id-3']);
  expect(request.state).not.toBe('awaiting_approval');
});

it('Graph down: the approver is told the check failed, nothing is approved or refused', async () => {
  const id = await promote();
  graph.server.once('POST', /checkMemberGroups$/, { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'Service unavailable' } } });
  const out = await say(FROM.adele, `approve ${id}`);
  expect(out.status).toBe('failed');
  expect(out.reply.template).toBe('error');
  expect(out.reply.data).toMatchObject({ code: 'upstream_unavailable', message: expect.stringContaining('Could not check your group membership') });
  const request = (await store.getRequest(id))!;
  expect(request).toMatchObject({ state: 'awaiting_approval', approvals: [] });
  expect((await store.listAudit({})).filter((a) => a.action === 'command.refused')).toEqual([]);

  // Once Graph answers again, the same click goes through.
  expect((await say(FROM.adele, `approve ${id}`)).status).toBe('ok');
});

it('Graph down for a non-member: still not granted', async () => {
  const id = await promote();
  graph.server.once('POST', /checkMemberGroups$/, { status: 503, body: {} });
  graph.server.once('GET', /\/v1\.0\/users\//, { status: 503, body: {} });
  const out = await say(FROM.alex, `approve ${id}`);
  expect(out.status).toBe('failed');
  expect((await store.getRequest(id))!.approvals).toEqual([]);
});

it('Slack users are checked by their email only', async () => {
  const graphDirectory = new GraphDirectory({ graphEndpoint: graph.url, ca: tls.ca, store, getToken: async () => 't' });
  const groups = slackGroupResolver(graphDirectory);
  // A Slack principal carrying someone's object id must not be checked as that person.
  expect(await groups.isMemberOf({ id: 'slack:U0EVE', aadObjectId: PEOPLE.adele.id }, LEADS)).toBe(false);
  expect(await groups.isMemberOf({ id: 'slack:U0ADELE', email: 'adelev@contoso.com' }, LEADS)).toBe(true);
  expect(graph.requests.map((r) => r.path)).toEqual(['/v1.0/users/adelev%40contoso.com/checkMemberGroups']);
});

/**
 * GraphDirectory against a per-test fake Microsoft Graph over real HTTPS: the requests it makes,
 * what it concludes, what it caches in the store (and for how long), and what an outage looks like.
 */
import { GraphDirectory, GRAPH_DIRECTORY_NAMESPACE } from '../../src/adapters/entra';
import { BotError } from '../../src/core/errors';
import type { Store } from '../../src/core/ports';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { FakeClock } from '../fakes/clock';
import { memoryStore } from '../support/store';
import { FakeGraph, LEADS, PEOPLE, REVIEWERS } from './graph-directory-fake';

let tls: TlsMaterial;
let graph: FakeGraph;
let store: Store;
let clock: FakeClock;
let scopes: string[];
let directory: GraphDirectory;

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => {
  graph = await FakeGraph.start(tls);
  clock = new FakeClock();
  store = await memoryStore(clock);
  scopes = [];
  directory = new GraphDirectory({
    graphEndpoint: graph.url, ca: tls.ca, store, clock,
    getToken: async (scope) => { scopes.push(scope); return 'graph-token'; },
  });
});
afterEach(async () => {
  await store.close();
  await graph.close();
});

const member = (user: { id: string; aadObjectId?: string; email?: string }, group = LEADS) => directory.isMemberOf(user, group);

describe('emailOfObject', () => {
  it('asks for mail and UPN by object id with a Graph token, preferring mail', async () => {
    expect(await directory.emailOfObject(PEOPLE.megan.id.toUpperCase())).toBe('megan.bowen@contoso.com');
    const [req] = graph.requests;
    expect(req).toMatchObject({ method: 'GET', path: `/v1.0/users/${PEOPLE.megan.id}` });
    expect(req.query.get('$select')).toBe('mail,userPrincipalName');
    expect(req.headers.authorization).toBe('Bearer graph-token');
    expect(scopes).toEqual([`${graph.url}/.default`]);
  });

  it('falls back to the UPN when the user has no mail', async () => {
    expect(await directory.emailOfObject(PEOPLE.adele.id)).toBe('adelev@contoso.com');
  });

  it('answers teams:<object id> principals and nothing else', async () => {
    expect(await directory.emailOf(`teams:${PEOPLE.isaiah.id}`)).toBe('isaiahl@contoso.com');
    expect(await directory.emailOf('teams:user-id-1')).toBeUndefined();
    expect(await directory.emailOf('slack:U0ALICE')).toBeUndefined();
    expect(await directory.emailOfObject('../applications')).toBeUndefined();
    expect(graph.requests).toHaveLength(1);
  });

  it('an unknown user has no email, remembered only briefly', async () => {
    const ghost = '0f0f0f0f-0000-4000-8000-000000000099';
    expect(await directory.emailOfObject(ghost)).toBeUndefined();
    expect(await directory.emailOfObject(ghost)).toBeUndefined();
    expect(graph.requests).toHaveLength(1);
    clock.advance(61_000);
    await directory.emailOfObject(ghost);
    expect(graph.requests).toHaveLength(2);
  });
});

describe('isMemberOf', () => {
  it('checks transitive membership by object id with one checkMemberGroups call', async () => {
    expect(await member({ id: 'teams:x', aadObjectId: PEOPLE.adele.id })).toBe(true);
    expect(await member({ id: 'teams:x', aadObjectId: PEOPLE.megan.id })).toBe(true); // through the nested group
    expect(await member({ id: 'teams:x', aadObjectId: PEOPLE.isaiah.id })).toBe(false);
    const calls = graph.server.matching('POST', /checkMemberGroups$/);
    expect(calls.map((c) => c.path)).toEqual([PEOPLE.adele.id, PEOPLE.megan.id, PEOPLE.isaiah.id].map((id) => `/v1.0/users/${id}/checkMemberGroups`));
    expect(calls[0].json).toEqual({ groupIds: [LEADS] });
  });

  it('uses the object id over an email when both are known', async () => {
    await member({ id: 'teams:x', aadObjectId: PEOPLE.adele.id, email: 'isaiahl@contoso.com' });
    expect(graph.requests[0].path).toBe(`/v1.0/users/${PEOPLE.adele.id}/checkMemberGroups`);
  });

  it('by email: the UPN first, then the user whose mail it is', async () => {
    expect(await member({ id: 'slack:U0ADELE', email: 'AdeleV@contoso.com' })).toBe(true);
    expect(graph.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1.0/users/adelev%40contoso.com/checkMemberGroups']);

    // Megan's email is not her UPN: Graph does not know it as one, so she is found by mail.
    expect(await member({ id: 'slack:U0MEGAN', email: 'megan.bowen@contoso.com' }, REVIEWERS)).toBe(true);
    const after = graph.requests.slice(1);
    expect(after.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1.0/users/megan.bowen%40contoso.com/checkMemberGroups',
      'GET /v1.0/users',
      `POST /v1.0/users/${PEOPLE.megan.id}/checkMemberGroups`,
    ]);
    expect(after[1].query.get('$filter')).toBe("mail eq 'megan.bowen@contoso.com'");
  });

  it('nobody known by that email, no id, or a malformed group: not a member', async () => {
    expect(await member({ id: 'slack:U0NOBODY', email: 'nobody@contoso.com' })).toBe(false);
    const before = graph.requests.length;
    expect(await member({ id: 'slack:U0NOEMAIL' })).toBe(false);
    expect(await member({ id: 'teams:x', aadObjectId: PEOPLE.adele.id }, 'not-a-guid')).toBe(false);
    expect(await member({ id: 'slack:U0ODD', email: 'a@b.com/../../applications' })).toBe(false);
    expect(graph.requests).toHaveLength(before);
  });

  it('caches answers in the store: yes for ten minutes, no for one', async () => {
    const adele = { id: 'teams:x', aadObjectId: PEOPLE.adele.id };
    const isaiah = { id: 'teams:y', aadObjectId: PEOPLE.isaiah.id };
    await member(adele);
    await member(isaiah);
    expect(await store.listDocs(GRAPH_DIRECTORY_NAMESPACE)).toHaveLength(2);
    clock.advance(5 * 60_000);
    expect(await member(adele)).toBe(true);
    graph.groups[LEADS].push(PEOPLE.isaiah.id);
    expect(await member(isaiah)).toBe(true); // the "no" was older than a minute
    expect(graph.requests).toHaveLength(3);
    clock.advance(6 * 60_000);
    await member(adele);
    expect(graph.requests).toHaveLength(4);
  });

  it('concurrent checks of the same person share one Graph call', async () => {
    const adele = { id: 'teams:x', aadObjectId: PEOPLE.adele.id };
    expect(await Promise.all([member(adele), member(adele), member(adele)])).toEqual([true, true, true]);
    expect(graph.requests).toHaveLength(1);
  });
});

describe('when Graph fails', () => {
  const adele = { id: 'teams:x', aadObjectId: PEOPLE.adele.id };

  it('a 503 is a clear BotError, not a "no", and nothing is cached', async () => {
    graph.server.once('POST', /checkMemberGroups$/, { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'Service unavailable' } } });
    const err = await member(adele).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BotError);
    expect(err).toMatchObject({ code: 'upstream_unavailable', message: 'Could not check your group membership in Microsoft Graph (HTTP 503), so nothing was decided.' });
    expect(await store.listDocs(GRAPH_DIRECTORY_NAMESPACE)).toEqual([]);
    expect(await member(adele)).toBe(true);
  });

  it('a refused token names the permissions to grant', async () => {
    graph.server.once('GET', /\/users\//, { status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } });
    await expect(directory.emailOfObject(PEOPLE.adele.id)).rejects.toMatchObject({
      code: 'upstream_auth', remedy: expect.stringContaining('User.Read.All and GroupMember.Read.All'),
    });
  });

  it('throttling, an unreachable host, and an unreadable answer each say so', async () => {
    graph.server.once('POST', /checkMemberGroups$/, { status: 429, headers: { 'retry-after': '3' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } });
    await expect(member(adele)).rejects.toMatchObject({ code: 'upstream_throttled' });
    graph.server.once('POST', /checkMemberGroups$/, { body: { value: 'yes' } });
    await expect(member(adele)).rejects.toMatchObject({ code: 'upstream_invalid' });
    const offline = new GraphDirectory({ graphEndpoint: 'https://127.0.0.1:1', ca: tls.ca, store, clock, getToken: async () => 't' });
    await expect(offline.isMemberOf(adele, LEADS)).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });
});

import { DevOpsReleases } from '../../src/adapters/azure-devops';
import type { EnvironmentSettings } from '../../src/core/settings';
import { CapturingLogger } from '../fakes/logger';
import { answerDevOpsDiscovery, exampleBody, FakeAzureServer } from '../support/fake-azure-server';

const ORG = '/fabrikam';
const P = `${ORG}/MyFirstProject/_apis/Release`;
const variables = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };
const prod: EnvironmentSettings = {
  name: 'prod', workspace: { subscriptionId: 's', resourceGroup: 'rg', name: 'ws' },
  release: { kind: 'classic', definition: 'MyShuttle.CD', stage: 'Dev', variables },
  channels: { approvals: [], audit: [], notifications: [] },
};
const input = { env: 'prod', model: 'taxi-model', version: '7', requestId: 'req-42', description: 'MLOps Bot promotion request req-42: taxi-model v7 to prod' };

let fake: FakeAzureServer;
let releases: DevOpsReleases;

beforeEach(async () => {
  fake = await FakeAzureServer.http();
  answerDevOpsDiscovery(fake, ORG);
  // CONSTRUCTED: the definitions list has no kept example; only id and name are read.
  fake.on('GET', `${P}/definitions`, { body: { count: 1, value: [{ id: 1, name: 'MyShuttle.CD' }] } });
  fake.on('GET', `${P}/releases`, { body: exampleBody('azure-devops/releases-list-for-definition.7.1.json') });
  releases = new DevOpsReleases({
    orgUrl: `${fake.url}${ORG}`, project: 'MyFirstProject', auth: { pat: 'pat-value' }, environments: [prod],
    log: new CapturingLogger(), retry: { maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 20 }, timeoutMs: 5000,
  });
});
afterEach(async () => { await fake.close(); });

function releaseWith(id: number, envStatus: string, vars: Record<string, string>, approvals: unknown[] = []) {
  const r = exampleBody('azure-devops/release-get.7.1.json');
  r.id = id;
  r.name = `Release-${id}`;
  r.variables = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, { value: v }]));
  r.environments[0].id = 53;
  r.environments[0].status = envStatus;
  r.environments[0].preDeployApprovals = approvals;
  return r;
}

describe('DevOpsReleases, classic releases through azure-devops-node-api', () => {
  it('creates a release with the model variables and starts the target stage left notStarted', async () => {
    fake.on('POST', `${P}/releases`, { body: exampleBody('azure-devops/release-create.7.1.json') });
    fake.on('PATCH', `${P}/releases/19/environments/73`, { body: exampleBody('azure-devops/release-environment-update-start-deploy.7.1.json') });

    const ref = await releases.start(input);

    expect(ref).toMatchObject({ kind: 'classic', id: 19, name: 'Release-19' });
    const post = fake.matching('POST', `${P}/releases`)[0];
    expect(post.json).toMatchObject({
      definitionId: 1, description: input.description, isDraft: false,
      variables: { modelName: { value: 'taxi-model' }, modelVersion: { value: '7' }, promotionRequestId: { value: 'req-42' } },
    });
    expect(post.headers.accept).toContain('api-version=7.1');
    expect(post.headers.authorization).toBe(`Basic ${Buffer.from('PAT:pat-value').toString('base64')}`);
    const list = fake.matching('GET', `${P}/releases`)[0];
    expect(list.query.get('definitionId')).toBe('1');
    expect(fake.matching('GET', `${P}/definitions`)[0].query.get('searchText')).toBe('MyShuttle.CD');
    const patch = fake.matching('PATCH', `${P}/releases/19/environments/73`)[0];
    expect([2, 'inProgress']).toContain((patch.json as any).status);
    expect((patch.json as any).comment).toContain('req-42');
  });

  it('makes the stages after the target manual, so the release does not go on to wait for their approvals', async () => {
    fake.on('GET', `${P}/definitions`, { body: { count: 1, value: [{ id: 1, name: 'MyShuttle.CD', environments: [
      { id: 3, name: 'Prod', rank: 3 }, { id: 1, name: 'Dev', rank: 1 }, { id: 2, name: 'QA', rank: 2 },
    ] }] } });
    fake.on('POST', `${P}/releases`, { body: exampleBody('azure-devops/release-create.7.1.json') });
    fake.on('PATCH', `${P}/releases/19/environments/73`, { body: exampleBody('azure-devops/release-environment-update-start-deploy.7.1.json') });
    await releases.start(input);
    expect(fake.matching('GET', `${P}/definitions`)[0].query.get('$expand')).toMatch(/environments|^2$/i);
    expect(fake.matching('POST', `${P}/releases`)[0].json).toMatchObject({ manualEnvironments: ['QA', 'Prod'] });
  });

  it('leaves a target stage that waits for its trigger (previous stage succeeded) to that trigger', async () => {
    fake.on('POST', `${P}/releases`, { body: exampleBody('azure-devops/release-create.7.1.json') });
    const onQa = new DevOpsReleases({
      orgUrl: `${fake.url}${ORG}`, project: 'MyFirstProject', auth: { pat: 'pat-value' }, log: new CapturingLogger(),
      environments: [{ ...prod, release: { kind: 'classic', definition: 'MyShuttle.CD', stage: 'QA', variables } }],
    });
    expect((await onQa.start(input)).id).toBe(19);
    expect(fake.matching('PATCH', /.*/)).toHaveLength(0);
  });

  it('finds the release already started for the request instead of creating another', async () => {
    const existing = releaseWith(31, 'inProgress', { promotionRequestId: 'req-42', modelName: 'taxi-model' });
    fake.on('GET', `${P}/releases`, { body: { count: 2, value: [releaseWith(30, 'succeeded', { promotionRequestId: 'req-41' }), existing] } });

    const ref = await releases.start(input);

    expect(ref.id).toBe(31);
    expect(fake.matching('POST', /.*/)).toHaveLength(0);
    expect(fake.matching('PATCH', /.*/)).toHaveLength(0);
    expect(fake.matching('GET', `${P}/releases`)[0].query.get('$expand')).toBe(String(2 | 8 | 32)); // environments, approvals, variables
  });

  it('starts the stage of a release found for the request that never started (retry after a crash)', async () => {
    fake.on('GET', `${P}/releases`, { body: { count: 1, value: [releaseWith(32, 'notStarted', { promotionRequestId: 'req-42' })] } });
    fake.on('PATCH', `${P}/releases/32/environments/53`, { body: {} });
    await releases.start(input);
    expect(fake.matching('POST', /.*/)).toHaveLength(0);
    expect(fake.matching('PATCH', `${P}/releases/32/environments/53`)).toHaveLength(1);
  });

  it('reports the target stage waiting for its pre-deployment approval', async () => {
    fake.on('GET', `${P}/releases/14`, { body: releaseWith(14, 'queued', {}) });
    fake.on('GET', `${P}/approvals`, { body: exampleBody('azure-devops/release-approvals-list-pending-for-release.7.1.json') });

    const status = await releases.status('prod', { kind: 'classic', id: 14 });

    expect(status).toMatchObject({ state: 'awaiting_approval', pendingApprovalId: '134' });
    expect(status.stages).toEqual([{ name: 'Dev', state: 'queued' }, { name: 'QA', state: 'not_started' }, { name: 'PPE', state: 'not_started' }, { name: 'PROD', state: 'not_started' }]);
    const q = fake.matching('GET', `${P}/approvals`)[0].query;
    expect(q.get('releaseIdsFilter')).toBe('14');
    expect(['1', 'pending']).toContain(q.get('statusFilter'));
    expect(['1', 'preDeploy']).toContain(q.get('typeFilter'));
  });

  it('tells who rejected in Azure DevOps', async () => {
    const approval = { id: 134, status: 'rejected', isAutomated: false, approvalType: 'preDeploy', approvedBy: { displayName: 'Chuck Reinhart' } };
    fake.on('GET', `${P}/releases/14`, { body: releaseWith(14, 'rejected', {}, [approval]) });
    fake.on('GET', `${P}/approvals`, { body: { count: 0, value: [] } });
    expect(await releases.status('prod', { kind: 'classic', id: 14 })).toMatchObject({ state: 'rejected', decidedBy: 'Chuck Reinhart' });
  });

  it('approves the pending approval with the comment', async () => {
    const pending = { id: 134, status: 'pending', isAutomated: false, approvalType: 'preDeploy' };
    fake.on('GET', `${P}/releases/14`, { body: releaseWith(14, 'queued', {}, [pending]) });
    fake.on('PATCH', `${P}/approvals/134`, { body: exampleBody('azure-devops/release-approval-update-approved.7.1.json') });

    await releases.decide('prod', { kind: 'classic', id: 14 }, '134', 'approved', 'Approved via MLOps Bot by @a (request req-42)');

    const patch = fake.matching('PATCH', `${P}/approvals/134`)[0];
    expect([2, 'approved']).toContain((patch.json as any).status);
    expect((patch.json as any).comments).toBe('Approved via MLOps Bot by @a (request req-42)');
    expect(patch.headers.accept).toContain('api-version=7.1');
  });

  it('does nothing when the approval is already decided the same way, and refuses the opposite', async () => {
    const approved = { id: 134, status: 'approved', isAutomated: false, approvedBy: { displayName: 'Chuck Reinhart' } };
    fake.on('GET', `${P}/releases/14`, { body: releaseWith(14, 'inProgress', {}, [approved]) });
    await releases.decide('prod', { kind: 'classic', id: 14 }, '134', 'approved', 'again');
    await expect(releases.decide('prod', { kind: 'classic', id: 14 }, '134', 'rejected', 'no')).rejects.toMatchObject({ code: 'conflict' });
    expect(fake.matching('PATCH', /.*/)).toHaveLength(0);
  });

  it('lists releases of the model with their stages', async () => {
    fake.on('GET', `${P}/releases`, { body: { count: 2, value: [
      releaseWith(40, 'succeeded', { modelName: 'taxi-model', modelVersion: '6' }), releaseWith(41, 'inProgress', { modelName: 'churn', modelVersion: '2' }),
    ] } });
    const list = await releases.list({ model: 'taxi-model' });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ ref: { kind: 'classic', id: 40 }, modelName: 'taxi-model', modelVersion: '6' });
    expect(list[0].stages[0]).toEqual({ name: 'Dev', state: 'succeeded' });
    expect(list[0].createdAt?.toISOString()).toBe('2017-06-16T01:36:20.397Z');
  });

  it('searches a model in one round: the definition (its newest release id), then the newest page and id ranges below it side by side', async () => {
    // 250 releases with ids 1..250, every third of taxi-model; the service answers at most 100 a request.
    fake.on('GET', `${P}/definitions`, { body: { count: 1, value: [{ id: 1, name: 'MyShuttle.CD', lastRelease: { id: 250, name: 'Release-250' } }] } });
    fake.on('GET', `${P}/releases`, (q) => {
      const only = q.query.get('releaseIdFilter')?.split(',').map(Number);
      const ids = Array.from({ length: 250 }, (_, i) => 250 - i).filter((id) => !only || only.includes(id)).slice(0, Number(q.query.get('$top')));
      return { body: { count: ids.length, value: ids.map((id) => releaseWith(id, 'succeeded', { modelName: id % 3 === 0 ? 'taxi-model' : 'churn', modelVersion: String(id) })) } };
    });

    const found = await releases.search({ model: 'taxi-model', want: 21 });

    expect(found).toMatchObject({ complete: true, searched: 250 });
    expect(found.releases.map((r) => r.ref.id)).toEqual(Array.from({ length: 83 }, (_, i) => 249 - 3 * i));
    const def = fake.matching('GET', `${P}/definitions`)[0];
    expect(def.query.get('$expand')).toMatch(/lastRelease|66/i);
    const lists = fake.matching('GET', `${P}/releases`);
    expect(lists.map((l) => l.query.get('releaseIdFilter')?.split(',').map(Number)).map((ids) => (ids ? [ids[0], ids.at(-1)] : 'newest'))).toEqual(['newest', [150, 51], [50, 1]]);
    expect(lists.every((l) => l.query.get('definitionId') === '1' && l.query.get('$top') === '100')).toBe(true);
  });

  it('says a search is incomplete when older releases were left unread', async () => {
    fake.on('GET', `${P}/definitions`, { body: { count: 1, value: [{ id: 1, name: 'MyShuttle.CD', lastRelease: { id: 900 } }] } });
    fake.on('GET', `${P}/releases`, (q) => {
      const only = q.query.get('releaseIdFilter')?.split(',').map(Number);
      const ids = Array.from({ length: 900 }, (_, i) => 900 - i).filter((id) => !only || only.includes(id)).slice(0, 100);
      return { body: { count: ids.length, value: ids.map((id) => releaseWith(id, 'succeeded', { modelName: 'churn' })) } };
    });
    const found = await releases.search({ model: 'taxi-model', want: 21 });
    expect(found).toMatchObject({ releases: [], complete: false, searched: 500 });
  });

  it('names a release definition that does not exist', async () => {
    fake.on('GET', `${P}/definitions`, { body: { count: 0, value: [] } });
    const err = await releases.start(input).catch((e) => e);
    expect(err).toMatchObject({ code: 'upstream_not_found' });
    expect(err.message).toContain('MyShuttle.CD');
  });
});

import { DevOpsReleases } from '../../src/adapters/azure-devops';
import type { DevOpsAuth } from '../../src/adapters/azure-devops';
import type { EnvironmentSettings } from '../../src/core/settings';
import { CapturingLogger } from '../fakes/logger';
import { answerDevOpsDiscovery, exampleBody, FakeAzureServer, fixture } from '../support/fake-azure-server';

const ORG = '/fabrikam';
const PROJ = `${ORG}/MyFirstProject/_apis`;
const APPROVALS = `${PROJ}/pipelines/approvals`;
const RUN_ID = 73222930;
const variables = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };
const prod: EnvironmentSettings = {
  name: 'prod', workspace: { subscriptionId: 's', resourceGroup: 'rg', name: 'ws' },
  release: { kind: 'pipeline', pipeline: 'deploy-model', environment: 'prod', variables },
  channels: { approvals: [], audit: [], notifications: [] },
};
const input = { env: 'prod', model: 'taxi-model', version: '7', requestId: 'req-42', description: 'promotion req-42' };

let fake: FakeAzureServer;

function releases(auth: DevOpsAuth = { pat: 'pat-value' }) {
  return new DevOpsReleases({
    orgUrl: `${fake.url}${ORG}`, project: 'MyFirstProject', auth, environments: [prod],
    log: new CapturingLogger(), retry: { maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 20 }, timeoutMs: 5000,
  });
}

// CONSTRUCTED run bodies, shaped as the Runs REST reference (id, name, state, result, templateParameters).
const run = (over: Record<string, unknown> = {}) => ({ id: RUN_ID, name: '20231109.1', state: 'inProgress', pipeline: { id: 4597, name: 'deploy-model' }, createdDate: '2023-11-09T10:50:00Z', ...over });

beforeEach(async () => {
  fake = await FakeAzureServer.http();
  answerDevOpsDiscovery(fake, ORG);
  fake.on('GET', `${PROJ}/pipelines`, { body: { count: 1, value: [{ id: 4597, name: 'deploy-model' }] } });
  fake.on('GET', `${PROJ}/pipelines/4597/runs`, { body: { count: 0, value: [] } });
});
afterEach(async () => { await fake.close(); });

describe('DevOpsReleases, YAML pipeline runs and their environment approvals', () => {
  it('runs the pipeline with the model as template parameters', async () => {
    fake.on('POST', `${PROJ}/pipelines/4597/runs`, (req) => ({ body: run({ templateParameters: (req.json as any).templateParameters }) }));

    const ref = await releases().start(input);

    expect(ref).toMatchObject({ kind: 'pipeline', id: RUN_ID, name: '20231109.1' });
    const post = fake.matching('POST', `${PROJ}/pipelines/4597/runs`)[0];
    expect(post.json).toEqual({ templateParameters: { modelName: 'taxi-model', modelVersion: '7', promotionRequestId: 'req-42' } });
    expect(post.headers.accept).toContain('api-version=7.2-preview.1');
  });

  it('finds a run already started for the request (parameters read with getRun) instead of running again', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs`, { body: { count: 2, value: [run({ id: 10, name: '20231109.2' }), run({ id: 9, name: '20231108.1' })] } });
    fake.on('GET', `${PROJ}/pipelines/4597/runs/10`, { body: run({ id: 10, templateParameters: { promotionRequestId: 'req-41' } }) });
    fake.on('GET', `${PROJ}/pipelines/4597/runs/9`, { body: run({ id: 9, templateParameters: { promotionRequestId: 'req-42' } }) });

    const ref = await releases().start(input);

    expect(ref.id).toBe(9);
    expect(fake.matching('POST', /.*/)).toHaveLength(0);
  });

  it('reports a run paused at the environment approval, linked by pipeline.owner.id', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', APPROVALS, { body: fixture('azure-devops/pipelines-approvals-query-with-pipeline-info.7.2-preview.2.releasenotes.json') });

    const status = await releases().status('prod', { kind: 'pipeline', id: RUN_ID });

    expect(status).toMatchObject({ state: 'awaiting_approval', pendingApprovalId: '7e90b9f7-f3f8-4548-a108-8b80c0fa80e7' });
    const q = fake.matching('GET', APPROVALS)[0];
    expect(q.query.get('state')).toBe('pending');
    expect(q.query.get('api-version')).toBe('7.2-preview.2');
    expect(q.headers.authorization).toBe(`Basic ${Buffer.from('PAT:pat-value').toString('base64')}`);
  });

  it('tells a rejected run from a failed one, with who rejected', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run({ state: 'completed', result: 'failed' }) });
    const rejected = exampleBody('azure-devops/pipelines-approvals-update.7.1.json').value[0];
    rejected.status = 'rejected';
    rejected.pipeline = { id: '4597', owner: { id: RUN_ID } };
    fake.on('GET', APPROVALS, (req) => ({ body: { count: 1, value: req.query.get('state') === 'rejected' ? [rejected] : [] } }));

    expect(await releases().status('prod', { kind: 'pipeline', id: RUN_ID })).toMatchObject({ state: 'rejected', decidedBy: 'User Name' });
  });

  it('approves through the approvals REST API with an array body', async () => {
    const id = 'aab27959-a5be-4ee3-97ca-f19b3602cd2f';
    fake.on('GET', `${APPROVALS}/${id}`, { body: { ...exampleBody('azure-devops/pipelines-approval-get.7.1.json'), id } });
    fake.on('PATCH', APPROVALS, { body: exampleBody('azure-devops/pipelines-approvals-update.7.1.json') });

    await releases().decide('prod', { kind: 'pipeline', id: RUN_ID }, id, 'approved', 'Approving');

    const patch = fake.matching('PATCH', APPROVALS)[0];
    expect(patch.json).toEqual(fixture('azure-devops/pipelines-approvals-update.7.1.json').parameters.body);
    expect(patch.query.get('api-version')).toBe('7.2-preview.2');
  });

  it('does nothing for an approval already approved, refuses to reject it, and names a missing one', async () => {
    const id = 'ee14f612-6838-43c0-b445-db238ef14153';
    fake.on('GET', `${APPROVALS}/${id}`, { body: { ...exampleBody('azure-devops/pipelines-approval-get.7.1.json'), status: 'approved' } });
    const r = releases();
    await r.decide('prod', { kind: 'pipeline', id: RUN_ID }, id, 'approved', 'again');
    await expect(r.decide('prod', { kind: 'pipeline', id: RUN_ID }, id, 'rejected', 'no')).rejects.toMatchObject({ code: 'conflict' });
    await expect(r.decide('prod', { kind: 'pipeline', id: RUN_ID }, 'missing', 'approved', 'x')).rejects.toMatchObject({ code: 'upstream_not_found' });
    expect(fake.matching('PATCH', /.*/)).toHaveLength(0);
  });

  it('lists runs of the model', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs`, { body: { count: 2, value: [run({ id: 10 }), run({ id: 9, state: 'completed', result: 'succeeded' })] } });
    fake.on('GET', `${PROJ}/pipelines/4597/runs/10`, { body: run({ id: 10, templateParameters: { modelName: 'churn', modelVersion: '1' } }) });
    fake.on('GET', `${PROJ}/pipelines/4597/runs/9`, { body: run({ id: 9, templateParameters: { modelName: 'taxi-model', modelVersion: '6' } }) });
    const list = await releases().list({ env: 'prod', model: 'taxi-model' });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ ref: { kind: 'pipeline', id: 9 }, modelName: 'taxi-model', modelVersion: '6', stages: [{ name: 'prod', state: 'succeeded' }] });
  });

  it('rebuilds the connection when the Entra token changes', async () => {
    const tokens = ['token-1', 'token-1', 'token-2'];
    let i = 0;
    const r = releases({ tokenProvider: async () => tokens[Math.min(i++, tokens.length - 1)] });
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run({ state: 'completed', result: 'succeeded' }) });

    await r.status('prod', { kind: 'pipeline', id: RUN_ID });
    i = 2;
    await r.status('prod', { kind: 'pipeline', id: RUN_ID });

    const gets = fake.matching('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`);
    expect(gets.map((g) => g.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(fake.matching('GET', `${ORG}/_apis/ResourceAreas`).map((g) => g.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });
});

import { DevOpsReleases } from '../../src/adapters/azure-devops';
import type { DevOpsAuth } from '../../src/adapters/azure-devops';
import type { EnvironmentSettings } from '../../src/core/settings';
import { CapturingLogger } from '../fakes/logger';
import { answerDevOpsDiscovery, exampleBody, FakeAzureServer, fixture } from '../support/fake-azure-server';

const ORG = '/fabrikam';
const PROJ = `${ORG}/MyFirstProject/_apis`;
const APPROVALS = `${PROJ}/pipelines/approvals`;
const RUN_ID = 73222930;
const TIMELINE = `${PROJ}/build/builds/${RUN_ID}/Timeline`;
const PROD_APPROVAL = 'd1d1d1d1-0000-4000-8000-000000000003';
const PREPROD_APPROVAL = 'd1d1d1d1-0000-4000-8000-000000000002';
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

type StageRow = [identifier: string, state: string, result?: string];

/** A CONSTRUCTED timeline shaped as build-timeline-prod-waiting: Stage records, and a Checkpoint.Approval under a gated stage. */
function timeline(stages: StageRow[], approvals: Record<string, string> = {}, approvalState = 'inProgress') {
  const records: Record<string, unknown>[] = [];
  stages.forEach(([identifier, state, result], i) => {
    const id = `a0000000-0000-0000-0000-00000000000${i + 1}`;
    records.push({ id, parentId: null, type: 'Stage', name: identifier, identifier, order: i + 1, state, result: result ?? null });
    records.push({ id: `e0000000-0000-0000-0000-00000000000${i + 1}`, parentId: id, type: 'Job', name: 'Deploy', order: 1, state, result: result ?? null });
    const approval = approvals[identifier];
    if (approval) {
      const cp = `c0000000-0000-0000-0000-00000000000${i + 1}`;
      records.push({ id: cp, parentId: id, type: 'Checkpoint', name: 'Checkpoint', order: 1, state: approvalState });
      records.push({ id: approval, parentId: cp, type: 'Checkpoint.Approval', name: 'Checkpoint.Approval', order: 1, state: approvalState });
    }
  });
  return { records, id: 'b0000000-0000-0000-0000-000000000000', changeId: records.length };
}

function pipelineApproval(id: string, status: string, by?: string) {
  return {
    id, status, lastModifiedOn: '2023-11-09T11:00:00Z', pipeline: { id: '4597', owner: { id: RUN_ID } },
    steps: by ? [{ status, actualApprover: { displayName: by }, assignedApprover: { displayName: by } }] : [],
  };
}

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
    expect(post.headers.accept).toContain('api-version=7.1');
  });

  it('finds a run already started for the request (parameters read with getRun) instead of running again', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs`, { body: { count: 2, value: [run({ id: 10, name: '20231109.2' }), run({ id: 9, name: '20231108.1' })] } });
    fake.on('GET', `${PROJ}/pipelines/4597/runs/10`, { body: run({ id: 10, templateParameters: { promotionRequestId: 'req-41' } }) });
    fake.on('GET', `${PROJ}/pipelines/4597/runs/9`, { body: run({ id: 9, templateParameters: { promotionRequestId: 'req-42' } }) });

    const ref = await releases().start(input);

    expect(ref.id).toBe(9);
    expect(fake.matching('POST', /.*/)).toHaveLength(0);
  });

  it('reports the prod stage paused at its environment approval, linked by the timeline and pipeline.owner.id', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', TIMELINE, { body: fixture('azure-devops/build-timeline-prod-waiting.CONSTRUCTED.json') });
    fake.on('GET', APPROVALS, { body: fixture('azure-devops/pipelines-approvals-query-with-pipeline-info.7.2-preview.2.releasenotes.json') });

    const status = await releases().status('prod', { kind: 'pipeline', id: RUN_ID });

    expect(status).toMatchObject({ state: 'awaiting_approval', pendingApprovalId: '7e90b9f7-f3f8-4548-a108-8b80c0fa80e7' });
    expect(status.stages).toEqual([
      { name: 'Deploy to dev', state: 'succeeded' }, { name: 'Deploy to preprod', state: 'succeeded' }, { name: 'Deploy to prod', state: 'not_started' },
    ]);
    expect(fake.matching('GET', TIMELINE)[0].headers.accept).toContain('api-version=7.1');
    const q = fake.matching('GET', APPROVALS)[0];
    expect(q.query.get('state')).toBe('pending');
    expect(q.query.get('api-version')).toBe('7.2-preview.2');
    expect(q.headers.authorization).toBe(`Basic ${Buffer.from('PAT:pat-value').toString('base64')}`);
  });

  it('a run busy with dev and preprod is queued for prod: no approval, no decision', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', TIMELINE, { body: timeline([['DeployDev', 'completed', 'succeeded'], ['DeployPreprod', 'inProgress'], ['DeployProd', 'pending']]) });
    fake.on('GET', APPROVALS, { body: { count: 0, value: [] } });

    const status = await releases().status('prod', { kind: 'pipeline', id: RUN_ID });

    expect(status.state).toBe('queued');
    expect(status.pendingApprovalId).toBeUndefined();
    expect(status.decidedBy).toBeUndefined();
    expect(status.stages.map((st) => st.state)).toEqual(['succeeded', 'in_progress', 'not_started']);
  });

  it('a pending approval of an earlier stage is not the prod gate', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', TIMELINE, { body: timeline([['DeployDev', 'completed', 'succeeded'], ['DeployPreprod', 'pending'], ['DeployProd', 'pending']], { DeployPreprod: PREPROD_APPROVAL }) });
    fake.on('GET', APPROVALS, { body: { count: 1, value: [pipelineApproval(PREPROD_APPROVAL, 'pending')] } });

    const status = await releases().status('prod', { kind: 'pipeline', id: RUN_ID });
    expect(status.state).toBe('queued');
    expect(status.pendingApprovalId).toBeUndefined();
  });

  it('without approval records in the timeline, a run approval counts for prod only once every earlier stage is done', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', APPROVALS, { body: { count: 1, value: [pipelineApproval(PROD_APPROVAL, 'pending')] } });
    fake.on('GET', TIMELINE, { body: timeline([['DeployDev', 'completed', 'succeeded'], ['DeployPreprod', 'inProgress'], ['DeployProd', 'pending']]) });
    expect((await releases().status('prod', { kind: 'pipeline', id: RUN_ID })).state).toBe('queued');

    fake.on('GET', TIMELINE, { body: timeline([['DeployDev', 'completed', 'succeeded'], ['DeployPreprod', 'completed', 'succeeded'], ['DeployProd', 'pending']]) });
    expect(await releases().status('prod', { kind: 'pipeline', id: RUN_ID })).toMatchObject({ state: 'awaiting_approval', pendingApprovalId: PROD_APPROVAL });
  });

  it('prod deploying after its approval: in_progress with who approved', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', TIMELINE, { body: timeline([['DeployDev', 'completed', 'succeeded'], ['DeployPreprod', 'completed', 'succeeded'], ['DeployProd', 'inProgress']], { DeployProd: PROD_APPROVAL }, 'completed') });
    fake.on('GET', APPROVALS, (req) => ({ body: { count: 1, value: req.query.get('approvalIds') === PROD_APPROVAL ? [pipelineApproval(PROD_APPROVAL, 'approved', 'Dana')] : [] } }));

    expect(await releases().status('prod', { kind: 'pipeline', id: RUN_ID })).toMatchObject({ state: 'in_progress', decidedBy: 'Dana' });
  });

  it('prod running without any approval on record: in_progress with no decider', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', TIMELINE, { body: timeline([['DeployDev', 'completed', 'succeeded'], ['DeployPreprod', 'completed', 'succeeded'], ['DeployProd', 'inProgress']], { DeployPreprod: PREPROD_APPROVAL }, 'completed') });
    fake.on('GET', APPROVALS, { body: { count: 0, value: [] } });

    const status = await releases().status('prod', { kind: 'pipeline', id: RUN_ID });
    expect(status).toMatchObject({ state: 'in_progress' });
    expect(status.decidedBy).toBeUndefined();
  });

  it('tells a rejected prod stage from a failed run, with who rejected', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run({ state: 'completed', result: 'failed' }) });
    fake.on('GET', TIMELINE, { body: timeline([['DeployDev', 'completed', 'succeeded'], ['DeployPreprod', 'completed', 'succeeded'], ['DeployProd', 'completed', 'failed']], { DeployProd: PROD_APPROVAL }, 'completed') });
    const rejected = exampleBody('azure-devops/pipelines-approvals-update.7.1.json').value[0];
    Object.assign(rejected, { id: PROD_APPROVAL, status: 'rejected', pipeline: { id: '4597', owner: { id: RUN_ID } } });
    fake.on('GET', APPROVALS, (req) => ({ body: { count: 1, value: req.query.get('approvalIds') === PROD_APPROVAL ? [rejected] : [] } }));

    expect(await releases().status('prod', { kind: 'pipeline', id: RUN_ID })).toMatchObject({ state: 'rejected', decidedBy: 'User Name' });
  });

  it('an earlier stage failing fails the promotion, naming that stage', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run({ state: 'completed', result: 'failed' }) });
    fake.on('GET', TIMELINE, { body: timeline([['DeployDev', 'completed', 'succeeded'], ['DeployPreprod', 'completed', 'failed'], ['DeployProd', 'completed', 'skipped']]) });
    fake.on('GET', APPROVALS, { body: { count: 0, value: [] } });

    expect(await releases().status('prod', { kind: 'pipeline', id: RUN_ID })).toMatchObject({ state: 'failed', error: 'Stage DeployProd was skipped: stage DeployPreprod failed.' });
  });

  it('prod succeeded: succeeded, whatever the run still does after it', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', TIMELINE, { body: timeline([['DeployProd', 'completed', 'succeeded'], ['Smoke', 'inProgress']]) });
    expect((await releases().status('prod', { kind: 'pipeline', id: RUN_ID })).state).toBe('succeeded');
  });

  it('follows release.stage when set, and names the stages when it matches none', async () => {
    const custom = (stage: string) => new DevOpsReleases({
      orgUrl: `${fake.url}${ORG}`, project: 'MyFirstProject', auth: { pat: 'pat-value' }, log: new CapturingLogger(), retry: { maxRetries: 0 },
      environments: [{ ...prod, release: { kind: 'pipeline', pipeline: 'deploy-model', environment: 'production', stage, variables } }],
    });
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', TIMELINE, { body: timeline([['Build', 'completed', 'succeeded'], ['ReleaseLive', 'inProgress']]) });
    fake.on('GET', APPROVALS, { body: { count: 0, value: [] } });

    expect((await custom('releaselive').status('prod', { kind: 'pipeline', id: RUN_ID })).state).toBe('in_progress');
    await expect(custom('Nope').status('prod', { kind: 'pipeline', id: RUN_ID })).rejects.toMatchObject({
      code: 'config_invalid', message: 'Pipeline deploy-model has no stage "Nope" (it has: Build, ReleaseLive).',
    });
  });

  it('a run whose stages are not planned yet is queued', async () => {
    fake.on('GET', `${PROJ}/pipelines/4597/runs/${RUN_ID}`, { body: run() });
    fake.on('GET', TIMELINE, { status: 404, body: { message: 'no timeline yet' } });
    expect(await releases().status('prod', { kind: 'pipeline', id: RUN_ID })).toMatchObject({ state: 'queued', stages: [{ name: 'prod', state: 'not_started' }] });
    expect(fake.matching('GET', APPROVALS)).toHaveLength(0);
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
    // Hosts and API locations are known up front: no discovery round trip before either call.
    expect(fake.requests.filter((q) => q.method === 'OPTIONS' || /resourceareas/i.test(q.path))).toEqual([]);
  });
});

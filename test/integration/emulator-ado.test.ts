/** Azure DevOps routes over raw HTTP: discovery, releases, release approvals, pipelines and check approvals. */
import { startEmulator, type EmulatorEvent, type RunningEmulator } from '../../src/emulator';
import { call, fixture, keysOf, ManualClock, PAT_HEADER, quietLog, tempDir } from './emulator-client';

const ACCEPT = (v: string): Record<string, string> => ({ ...PAT_HEADER, accept: `application/json;api-version=${v}` });

describe('emulator Azure DevOps routes', () => {
  const tmp = tempDir();
  const clock = new ManualClock();
  const events: EmulatorEvent[] = [];
  let emu: RunningEmulator;
  let project: string;

  beforeAll(async () => {
    emu = await startEmulator({ dataDir: tmp.dir, log: quietLog, clock, autoTick: false, jobEveryMs: 0, onEvent: (e) => events.push(e) });
    project = `${emu.devopsUrl}/mlops-v2`;
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  async function createRelease(requestId: string): Promise<{ id: number; environments: { id: number; name: string; status: string }[] }> {
    const reply = await call(`${project}/_apis/Release/releases`, {
      method: 'POST', headers: ACCEPT('7.2-preview.9'),
      body: { definitionId: 1, description: `request ${requestId}`, variables: { modelName: { value: 'taxi-model' }, modelVersion: { value: '5' }, promotionRequestId: { value: requestId } } },
    });
    expect(reply.status).toBe(200);
    return reply.body;
  }

  it('answers the discovery sequence', async () => {
    const location = await call(`${emu.devopsUrl}/_apis/Location`, { method: 'OPTIONS' });
    expect(location.body.value[0].id).toBe('e81700f7-3be2-46de-8624-2eb35882fcaa');
    expect((await call(`${emu.devopsUrl}/_apis/ResourceAreas`, { headers: PAT_HEADER })).body).toEqual({ count: 0, value: null });
    const release = await call(`${emu.devopsUrl}/_apis/Release`, { method: 'OPTIONS' });
    expect(release.body.value.map((l: { id: string }) => l.id)).toEqual(expect.arrayContaining([
      'b47c6458-e73b-47cb-a770-4df1e8813a91', '9328e074-59fb-465a-89d9-b09c82ee5109', 'a166fde7-27ad-408e-ba75-703c2cc9d500', 'a7e426b1-03dc-48af-9dfe-c98bac612dcb',
    ]));
    const pipelines = await call(`${emu.devopsUrl}/_apis/pipelines`, { method: 'OPTIONS' });
    expect(pipelines.body.value.map((l: { id: string }) => l.id)).toEqual(expect.arrayContaining(['28e1305e-2afe-47bf-abaf-cbb0e6a91988', '7859261e-d2e9-4a68-b820-a5d84cc5bb3d']));
  });

  it('refuses unauthenticated calls and answers 404 for unknown ids and projects', async () => {
    const anon = await call(`${project}/_apis/Release/releases/1`);
    expect(anon.status).toBe(401);
    expect(keysOf(anon.body)).toEqual(expect.arrayContaining(['message', 'typeKey']));
    expect((await call(`${project}/_apis/Release/releases/999`, { headers: PAT_HEADER })).status).toBe(404);
    expect((await call(`${emu.devopsUrl}/other/_apis/Release/releases/1`, { headers: PAT_HEADER })).body.typeKey).toBe('ProjectDoesNotExistWithNameException');
    expect((await call(`${project}/_apis/pipelines/42`, { headers: PAT_HEADER })).status).toBe(404);
  });

  it('creates and gets releases in the official shapes; variables must exist on the definition', async () => {
    const created = await createRelease('r-shape');
    const officialCreate = fixture('azure-devops/release-create.7.1.json').responses['200'].body;
    expect(keysOf(created)).toEqual(expect.arrayContaining(keysOf(officialCreate)));
    expect(keysOf(created.environments[0])).toEqual(expect.arrayContaining(keysOf(officialCreate.environments[0])));
    expect(created.environments.map((e) => [e.name, e.status])).toEqual([['dev', 'inProgress'], ['preprod', 'notStarted'], ['prod', 'notStarted']]);
    const got = await call(`${project}/_apis/Release/releases/${created.id}`, { headers: PAT_HEADER });
    const officialGet = fixture('azure-devops/release-get.7.1.json').responses['200'].body;
    expect(keysOf(got.body)).toEqual(keysOf(officialGet));
    expect(got.body.variables.promotionRequestId.value).toBe('r-shape');
    const bad = await call(`${project}/_apis/Release/releases`, { method: 'POST', headers: PAT_HEADER, body: { definitionId: 1, variables: { foo: { value: 'x' } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/foo/);
  });

  it('lists releases by definition, with variables only when expanded', async () => {
    await createRelease('r-find');
    const plain = await call(`${project}/_apis/Release/releases?definitionId=1`, { headers: PAT_HEADER });
    const official = fixture('azure-devops/releases-list-for-definition.7.1.json').responses['200'].body.value[0];
    expect(keysOf(plain.body.value[0])).toEqual(keysOf(official));
    expect(plain.body.value[0].variables).toEqual({});
    const expanded = await call(`${project}/_apis/Release/releases?definitionId=1&$expand=32`, { headers: PAT_HEADER });
    const found = expanded.body.value.filter((r: { variables: Record<string, { value: string }> }) => r.variables['promotionRequestId']?.value === 'r-find');
    expect(found).toHaveLength(1);
    const named = await call(`${project}/_apis/Release/releases?definitionId=1&$expand=variables,environments&$top=1`, { headers: PAT_HEADER });
    expect(named.body.value).toHaveLength(1);
    expect(named.body.value[0].environments).toHaveLength(3);
    expect(named.headers['x-ms-continuationtoken']).toBeDefined();
  });

  it('pends the prod approval, lists it (numeric or string filter) and rejects it', async () => {
    const rel = await createRelease('r-reject');
    clock.advance(60_000);
    emu.tick();
    const byNumber = await call(`${project}/_apis/Release/approvals?statusFilter=1&releaseIdsFilter=${rel.id}`, { headers: ACCEPT('7.2-preview.3') });
    const byName = await call(`${project}/_apis/Release/approvals?statusFilter=pending&releaseIdsFilter=${rel.id}`, { headers: PAT_HEADER });
    expect(byNumber.body.value).toHaveLength(1);
    expect(byName.body.value.map((a: { id: number }) => a.id)).toEqual(byNumber.body.value.map((a: { id: number }) => a.id));
    const official = fixture('azure-devops/release-approvals-list-pending.7.1.json').responses['200'].body.value[0];
    const approval = byNumber.body.value[0];
    expect(keysOf(approval)).toEqual(expect.arrayContaining(keysOf(official)));
    expect(approval).toMatchObject({ status: 'pending', approvalType: 'preDeploy', releaseEnvironment: { name: 'prod' }, release: { id: rel.id } });

    const rejected = await call(`${project}/_apis/Release/approvals/${approval.id}`, { method: 'PATCH', headers: PAT_HEADER, body: { status: 4, comments: 'Rejected via MLOps Bot by Bob (request r-reject): no' } });
    expect(rejected.body).toMatchObject({ status: 'rejected', comments: expect.stringContaining('Bob') });
    expect(keysOf(rejected.body)).toEqual(expect.arrayContaining(keysOf(fixture('azure-devops/release-approval-update-approved.7.1.json').responses['200'].body)));
    const again = await call(`${project}/_apis/Release/approvals/${approval.id}`, { method: 'PATCH', headers: PAT_HEADER, body: { status: 'approved' } });
    expect(again.status).toBe(400);
    clock.advance(60_000);
    emu.tick();
    const after = await call(`${project}/_apis/Release/releases/${rel.id}`, { headers: PAT_HEADER });
    expect(after.body.environments.map((e: { status: string }) => e.status)).toEqual(['succeeded', 'succeeded', 'rejected']);
    const completed = events.filter((e) => e.kind === 'servicehook' && e.delivery.eventType === 'ms.vss-release.deployment-completed-event'
      && (e.delivery.resource['environment'] as { releaseId: number }).releaseId === rel.id);
    expect(completed.map((e) => e.kind === 'servicehook' && (e.delivery.resource['environment'] as { status: string }).status)).toEqual(['succeeded', 'succeeded', 'rejected']);
  });

  it('starts a manual stage with updateReleaseEnvironment', async () => {
    const reply = await call(`${project}/_apis/Release/releases`, { method: 'POST', headers: PAT_HEADER, body: { definitionId: 1, manualEnvironments: ['dev', 'preprod', 'prod'] } });
    expect(reply.body.environments.map((e: { status: string }) => e.status)).toEqual(['notStarted', 'notStarted', 'notStarted']);
    const prod = reply.body.environments[2];
    const started = await call(`${project}/_apis/Release/releases/${reply.body.id}/environments/${prod.id}`, { method: 'PATCH', headers: ACCEPT('7.2-preview.8'), body: { status: 2, comment: 'start' } });
    expect(started.body.status).toBe('queued');
    const pending = await call(`${project}/_apis/Release/approvals?releaseIdsFilter=${reply.body.id}`, { headers: PAT_HEADER });
    expect(pending.body.value).toHaveLength(1);
  });

  it('runs a YAML pipeline to its prod check and approves it over the REST-only approvals API', async () => {
    const run = await call(`${project}/_apis/pipelines/1/runs`, { method: 'POST', headers: ACCEPT('7.2-preview.1'), body: { templateParameters: { modelName: 'taxi-model', modelVersion: '5', promotionRequestId: 'r-yaml' } } });
    expect(run.body).toMatchObject({ state: 'inProgress', templateParameters: { promotionRequestId: 'r-yaml' }, pipeline: { id: 1 } });
    const unexpected = await call(`${project}/_apis/pipelines/1/runs`, { method: 'POST', headers: PAT_HEADER, body: { templateParameters: { nope: '1' } } });
    expect(unexpected.status).toBe(400);
    clock.advance(60_000);
    emu.tick();
    const old = await call(`${project}/_apis/pipelines/approvals?state=pending&$expand=steps&api-version=7.1-preview.1`, { headers: PAT_HEADER });
    expect(old.body.value[0].pipeline).toBeUndefined();
    const list = await call(`${project}/_apis/pipelines/approvals?state=pending&$expand=steps&api-version=7.2-preview.2`, { headers: PAT_HEADER });
    expect(list.body.value).toHaveLength(1);
    const official = fixture('azure-devops/pipelines-approvals-query-with-pipeline-info.7.2-preview.2.releasenotes.json').value[0];
    expect(keysOf(list.body.value[0])).toEqual(expect.arrayContaining(keysOf(official)));
    expect(list.body.value[0].pipeline).toMatchObject({ id: '1', name: 'deploy-online-endpoint-pipeline', owner: { id: run.body.id } });
    expect((await call(`${project}/_apis/pipelines/approvals`, { headers: PAT_HEADER })).status).toBe(400);

    const decided = await call(`${project}/_apis/pipelines/approvals?api-version=7.1-preview.1`, {
      method: 'PATCH', headers: PAT_HEADER, body: [{ approvalId: list.body.value[0].id, status: 'approved', comment: 'Approved via MLOps Bot by Alice (request r-yaml)' }],
    });
    expect(decided.body.value[0]).toMatchObject({ status: 'approved', steps: [{ status: 'approved', comment: expect.stringContaining('Alice') }] });
    expect(keysOf(decided.body.value[0].steps[0])).toEqual(expect.arrayContaining(keysOf(fixture('azure-devops/pipelines-approvals-update.7.1.json').responses['200'].body.value[0].steps[0])));
    clock.advance(60_000);
    emu.tick();
    const done = await call(`${project}/_apis/pipelines/1/runs/${run.body.id}`, { headers: PAT_HEADER });
    expect(done.body).toMatchObject({ state: 'completed', result: 'succeeded' });
    const states = events.filter((e) => e.kind === 'servicehook' && e.delivery.eventType === 'ms.vss-pipelines.run-state-changed-event')
      .map((e) => e.kind === 'servicehook' && (e.delivery.resource['run'] as { state: string }).state);
    expect(states).toEqual(['inProgress', 'completed']);
  });
});

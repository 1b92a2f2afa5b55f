/** ARM Azure ML routes over raw HTTPS: auth, api-version, paths, filters, paging and the official shapes. */
import { startEmulator, type EmulatorEvent, type RunningEmulator } from '../../src/emulator';
import { call, fixture, keysOf, ManualClock, quietLog, tempDir, token, wsUrl } from './emulator-client';

const V = 'api-version=2022-10-01';

describe('emulator ARM Azure ML routes', () => {
  const tmp = tempDir();
  const events: EmulatorEvent[] = [];
  let emu: RunningEmulator;
  let auth: Record<string, string>;
  let get: (url: string) => ReturnType<typeof call>;

  beforeAll(async () => {
    emu = await startEmulator({ dataDir: tmp.dir, log: quietLog, clock: new ManualClock(), autoTick: false, jobEveryMs: 0, onEvent: (e) => events.push(e) });
    auth = { authorization: `Bearer ${await token(emu)}` };
    get = (url) => call(url, { headers: auth, ca: emu.ca });
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  it('refuses missing, foreign and wrong-audience tokens with an ARM error', async () => {
    const url = `${wsUrl(emu, 'dev')}/models?${V}`;
    const none = await call(url, { ca: emu.ca });
    expect(none.status).toBe(401);
    expect(keysOf(none.body.error)).toEqual(['code', 'message']);
    expect((await call(url, { ca: emu.ca, headers: { authorization: 'Bearer made-up' } })).status).toBe(401);
    const devopsToken = await token(emu, '499b84ac-1321-427f-aa17-267ca6975798');
    const wrong = await call(url, { ca: emu.ca, headers: { authorization: `Bearer ${devopsToken}` } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toMatch(/audience/);
    expect((await call(`${emu.identityEndpoint}?api-version=2019-08-01&resource=https://management.azure.com`, { headers: { 'X-IDENTITY-HEADER': 'nope' } })).status).toBe(401);
  });

  it('requires api-version and tolerates //subscriptions and other casing', async () => {
    const missing = await get(`${wsUrl(emu, 'dev')}/models`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('MissingApiVersionParameter');
    const doubled = wsUrl(emu, 'dev').replace('/subscriptions', '//subscriptions');
    expect((await get(`${doubled}/models?${V}`)).status).toBe(200);
    const cased = wsUrl(emu, 'dev').replace('/resourceGroups/', '/RESOURCEGROUPS/').replace('/workspaces/', '/Workspaces/').replace('mlw-mlopsv2-0001dev', 'MLW-MLOPSV2-0001DEV');
    expect((await get(`${cased}/models/taxi-model?${V}`)).status).toBe(200);
  });

  it('answers 404 for unknown workspaces, models, versions and jobs', async () => {
    expect((await get(`${wsUrl(emu, 'dev').replace('0001dev/providers', '0001xx/providers')}/models?${V}`)).body.error.code).toBe('ResourceGroupNotFound');
    expect((await get(`${wsUrl(emu, 'dev')}/models/nope?${V}`)).status).toBe(404);
    expect((await get(`${wsUrl(emu, 'dev')}/models/taxi-model/versions/99?${V}`)).status).toBe(404);
    expect((await get(`${wsUrl(emu, 'dev')}/jobs/nope?${V}`)).status).toBe(404);
  });

  it('serves model containers and versions in the official shapes', async () => {
    const list = await get(`${wsUrl(emu, 'dev')}/models?${V}`);
    const official = fixture('azureml/workspace-modelcontainers-list.2022-10-01.json').responses['200'].body.value[0];
    expect(keysOf(list.body.value[0])).toEqual(keysOf(official));
    expect(keysOf(list.body.value[0].properties)).toEqual(expect.arrayContaining(keysOf(official.properties)));
    const taxi = list.body.value.find((m: { name: string }) => m.name === 'taxi-model');
    expect(taxi.properties).toMatchObject({ latestVersion: '5', nextVersion: '6' });

    const version = await get(`${wsUrl(emu, 'dev')}/models/taxi-model/versions/4?${V}`);
    const officialVersion = fixture('azureml/workspace-modelversion-get.2024-04-01.json').responses['200'].body;
    expect(keysOf(version.body)).toEqual(keysOf(officialVersion));
    expect(keysOf(version.body.properties)).toEqual(expect.arrayContaining(keysOf(officialVersion.properties)));
    expect(version.body.properties).toMatchObject({ jobName: 'sunny_maple_9w4t6c', tags: { 'mlops-env-preprod': expect.any(String) } });
    expect(version.body.id).toBe(`/subscriptions/${emu.subscriptionId}/resourceGroups/rg-mlopsv2-0001dev/providers/Microsoft.MachineLearningServices/workspaces/mlw-mlopsv2-0001dev/models/taxi-model/versions/4`);
  });

  it('filters versions by tags and version, orders them and pages with $top/nextLink', async () => {
    const base = `${wsUrl(emu, 'dev')}/models/taxi-model/versions?${V}`;
    const prod = await get(`${base}&tags=mlops-env-prod`);
    expect(prod.body.value.map((v: { name: string }) => v.name)).toEqual(['3']);
    expect((await get(`${base}&version=2`)).body.value.map((v: { name: string }) => v.name)).toEqual(['2']);
    expect((await get(`${base}&$orderBy=createdtime%20asc`)).body.value.map((v: { name: string }) => v.name)).toEqual(['1', '2', '3', '4', '5']);
    const first = await get(`${base}&$orderBy=createdtime%20desc&$top=2`);
    expect(first.body.value.map((v: { name: string }) => v.name)).toEqual(['5', '4']);
    const second = await get(first.body.nextLink as string);
    expect(second.body.value.map((v: { name: string }) => v.name)).toEqual(['3', '2']);
    const third = await get(second.body.nextLink as string);
    expect(third.body.value.map((v: { name: string }) => v.name)).toEqual(['1']);
    expect(third.body.nextLink).toBeUndefined();
  });

  it('merges a PUT into an existing version and registers a new one', async () => {
    const url = `${wsUrl(emu, 'dev')}/models/taxi-model/versions/2?${V}`;
    const before = (await get(url)).body;
    const put = await call(url, { method: 'PUT', headers: auth, ca: emu.ca, body: { properties: { tags: { ...before.properties.tags, reviewed: 'yes' } } } });
    expect(put.status).toBe(200);
    expect(put.body.properties).toMatchObject({ jobName: before.properties.jobName, tags: { reviewed: 'yes', training_job: before.properties.jobName } });
    const created = await call(`${wsUrl(emu, 'dev')}/models/taxi-model/versions/6?${V}`, { method: 'PUT', headers: auth, ca: emu.ca, body: { properties: { description: 'six', tags: {} } } });
    expect(created.status).toBe(201);
    expect((await get(`${wsUrl(emu, 'dev')}/models/taxi-model?${V}`)).body.properties.latestVersion).toBe('6');
    const registered = events.find((e) => e.kind === 'eventgrid' && e.event.eventType.endsWith('ModelRegistered'));
    expect(registered).toMatchObject({ event: { subject: 'models/taxi-model:6', data: { ModelName: 'taxi-model', ModelVersion: '6' } } });
  });

  it('serves jobs (Command and Pipeline, some failed) in the official shapes, filtered by jobType', async () => {
    const job = await get(`${wsUrl(emu, 'dev')}/jobs/quiet_river_5d8h2n?${V}`);
    const official = fixture('azureml/job-commandjob-get.2024-04-01.json').responses['200'].body;
    expect(keysOf(job.body)).toEqual(keysOf(official));
    expect(keysOf(job.body.properties)).toEqual(expect.arrayContaining(keysOf(official.properties)));
    const pipelines = await get(`${wsUrl(emu, 'dev')}/jobs?${V}&jobType=Pipeline`);
    const officialPipeline = fixture('azureml/jobs-list-pipelinejob.2022-10-01.json').responses['200'].body.value[0];
    expect(pipelines.body.value).toHaveLength(1);
    expect(keysOf(pipelines.body.value[0].properties)).toEqual(expect.arrayContaining(keysOf(officialPipeline.properties)));
    expect(pipelines.body.value[0].properties).toMatchObject({ status: 'Failed', properties: { errorMessage: expect.stringMatching(/exit code 137/) } });
  });

  it('lists schedules (enabled by default) in the official shape', async () => {
    const list = await get(`${wsUrl(emu, 'prod')}/schedules?${V}`);
    const official = fixture('azureml/schedules-list.2024-04-01.json').responses['200'].body.value[0];
    expect(list.body.value.map((s: { name: string }) => s.name)).toEqual(['taxi-batch-nightly']);
    expect(keysOf(list.body.value[0])).toEqual(keysOf(official));
    expect(keysOf(list.body.value[0].properties)).toEqual(keysOf(official.properties));
    const bad = await call(`${wsUrl(emu, 'prod')}/schedules/bad?${V}`, {
      method: 'PUT', headers: auth, ca: emu.ca,
      body: { properties: { trigger: { triggerType: 'Recurrence', frequency: 'Day', interval: 1, startTime: '2026-01-01T00:00:00Z' }, action: { actionType: 'CreateJob', jobDefinition: {} } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/offset/);
  });

  it('serves the batch endpoint with a deployment and a scoring URI on the emulator', async () => {
    const endpoint = await get(`${wsUrl(emu, 'prod')}/batchEndpoints/taxi-batch?${V}`);
    expect(endpoint.body.properties.scoringUri.startsWith(emu.armUrl)).toBe(true);
    const official = fixture('azureml/batchendpoint-createOrUpdate.2022-10-01.json').responses['200'].body;
    // `sku` is optional on batch endpoints and the service leaves it out when unset.
    expect(keysOf(endpoint.body)).toEqual(keysOf(official).filter((k) => k !== 'sku'));
    expect(keysOf(endpoint.body.properties)).toEqual(keysOf(official.properties));
    const deployments = await get(`${wsUrl(emu, 'prod')}/batchEndpoints/taxi-batch/deployments?${V}`);
    expect(deployments.body.value[0].properties.model.assetId).toMatch(/models\/taxi-model\/versions\/3$/);
  });
});

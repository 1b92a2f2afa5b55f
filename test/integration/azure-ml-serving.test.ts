/**
 * AzureMlServing through the real SDK client and core-client pipeline against a per-test fake that
 * replays the official Azure ML examples: list/get of online endpoints (2024-04-01, paged),
 * deployments (SDK, 2022-10-01), the traffic PUT followed as a long-running operation, and the
 * 404 / 409 / 429 answers.
 */
import { AzureMlServing } from '../../src/adapters/azure-ml';
import type { EnvironmentSettings } from '../../src/core/settings';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { CapturingLogger } from '../fakes/logger';
import { exampleBody, FakeAzureServer, fixture, recordingCredential } from '../support/fake-azure-server';

const ws = { subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'test-rg', name: 'my-aml-workspace' };
const WS = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
const prod: EnvironmentSettings = { name: 'prod', workspace: ws, channels: { approvals: [], audit: [], notifications: [] } };
const EP = `${WS}/onlineEndpoints/taxi-online`;
const REGISTRY_MODEL = 'azureml://registries/mlops-shared/models/taxi-model/versions/7';

let tls: TlsMaterial;
let fake: FakeAzureServer;
let serving: AzureMlServing;

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => {
  fake = await FakeAzureServer.https(tls);
  serving = new AzureMlServing(recordingCredential(), {
    environments: [prod], armEndpoint: fake.url, ca: tls.ca, lroPollIntervalMs: 5, lroTimeoutMs: 2000,
    retry: { maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 10, maxRetryAfterMs: 1000 }, timeoutMs: 5000, log: new CapturingLogger(),
  });
});
afterEach(async () => { await fake.close(); });

/** The official endpoint example, named and split as a test wants it. */
function endpointBody(traffic: Record<string, number>, state = 'Succeeded', mirror?: Record<string, number>) {
  const body = exampleBody('azureml/onlineendpoint-createOrUpdate-traffic.2024-04-01.json');
  return { ...body, name: 'taxi-online', id: EP, properties: { ...body.properties, traffic, provisioningState: state, ...(mirror ? { mirrorTraffic: mirror } : {}) } };
}

describe('online endpoints (raw 2024-04-01 requests on the SDK pipeline)', () => {
  it('lists every page, with traffic, mirror traffic, state and scoring URI', async () => {
    const page1 = exampleBody('azureml/onlineendpoints-list.2024-04-01.json');
    page1.value[0] = { ...page1.value[0], name: 'taxi-online', properties: { ...page1.value[0].properties, traffic: { blue: 100, green: 0 }, mirrorTraffic: { green: 10 } } };
    page1.nextLink = `${fake.url}${WS}/onlineEndpoints?api-version=2024-04-01&$skipToken=p2`;
    const page2 = exampleBody('azureml/onlineendpoints-list.2024-04-01.json');
    page2.value[0].name = 'fraud-online';
    delete page2.nextLink;
    fake.on('GET', `${WS}/onlineEndpoints`, (req) => ({ body: req.query.get('$skipToken') === 'p2' ? page2 : page1 }));

    const endpoints = await serving.listOnlineEndpoints('prod');

    expect(endpoints.map((e) => e.name)).toEqual(['taxi-online', 'fraud-online']);
    expect(endpoints[0]).toEqual({
      env: 'prod', name: 'taxi-online', traffic: { blue: 100, green: 0 }, mirrorTraffic: { green: 10 },
      state: 'in_progress', rawState: 'Creating', scoringUri: 'https://www.contoso.com/example', authMode: 'AMLToken',
    });
    for (const r of fake.matching('GET', `${WS}/onlineEndpoints`)) expect(r.query.get('api-version')).toBe('2024-04-01');
    expect(fake.matching('GET', `${WS}/onlineEndpoints`)[0].headers.authorization).toBe('Bearer test-token');
  });

  it('answers null for an endpoint that does not exist (404)', async () => {
    fake.on('GET', `${WS}/onlineEndpoints/nope`, { status: 404, body: { error: { code: 'UserError', message: 'not found' } } });
    expect(await serving.getOnlineEndpoint('prod', 'nope')).toBeNull();
  });

  it('waits out a 429 with Retry-After, then answers', async () => {
    fake.once('GET', EP, { status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } });
    fake.on('GET', EP, { body: endpointBody({ blue: 100 }) });
    expect((await serving.getOnlineEndpoint('prod', 'taxi-online'))?.traffic).toEqual({ blue: 100 });
    expect(fake.matching('GET', EP)).toHaveLength(2);
  });

  it('fails as throttled when Azure asks for a wait above the ceiling', async () => {
    fake.on('GET', EP, { status: 429, headers: { 'retry-after': '3600' }, body: { error: { code: 'TooManyRequests', message: 'an hour' } } });
    await expect(serving.getOnlineEndpoint('prod', 'taxi-online')).rejects.toMatchObject({ code: 'upstream_throttled' });
  });
});

describe('deployments (SDK 2.1.1)', () => {
  it('reads model name and version from the asset id, registry vs workspace, instance type and count', async () => {
    const page = exampleBody('azureml/onlinedeployments-list.2024-04-01.json');
    const item = page.value[0];
    page.value = [
      { ...item, name: 'blue', properties: { ...item.properties, model: `${WS}/models/taxi-model/versions/3`, instanceType: 'Standard_DS3_v2', provisioningState: 'Succeeded' }, sku: { ...item.sku, capacity: 3 } },
      { ...item, name: 'green', properties: { ...item.properties, model: REGISTRY_MODEL } },
      { ...item, name: 'odd', properties: { ...item.properties, model: 'string' } },
    ];
    delete page.nextLink;
    fake.on('GET', `${EP}/deployments`, { body: page });

    const deployments = await serving.listOnlineDeployments('prod', 'taxi-online');

    expect(fake.matching('GET', `${EP}/deployments`)[0].query.get('api-version')).toBe('2022-10-01');
    expect(deployments![0]).toMatchObject({ name: 'blue', model: { name: 'taxi-model', version: '3', source: 'workspace', container: 'my-aml-workspace' }, instanceType: 'Standard_DS3_v2', instanceCount: 3, state: 'succeeded' });
    expect(deployments![1]).toMatchObject({ name: 'green', model: { name: 'taxi-model', version: '7', source: 'registry', container: 'mlops-shared' }, state: 'in_progress' });
    expect(deployments![2].model).toBeUndefined();
    expect(deployments![2].modelAssetId).toBe('string');
  });

  it('reads the batch default deployment and its Id model reference', async () => {
    const endpoint = exampleBody('azureml/batchendpoint-createOrUpdate.2022-10-01.json');
    fake.on('GET', `${WS}/batchEndpoints`, { body: { value: [{ ...endpoint, name: 'taxi-batch', properties: { ...endpoint.properties, defaults: { deploymentName: 'dp1' } } }] } });
    const dep = exampleBody('azureml/batchdeployment-createOrUpdate.2022-10-01.json');
    fake.on('GET', `${WS}/batchEndpoints/taxi-batch/deployments`, { body: { value: [{ ...dep, name: 'dp1', properties: { ...dep.properties, model: { referenceType: 'Id', assetId: REGISTRY_MODEL } } }] } });

    const [batch] = await serving.listBatchEndpoints('prod');
    const [deployment] = (await serving.listBatchDeployments('prod', 'taxi-batch'))!;

    expect(batch).toMatchObject({ name: 'taxi-batch', defaultDeployment: 'dp1' });
    expect(deployment).toMatchObject({ name: 'dp1', model: { name: 'taxi-model', version: '7', source: 'registry' } });
  });
});

describe('setTraffic: a whole-object PUT followed to the end', () => {
  it('GETs, PUTs the writable object with the new split, follows Azure-AsyncOperation, re-reads', async () => {
    let polls = 0;
    fake.on('GET', EP, { body: endpointBody({ blue: 100, green: 0 }, 'Succeeded', { green: 10 }) });
    fake.on('PUT', EP, (req) => {
      fake.on('GET', EP, { body: { ...endpointBody({}, 'Succeeded'), properties: { ...(req.json as any).properties, provisioningState: 'Succeeded', scoringUri: 'https://www.contoso.com/example' } } });
      return { status: 201, body: endpointBody((req.json as any).properties.traffic, 'Updating'), headers: { 'azure-asyncoperation': `${fake.url}/op/1?api-version=2024-04-01` } };
    });
    fake.on('GET', '/op/1', () => ({ body: { status: ++polls < 2 ? 'InProgress' : 'Succeeded' } }));

    const after = await serving.setTraffic('prod', 'taxi-online', { blue: 0, green: 100 });

    // green was mirrored to; now that it takes the live traffic, Azure would refuse the mirror too.
    expect(after).toMatchObject({ traffic: { blue: 0, green: 100 }, mirrorTraffic: {}, state: 'succeeded' });
    const puts = fake.matching('PUT', EP);
    expect(puts).toHaveLength(1);
    expect(puts[0].query.get('api-version')).toBe('2024-04-01');
    const sent = puts[0].json as any;
    const documented = fixture('azureml/onlineendpoint-createOrUpdate-traffic.2024-04-01.json').parameters.body;
    expect(Object.keys(sent).sort()).toEqual(Object.keys(documented).sort());
    expect(sent.properties.traffic).toEqual({ blue: 0, green: 100 });
    expect(sent.properties.mirrorTraffic).toEqual({});
    expect(sent.properties.authMode).toBe('AMLToken');
    for (const readOnly of ['provisioningState', 'scoringUri', 'swaggerUri']) expect(sent.properties).not.toHaveProperty(readOnly);
    expect(polls).toBe(2);
    expect(fake.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('with a mirror split, PUTs it in place of the endpoint’s (0% entries left out); a mirror already there sends no PUT', async () => {
    fake.on('GET', EP, { body: endpointBody({ blue: 100, green: 0 }, 'Succeeded', { green: 10 }) });
    fake.on('PUT', EP, (req) => {
      fake.on('GET', EP, { body: { ...endpointBody({}, 'Succeeded'), properties: { ...(req.json as any).properties, provisioningState: 'Succeeded' } } });
      return { status: 200, body: { ...endpointBody({}, 'Succeeded'), properties: { ...(req.json as any).properties, provisioningState: 'Succeeded' } } };
    });
    const after = await serving.setTraffic('prod', 'taxi-online', { blue: 100, green: 0 }, { green: 30, canary: 0 });
    expect(after).toMatchObject({ traffic: { blue: 100, green: 0 }, mirrorTraffic: { green: 30 } });
    expect((fake.matching('PUT', EP)[0].json as any).properties.mirrorTraffic).toEqual({ green: 30 });
    await serving.setTraffic('prod', 'taxi-online', { blue: 100 }, { green: 30 });
    expect(fake.matching('PUT', EP)).toHaveLength(1);
  });

  it('sends no second PUT when the split is already there (a retry after a crash): it follows the state instead', async () => {
    let reads = 0;
    fake.on('GET', EP, () => ({ body: endpointBody({ blue: 0, green: 100 }, ++reads < 3 ? 'Updating' : 'Succeeded') }));
    const after = await serving.setTraffic('prod', 'taxi-online', { green: 100 });
    expect(after.state).toBe('succeeded');
    expect(fake.matching('PUT', EP)).toHaveLength(0);
  });

  it('reports a 409 (another operation under way) as a conflict with a remedy', async () => {
    fake.on('GET', EP, { body: endpointBody({ blue: 100, green: 0 }) });
    fake.on('PUT', EP, { status: 409, body: { error: { code: 'Conflict', message: 'An operation is already in progress on this endpoint.' } } });
    await expect(serving.setTraffic('prod', 'taxi-online', { green: 100 })).rejects.toMatchObject({
      code: 'conflict', message: expect.stringContaining('already in progress'), remedy: expect.stringContaining('Wait'),
    });
  });

  it('reports an operation that ended Failed, with Azure’s error', async () => {
    fake.on('GET', EP, { body: endpointBody({ blue: 100, green: 0 }) });
    fake.on('PUT', EP, { status: 200, body: endpointBody({ green: 100 }, 'Updating'), headers: { 'azure-asyncoperation': `${fake.url}/op/2` } });
    fake.on('GET', '/op/2', { body: { status: 'Failed', error: { code: 'DeploymentFailed', message: 'green is unhealthy' } } });
    await expect(serving.setTraffic('prod', 'taxi-online', { green: 100 })).rejects.toMatchObject({ code: 'upstream_unavailable', message: expect.stringContaining('green is unhealthy') });
  });

  it('stops waiting at its deadline with a timeout that says what to do', async () => {
    fake.on('GET', EP, { body: endpointBody({ blue: 100, green: 0 }) });
    fake.on('PUT', EP, { status: 200, body: endpointBody({ green: 100 }, 'Updating'), headers: { 'azure-asyncoperation': `${fake.url}/op/3` } });
    fake.on('GET', '/op/3', { body: { status: 'InProgress' } });
    const slow = new AzureMlServing(recordingCredential(), { environments: [prod], armEndpoint: fake.url, ca: tls.ca, lroPollIntervalMs: 20, lroTimeoutMs: 100, log: new CapturingLogger() });
    await expect(slow.setTraffic('prod', 'taxi-online', { green: 100 })).rejects.toMatchObject({ code: 'timeout' });
  });
});

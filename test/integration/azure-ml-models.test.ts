import { AzureMlRegistry } from '../../src/adapters/azure-ml';
import type { BotError } from '../../src/core/errors';
import type { EnvironmentSettings } from '../../src/core/settings';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { CapturingLogger } from '../fakes/logger';
import { exampleBody, FakeAzureServer, recordingCredential } from '../support/fake-azure-server';

const ws = { subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'test-rg', name: 'my-aml-workspace' };
const WS = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
const dev: EnvironmentSettings = { name: 'dev', workspace: ws, channels: { approvals: [], audit: [], notifications: [] } };

let tls: TlsMaterial;
let fake: FakeAzureServer;
let cred: ReturnType<typeof recordingCredential>;
let registry: AzureMlRegistry;

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => {
  fake = await FakeAzureServer.https(tls);
  cred = recordingCredential();
  registry = new AzureMlRegistry(cred, {
    environments: [dev], armEndpoint: fake.url, armAudience: 'https://management.azure.com', ca: tls.ca,
    retry: { maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 20 }, timeoutMs: 5000, log: new CapturingLogger(),
  });
});
afterEach(async () => { await fake.close(); });

function version(name: string, createdAt: string, jobName?: string) {
  const v = exampleBody('azureml/workspace-modelversions-list.2022-10-01.json').value[0];
  v.name = name;
  v.systemData.createdAt = createdAt;
  v.properties.jobName = jobName;
  return v;
}

describe('AzureMlRegistry models through @azure/arm-machinelearning', () => {
  it('lists model containers across all pages with the ARM token for the ARM audience', async () => {
    const page1 = exampleBody('azureml/workspace-modelcontainers-list.2022-10-01.json');
    page1.nextLink = `${fake.url}${WS}/models?api-version=2022-10-01&$skipToken=page2`;
    const page2 = exampleBody('azureml/workspace-modelcontainers-list.2022-10-01.json');
    page2.value[0].name = 'taxi-model';
    delete page2.nextLink;
    fake.on('GET', `${WS}/models`, (req) => ({ body: req.query.get('$skipToken') === 'page2' ? page2 : page1 }));

    const models = await registry.listModels('DEV');

    expect(models.map((m) => m.name)).toEqual(['testContainer', 'taxi-model']);
    expect(models[0]).toMatchObject({ description: 'Model container description', tags: { tag1: 'value1', tag2: 'value2' }, latestVersion: null });
    expect(models[0].updatedAt?.toISOString()).toBe('2020-12-01T12:00:00.000Z');
    const reqs = fake.matching('GET', `${WS}/models`);
    expect(reqs).toHaveLength(2);
    expect(reqs[0].query.get('api-version')).toBe('2022-10-01');
    expect(reqs[0].headers.authorization).toBe('Bearer test-token');
    expect(cred.scopes[0]).toEqual(['https://management.azure.com/.default']);
  });

  it('lists versions newest first and asks the service for that order', async () => {
    const body = { value: [version('1', '2024-01-01T00:00:00Z', 'job_one'), version('3', '2024-03-01T00:00:00Z', 'job_three'), version('2', '2024-02-01T00:00:00Z')] };
    fake.on('GET', `${WS}/models/taxi-model/versions`, { body });

    const versions = await registry.listVersions('dev', 'taxi-model');

    expect(versions?.map((v) => v.version)).toEqual(['3', '2', '1']);
    expect(versions?.[0]).toMatchObject({ name: 'taxi-model', jobName: 'job_three', modelType: 'CustomModel', createdBy: 'string', tags: { string: 'string' } });
    expect(fake.requests[0].query.get('$orderBy')).toBe('createdtime desc');
  });

  it('tells a missing model (null) from a model without versions ([])', async () => {
    fake.on('GET', `${WS}/models/ghost/versions`, { status: 404, body: { error: { code: 'NotFound', message: 'no model' } } });
    fake.on('GET', `${WS}/models/empty/versions`, { body: { value: [] } });
    fake.on('GET', `${WS}/models/empty`, { body: exampleBody('azureml/workspace-modelcontainers-list.2022-10-01.json').value[0] });
    fake.on('GET', `${WS}/models/gone/versions`, { body: { value: [] } });

    expect(await registry.listVersions('dev', 'ghost')).toBeNull();
    expect(await registry.listVersions('dev', 'empty')).toEqual([]);
    expect(await registry.listVersions('dev', 'gone')).toBeNull();
    expect(fake.matching('GET', `${WS}/models/gone`)).toHaveLength(1);
  });

  it('reads one version and answers null for an unknown one', async () => {
    const body = exampleBody('azureml/workspace-modelversion-get.2024-04-01.json');
    body.name = '7';
    fake.on('GET', `${WS}/models/taxi-model/versions/7`, { body });

    const v = await registry.getVersion('dev', 'taxi-model', '7');
    expect(v).toMatchObject({ name: 'taxi-model', version: '7', description: 'string', modelType: 'CustomModel' });
    expect(v?.createdAt?.toISOString()).toBe('2020-01-01T12:34:56.999Z');
    expect(await registry.getVersion('dev', 'taxi-model', '99')).toBeNull();
  });

  it('merges tags into a version: GET, then PUT with existing and new tags', async () => {
    const current = exampleBody('azureml/workspace-modelversion-get.2024-04-01.json');
    current.name = '7';
    current.properties.tags = { owner: 'data-team', stage: 'old' };
    fake.on('GET', `${WS}/models/taxi-model/versions/7`, { body: current });
    fake.on('PUT', `${WS}/models/taxi-model/versions/7`, (req) => ({ body: { ...current, properties: (req.json as any).properties } }));

    await registry.tagVersion('dev', 'taxi-model', '7', { stage: 'prod', 'mlops-env-prod': '2025-01-01T00:00:00.000Z' });

    const put = fake.matching('PUT', `${WS}/models/taxi-model/versions/7`);
    expect(put).toHaveLength(1);
    expect(put[0].query.get('api-version')).toBe('2022-10-01');
    expect((put[0].json as any).properties.tags).toEqual({ owner: 'data-team', stage: 'prod', 'mlops-env-prod': '2025-01-01T00:00:00.000Z' });
    expect((put[0].json as any).properties.modelUri).toBe('string');
  });

  it('refuses to tag a version that does not exist, and writes nothing', async () => {
    await expect(registry.tagVersion('dev', 'taxi-model', '42', { a: 'b' })).rejects.toMatchObject({ code: 'unknown_version' });
    expect(fake.matching('PUT', /.*/)).toHaveLength(0);
  });

  it('rejects an unknown environment before any request', async () => {
    const err = (await registry.listModels('qa').catch((e) => e)) as BotError;
    expect(err.code).toBe('unknown_env');
    expect(err.remedy).toContain('dev');
    expect(fake.requests).toHaveLength(0);
  });
});

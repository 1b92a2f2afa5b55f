import { AzureMlRegistry } from '../../src/adapters/azure-ml';
import type { BotError } from '../../src/core/errors';
import type { EnvironmentSettings } from '../../src/core/settings';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { CapturingLogger } from '../fakes/logger';
import { exampleBody, FakeAzureServer, recordingCredential } from '../support/fake-azure-server';

const ws = { subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'test-rg', name: 'my-aml-workspace' };
const WS = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
const dev: EnvironmentSettings = { name: 'dev', workspace: ws, channels: { approvals: [], audit: [], notifications: [] } };
const MODELS = `${WS}/models`;

let tls: TlsMaterial;
let fake: FakeAzureServer;

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => { fake = await FakeAzureServer.https(tls); });
afterEach(async () => { await fake.close(); });

function registry(over: { timeoutMs?: number; maxRetryAfterMs?: number } = {}) {
  return new AzureMlRegistry(recordingCredential(), {
    environments: [dev], armEndpoint: fake.url, ca: tls.ca, timeoutMs: over.timeoutMs ?? 5000, log: new CapturingLogger(),
    retry: { maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs: over.maxRetryAfterMs ?? 5000 },
  });
}

function listBody() {
  const body = exampleBody('azureml/workspace-modelcontainers-list.2022-10-01.json');
  delete body.nextLink;
  return body;
}

describe('Azure ML adapter faults', () => {
  it('waits out a 429 with Retry-After, then succeeds', async () => {
    fake.once('GET', MODELS, { status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } });
    fake.on('GET', MODELS, { body: listBody() });

    const models = await registry().listModels('dev');

    expect(models.map((m) => m.name)).toEqual(['testContainer']);
    expect(fake.matching('GET', MODELS)).toHaveLength(2);
  });

  it('waits out a 503 with Retry-After, then succeeds', async () => {
    fake.once('GET', MODELS, { status: 503, headers: { 'retry-after': '0' }, body: { error: { code: 'ServiceUnavailable', message: 'later' } } });
    fake.on('GET', MODELS, { body: listBody() });
    expect(await registry().listModels('dev')).toHaveLength(1);
  });

  it('does not wait for a Retry-After above the ceiling: fails as throttled', async () => {
    fake.on('GET', MODELS, { status: 429, headers: { 'retry-after': '3600' }, body: { error: { code: 'TooManyRequests', message: 'an hour' } } });
    const err = (await registry({ maxRetryAfterMs: 1000 }).listModels('dev').catch((e) => e)) as BotError;
    expect(err.code).toBe('upstream_throttled');
    expect(fake.matching('GET', MODELS)).toHaveLength(1);
  });

  it('gives up on a persistent 500 after the bounded retries', async () => {
    fake.on('GET', MODELS, { status: 500, body: { error: { code: 'InternalServerError', message: 'boom' } } });
    const err = (await registry().listModels('dev').catch((e) => e)) as BotError;
    expect(err.code).toBe('upstream_unavailable');
    expect(fake.matching('GET', MODELS)).toHaveLength(3);
  });

  it('bounds a slow answer with the timeout', async () => {
    fake.on('GET', MODELS, { delayMs: 3000, body: listBody() });
    const err = (await registry({ timeoutMs: 200 }).listModels('dev').catch((e) => e)) as BotError;
    expect(err.code).toBe('timeout');
  });

  it('reports malformed JSON as upstream_invalid', async () => {
    fake.on('GET', MODELS, { rawBody: '{"value": [ {"name": ' });
    const err = (await registry().listModels('dev').catch((e) => e)) as BotError;
    expect(err.code).toBe('upstream_invalid');
  });

  it('names the role and workspace to check on 403', async () => {
    fake.on('GET', MODELS, { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no access' } } });
    const err = (await registry().listModels('dev').catch((e) => e)) as BotError;
    expect(err.code).toBe('upstream_auth');
    expect(err.message).toContain('my-aml-workspace');
    expect(err.remedy).toContain('AzureML Data Scientist');
    expect(fake.matching('GET', MODELS)).toHaveLength(1);
  });

  it('reports a credential that cannot get a token as upstream_auth', async () => {
    const failing = { getToken: async () => { const e = new Error('no identity here'); e.name = 'CredentialUnavailableError'; throw e; } };
    const r = new AzureMlRegistry(failing, { environments: [dev], armEndpoint: fake.url, ca: tls.ca, log: new CapturingLogger() });
    await expect(r.listModels('dev')).rejects.toMatchObject({ code: 'upstream_auth' });
  });
});

import { AzureMlRegistry } from '../../src/adapters/azure-ml';
import type { EnvironmentSettings } from '../../src/core/settings';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { CapturingLogger } from '../fakes/logger';
import { exampleBody, FakeAzureServer, fixture, recordingCredential } from '../support/fake-azure-server';

const ws = { subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'test-rg', name: 'my-aml-workspace' };
const WS = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
const dev: EnvironmentSettings = { name: 'dev', workspace: ws, channels: { approvals: [], audit: [], notifications: [] } };
const MLFLOW = `/mlflow/v1.0${WS}/api/2.0/mlflow`;

let tls: TlsMaterial;
let fake: FakeAzureServer;
let registry: AzureMlRegistry;

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => {
  fake = await FakeAzureServer.https(tls);
  registry = new AzureMlRegistry(recordingCredential(), {
    environments: [dev], armEndpoint: fake.url, ca: tls.ca, retry: { maxRetries: 1, retryDelayMs: 5, maxRetryDelayMs: 20 },
    timeoutMs: 5000, log: new CapturingLogger(),
  });
  // CONSTRUCTED: no official workspace example is kept; only the field the adapter reads matters.
  fake.on('GET', WS, { body: { id: WS, name: ws.name, location: 'westeurope', properties: { mlFlowTrackingUri: `azureml://${fake.url.replace('https://', '')}/mlflow/v1.0${WS}` } } });
});
afterEach(async () => { await fake.close(); });

function job(name: string, status: string, createdAt: string) {
  const j = exampleBody('azureml/jobs-list-pipelinejob.2022-10-01.json').value[0];
  j.name = name;
  j.properties.status = status;
  j.systemData.createdAt = createdAt;
  return j;
}

function run(id: string, metrics: { key: string; value: number | string; timestamp: number; step: number }[]) {
  const r = structuredClone(fixture('mlflow/runs-search.response.CONSTRUCTED.json').runs[0]);
  r.info.run_id = id;
  r.data.metrics = metrics;
  return r;
}

describe('AzureMlRegistry jobs', () => {
  it('maps statuses to job states, filters by creation time and sorts newest first', async () => {
    fake.on('GET', `${WS}/jobs`, { body: { value: [
      job('old', 'Completed', '2024-01-01T00:00:00Z'),
      job('boom', 'Failed', '2024-05-02T00:00:00Z'),
      job('busy', 'Running', '2024-05-03T00:00:00Z'),
      job('waiting', 'NotStarted', '2024-05-01T00:00:00Z'),
      job('strange', 'SomethingNew', '2024-05-04T00:00:00Z'),
      job('stopped', 'Canceled', '2024-05-05T00:00:00Z'),
    ] } });

    const jobs = await registry.listJobs('dev', { since: new Date('2024-04-01T00:00:00Z') });

    expect(jobs.map((j) => [j.name, j.status, j.state])).toEqual([
      ['stopped', 'Canceled', 'canceled'], ['strange', 'SomethingNew', 'unknown'], ['busy', 'Running', 'running'],
      ['boom', 'Failed', 'failed'], ['waiting', 'NotStarted', 'queued'],
    ]);
    expect(jobs[0]).toMatchObject({ displayName: 'string', experimentName: 'string', jobType: 'Pipeline' });
    expect(fake.requests.find((r) => r.path === `${WS}/jobs`)?.query.get('api-version')).toBe('2022-10-01');
  });

  it('honours the limit', async () => {
    fake.on('GET', `${WS}/jobs`, { body: { value: [job('a', 'Completed', '2024-05-01T00:00:00Z'), job('b', 'Completed', '2024-05-02T00:00:00Z')] } });
    expect((await registry.listJobs('dev', { limit: 1 })).map((j) => j.name)).toEqual(['b']);
  });
});

describe('AzureMlRegistry metrics through the workspace MLflow API', () => {
  it('reads the metrics of many runs with one runs/search, carrying the ARM token', async () => {
    fake.on('POST', `${MLFLOW}/runs/search`, { body: { runs: [
      run('job_a', [{ key: 'rmse', value: 0.5, timestamp: 1, step: 1 }, { key: 'rmse', value: 0.42, timestamp: 2, step: 2 }, { key: 'r2', value: '0.8', timestamp: 2, step: 2 }]),
      run('job_b', [{ key: 'rmse', value: 0.61, timestamp: 5, step: 0 }]),
    ], next_page_token: '' } });

    const metrics = await registry.getMetrics('dev', ['job_a', 'job_b', 'job_a']);

    expect(metrics).toEqual({ job_a: { rmse: 0.42, r2: 0.8 }, job_b: { rmse: 0.61 } });
    const searches = fake.matching('POST', `${MLFLOW}/runs/search`);
    expect(searches).toHaveLength(1);
    expect(searches[0].json).toMatchObject({ filter: "attributes.run_id IN ('job_a', 'job_b')", run_view_type: 'ALL' });
    expect(searches[0].headers.authorization).toBe('Bearer test-token');
    expect(fake.matching('GET', /runs\/get/)).toHaveLength(0);
  });

  it('reads the tracking URI once per workspace', async () => {
    fake.on('POST', `${MLFLOW}/runs/search`, { body: { runs: [run('job_a', [{ key: 'mae', value: 1, timestamp: 1, step: 0 }])] } });
    await registry.getMetrics('dev', ['job_a']);
    await registry.getMetrics('dev', ['job_a']);
    expect(fake.matching('GET', WS)).toHaveLength(1);
    expect(fake.matching('GET', WS)[0].query.get('api-version')).toBe('2022-10-01');
  });

  it('falls back to runs/get per run when the search is refused with 400; a missing run is absent', async () => {
    fake.on('POST', `${MLFLOW}/runs/search`, { status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad filter' } });
    fake.on('GET', `${MLFLOW}/runs/get`, (req) => req.query.get('run_id') === 'job_a'
      ? { body: { run: run('job_a', [{ key: 'rmse', value: 0.3, timestamp: 1, step: 0 }]) } }
      : { status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });

    expect(await registry.getMetrics('dev', ['job_a', 'job_x'])).toEqual({ job_a: { rmse: 0.3 } });
    expect(fake.matching('GET', `${MLFLOW}/runs/get`).map((r) => r.query.get('run_id'))).toEqual(['job_a', 'job_x']);
  });

  it('asks nothing for no runs', async () => {
    expect(await registry.getMetrics('dev', [])).toEqual({});
    expect(fake.requests).toHaveLength(0);
  });

  it('reports a malformed MLflow answer as upstream_invalid', async () => {
    fake.on('POST', `${MLFLOW}/runs/search`, { rawBody: '{"runs": [' });
    await expect(registry.getMetrics('dev', ['job_a'])).rejects.toMatchObject({ code: 'upstream_invalid' });
  });

  it('reports a workspace without a tracking URI as upstream_invalid', async () => {
    fake.on('GET', WS, { body: { id: WS, name: ws.name, properties: {} } });
    await expect(registry.getMetrics('dev', ['job_a'])).rejects.toMatchObject({ code: 'upstream_invalid' });
  });
});

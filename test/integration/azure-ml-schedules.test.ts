import { AzureMlSchedules } from '../../src/adapters/azure-ml';
import type { ScheduleSpec } from '../../src/core/models';
import type { EnvironmentSettings } from '../../src/core/settings';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { CapturingLogger } from '../fakes/logger';
import { exampleBody, FakeAzureServer, fixture, recordingCredential, type RecordedRequest } from '../support/fake-azure-server';

const ws = { subscriptionId: '00000000-1111-2222-3333-444444444444', resourceGroup: 'test-rg', name: 'my-aml-workspace' };
const WS = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
const prod: EnvironmentSettings = { name: 'prod', workspace: ws, channels: { approvals: [], audit: [], notifications: [] } };
const SCHED = `${WS}/schedules/nightly`;

let tls: TlsMaterial;
let fake: FakeAzureServer;
let schedules: AzureMlSchedules;

beforeAll(async () => { tls = await createTlsMaterial(); });
beforeEach(async () => {
  fake = await FakeAzureServer.https(tls);
  schedules = new AzureMlSchedules(recordingCredential(), {
    environments: [prod], armEndpoint: fake.url, ca: tls.ca, lroPollIntervalMs: 5,
    retry: { maxRetries: 1, retryDelayMs: 5, maxRetryDelayMs: 10 }, timeoutMs: 5000, log: new CapturingLogger(),
  });
});
afterEach(async () => { await fake.close(); });

/** Answers a PUT like the spec example: the stored schedule, provisioned. */
function echoSchedule(req: RecordedRequest) {
  const body = exampleBody('azureml/schedule-createOrUpdate-cron-invokeBatchEndpoint.2024-04-01.json');
  return { body: { ...body, name: req.path.split('/').pop(), properties: { ...(req.json as any).properties, provisioningState: 'Succeeded' } } };
}

const cronSpec: ScheduleSpec = {
  name: 'nightly', enabled: true, timeZone: 'Europe/Berlin', description: 'score every night',
  trigger: { type: 'cron', expression: '30 2 * * *' },
  action: { type: 'invoke_batch_endpoint', endpoint: 'taxi-batch', input: 'https://azuremlexampledata.blob.core.windows.net/data/heart-disease-uci/data' },
};

describe('AzureMlSchedules through @azure/arm-machinelearning', () => {
  it('creates a cron schedule invoking a batch endpoint with the batch invoke body', async () => {
    fake.on('PUT', SCHED, echoSchedule);

    const saved = await schedules.upsert('prod', cronSpec);

    const put = fake.matching('PUT', SCHED)[0];
    expect(put.query.get('api-version')).toBe('2022-10-01');
    const props = (put.json as any).properties;
    expect(props.trigger).toEqual({ triggerType: 'Cron', expression: '30 2 * * *', timeZone: 'W. Europe Standard Time' });
    expect(props.action.actionType).toBe('InvokeBatchEndpoint');
    const invoke = fixture('azureml/batchendpoint-invoke-request-body.docs.json');
    const ourInput = props.action.endpointInvocationDefinition.properties.InputData.input_data;
    expect(ourInput).toEqual(invoke.properties.InputData.heart_dataset);
    expect(props.properties['mlops.batchEndpoint']).toBe('taxi-batch');
    expect(props.isEnabled).toBe(true);
    expect(saved).toEqual(cronSpec);
  });

  it('creates a weekly recurrence creating a pipeline job, shaped like the documented trigger', async () => {
    fake.on('PUT', `${WS}/schedules/retrain`, echoSchedule);
    const spec: ScheduleSpec = {
      name: 'retrain', enabled: true, timeZone: 'UTC',
      trigger: { type: 'recurrence', frequency: 'week', interval: 1, hours: [2], minutes: [30], weekDays: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      action: { type: 'create_pipeline_job', job: 'train-pipeline-001' },
    };

    const saved = await schedules.upsert('prod', spec);

    const props = (fake.matching('PUT', `${WS}/schedules/retrain`)[0].json as any).properties;
    const documented = fixture('azureml/schedule-createOrUpdate-recurrence-createjob.request.CONSTRUCTED.json').properties.trigger;
    const { startTime: _ignored, ...documentedTrigger } = documented;
    expect(props.trigger).toEqual(documentedTrigger);
    expect(props.action).toEqual({ actionType: 'CreateJob', jobDefinition: { jobType: 'Pipeline', sourceJobId: `${WS}/jobs/train-pipeline-001` } });
    expect(saved.trigger).toEqual({ type: 'recurrence', frequency: 'week', interval: 1, hours: [2], minutes: [30], weekDays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] });
    expect(saved.action).toEqual({ type: 'create_pipeline_job', job: 'train-pipeline-001' });
  });

  it('follows the long-running operation until it succeeds', async () => {
    let stored: any;
    fake.on('PUT', SCHED, (req) => {
      stored = { ...echoSchedule(req).body };
      return { status: 201, headers: { 'azure-asyncoperation': `${fake.url}/operations/op1` }, body: { ...stored, properties: { ...stored.properties, provisioningState: 'Creating' } } };
    });
    fake.once('GET', '/operations/op1', { body: { status: 'InProgress' } });
    fake.on('GET', '/operations/op1', { body: { status: 'Succeeded' } });
    fake.on('GET', SCHED, () => ({ body: stored }));

    const saved = await schedules.upsert('prod', cronSpec);

    expect(saved.name).toBe('nightly');
    expect(fake.matching('GET', '/operations/op1')).toHaveLength(2);
  });

  it('never reports a schedule whose provisioning failed as saved', async () => {
    fake.on('PUT', SCHED, { status: 200, body: exampleBody('azureml/schedule-createOrUpdate-cron-invokeBatchEndpoint.2024-04-01.json', '201') });
    await expect(schedules.upsert('prod', cronSpec)).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it('rejects an unknown time zone before calling Azure', async () => {
    await expect(schedules.upsert('prod', { ...cronSpec, timeZone: 'Mars/Olympus' })).rejects.toMatchObject({ code: 'usage' });
    expect(fake.requests).toHaveLength(0);
  });

  it('lists all schedules, enabled or not', async () => {
    const body = exampleBody('azureml/schedules-list.2024-04-01.json');
    delete body.nextLink;
    body.value[0].name = 'nightly';
    body.value[0].properties.trigger.timeZone = 'Pacific Standard Time';
    body.value[0].properties.properties = { 'mlops.batchEndpoint': 'taxi-batch' };
    fake.on('GET', `${WS}/schedules`, { body });

    const list = await schedules.list('prod');

    expect(fake.requests[0].query.get('listViewType')).toBe('All');
    expect(list).toEqual([{ name: 'nightly', displayName: 'string', description: 'string', enabled: false, timeZone: 'America/Los_Angeles',
      trigger: { type: 'cron', expression: 'string' }, action: { type: 'invoke_batch_endpoint', endpoint: 'taxi-batch' } }]);
  });

  it('reads one schedule; null when absent', async () => {
    fake.on('GET', SCHED, { body: { ...exampleBody('azureml/schedule-createOrUpdate-cron-invokeBatchEndpoint.2024-04-01.json'), name: 'nightly' } });
    expect((await schedules.get('prod', 'nightly'))?.name).toBe('nightly');
    expect(await schedules.get('prod', 'other')).toBeNull();
  });

  it('disables by GET then PUT of the whole schedule with the flag flipped; a no-op when already so', async () => {
    const current = { ...exampleBody('azureml/schedule-createOrUpdate-cron-invokeBatchEndpoint.2024-04-01.json'), name: 'nightly' };
    current.properties.isEnabled = true;
    current.properties.trigger.timeZone = 'UTC';
    fake.on('GET', SCHED, { body: current });
    fake.on('PUT', SCHED, echoSchedule);

    const off = await schedules.setEnabled('prod', 'nightly', false);
    expect(off?.enabled).toBe(false);
    const sent = (fake.matching('PUT', SCHED)[0].json as any).properties;
    expect(sent.isEnabled).toBe(false);
    expect(sent.trigger).toEqual(current.properties.trigger);
    expect(sent.action).toEqual(current.properties.action);
    expect(sent.provisioningState).toBeUndefined();

    expect((await schedules.setEnabled('prod', 'nightly', true))?.enabled).toBe(true);
    expect(fake.matching('PUT', SCHED)).toHaveLength(1);
    expect(await schedules.setEnabled('prod', 'missing', true)).toBeNull();
  });

  it('deletes an existing schedule and answers false for a missing one', async () => {
    fake.on('GET', SCHED, { body: { ...exampleBody('azureml/schedule-createOrUpdate-cron-invokeBatchEndpoint.2024-04-01.json'), name: 'nightly' } });
    fake.on('DELETE', SCHED, { status: 200 });
    expect(await schedules.delete('prod', 'nightly')).toBe(true);
    expect(fake.matching('DELETE', SCHED)[0].query.get('api-version')).toBe('2022-10-01');
    expect(await schedules.delete('prod', 'missing')).toBe(false);
    expect(fake.matching('DELETE', /.*/)).toHaveLength(1);
  });

  it('lists the batch endpoint names', async () => {
    const e = exampleBody('azureml/batchendpoint-createOrUpdate.2022-10-01.json');
    fake.on('GET', `${WS}/batchEndpoints`, { body: { value: [{ ...e, name: 'taxi-batch' }, { ...e, name: 'churn-batch' }] } });
    expect(await schedules.listBatchEndpoints('prod')).toEqual(['taxi-batch', 'churn-batch']);
  });
});

import { normaliseServiceHook } from '../../src/core/notifications/azure-devops-events';
import { normaliseAzureMl } from '../../src/core/notifications/azure-ml-events';
import { parseEnvelopes, type RawEvent } from '../../src/core/notifications/eventgrid-envelope';
import { fixture, notificationSettings, runStatusEvent, workspaceArmId } from './notifications-support';

const settings = notificationSettings();
type Json = Record<string, any>;

function firstRaw(body: unknown): RawEvent {
  const parsed = parseEnvelopes(body);
  if (parsed.kind !== 'events') throw new Error('expected events');
  return parsed.events[0];
}
const aml = (body: unknown) => normaliseAzureMl(firstRaw(body), settings);
const hook = (name: string, edit: (h: Json) => void = () => undefined) => {
  const h = fixture<Json>('servicehooks', name);
  edit(h);
  return normaliseServiceHook(h, settings);
};

describe('Event Grid envelopes', () => {
  it('answers the validation event with its code', () => {
    expect(parseEnvelopes(fixture('eventgrid', 'subscription-validation-event.json'))).toEqual({
      kind: 'validation', code: fixture<Json>('eventgrid', 'subscription-validation-response.json').validationResponse,
    });
  });

  it('reads both schemas, a single CloudEvent, the `specVersion` spelling, and counts malformed items', () => {
    const eg = firstRaw(fixture('eventgrid', 'ml-RunStatusChanged.eventgridschema.json'));
    const [ce] = fixture<Json[]>('eventgrid', 'ml-RunStatusChanged.cloudevents.json');
    expect(eg.schema).toBe('eventgrid');
    expect(firstRaw(ce).schema).toBe('cloudevents');
    const { specversion, ...rest } = ce;
    expect(firstRaw({ ...rest, specVersion: specversion }).type).toBe('Microsoft.MachineLearningServices.RunStatusChanged');
    expect(parseEnvelopes([ce, { nothing: true }, 42])).toMatchObject({ kind: 'events', malformed: 2 });
  });
});

describe('Azure ML events', () => {
  it('maps the official RunStatusChanged sample to a failed run with a studio link', () => {
    const e = aml(fixture('eventgrid', 'ml-RunStatusChanged.eventgridschema.json'))!;
    expect(e).toMatchObject({
      kind: 'run_failed', experiment: 'automl-local-regression', subject: 'AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5',
      workspace: '{workspace-name}', status: 'failed', occurredAt: '2017-06-26T18:41:00.9584103Z',
    });
    expect(e.env).toBeUndefined();
    expect(e.links.studio).toMatch(/^https:\/\/ml\.azure\.com\/runs\/AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5\?wsid=\/subscriptions\//);
  });

  it('gives the same id and kind in both schemas, so one event delivered twice is one event', () => {
    const eg = aml(runStatusEvent('eventgridschema', { id: 'e-1', env: 'prod' }))!;
    const ce = aml([runStatusEvent('cloudevents', { id: 'e-1', env: 'prod' })])!;
    expect(ce.id).toBe(eg.id);
    expect(ce).toEqual(eg);
    expect(eg.env).toBe('prod');
    expect(eg.title).toBe('Azure ML job failed in prod: AutoML_ad912b2d-6467-4f32-a616-dbe4af6dd8fc_5');
  });

  it.each(['FAILED', 'Failed', 'failed'])('reads runStatus %s case-insensitively', (status) => {
    expect(aml(runStatusEvent('eventgridschema', { id: 'x', status }))?.kind).toBe('run_failed');
  });

  it('reads PascalCase run fields and a workspace id in other casing', () => {
    const raw: Json = runStatusEvent('eventgridschema', { id: 'p-1' });
    raw.topic = workspaceArmId(settings, 'dev').toUpperCase().replace('/PROVIDERS/', '/providers/');
    raw.data = { ExperimentName: 'taxi-train', RunId: 'run-9', RunStatus: 'Failed', RunTags: { owner: 'slack:U0ALICE' } };
    expect(aml([raw])).toMatchObject({ kind: 'run_failed', env: 'dev', experiment: 'taxi-train', subject: 'run-9', owner: 'slack:U0ALICE' });
  });

  it('reads the error text from the run properties, and names the job by its display name when sent', () => {
    const raw: Json = runStatusEvent('eventgridschema', { id: 'p-2' });
    raw.topic = workspaceArmId(settings, 'dev');
    raw.data = { experimentName: 'taxi-train', runId: 'clever_lemon_2l13', runStatus: 'failed', runTags: { 'mlflow.runName': 'train-taxi-model-2', model: 'taxi-model' }, runProperties: { errorMessage: 'CUDA out of memory' } };
    expect(aml([raw])).toMatchObject({
      subject: 'clever_lemon_2l13', displayName: 'train-taxi-model-2', error: 'CUDA out of memory', model: 'taxi-model',
      title: 'Azure ML job failed in dev: train-taxi-model-2',
    });
  });

  it('ignores non-terminal statuses and unknown types, and survives garbage data', () => {
    expect(aml(runStatusEvent('eventgridschema', { id: 'x', status: 'Running' }))).toBeNull();
    expect(aml([{ id: 'u', eventType: 'Microsoft.Storage.BlobCreated', data: {} }])).toBeNull();
    expect(aml([{ id: 'g', eventType: 'Microsoft.MachineLearningServices.RunStatusChanged', data: 'garbage', eventTime: 5 }])).toBeNull();
    expect(aml([{ id: 'g', eventType: 'Microsoft.MachineLearningServices.RunStatusChanged', data: { runStatus: 'Failed' } }])?.subject).toBe('g');
  });

  it('maps NotResponding to an alert and RunCompleted to success', () => {
    expect(aml(runStatusEvent('eventgridschema', { id: 'n', status: 'NotResponding' }))?.title).toContain('is not responding');
    expect(aml(fixture('eventgrid', 'ml-RunCompleted.eventgridschema.json'))?.kind).toBe('run_succeeded');
    expect(aml(fixture('eventgrid', 'ml-RunCompleted.cloudevents.json'))?.kind).toBe('run_succeeded');
  });

  it('reads the PascalCase model and drift samples (numeric ModelVersion included)', () => {
    expect(aml(fixture('eventgrid', 'ml-ModelRegistered.eventgridschema.json'))).toMatchObject({ kind: 'model_registered', subject: 'sklearn_regression_model:20' });
    expect(aml(fixture('eventgrid', 'ml-ModelRegistered.cloudevents.json'))).toMatchObject({ kind: 'model_registered', subject: 'sklearn_regression_model:20' });
    expect(aml(fixture('eventgrid', 'ml-ModelDeployed.eventgridschema.json'))).toMatchObject({ kind: 'model_deployed', subject: 'my-sklearn-service' });
    expect(aml(fixture('eventgrid', 'ml-DatasetDriftDetected.eventgridschema.json'))).toMatchObject({ kind: 'drift_detected', subject: 'myDriftMonitor' });
  });
});

describe('Azure DevOps service hooks', () => {
  const rejectedEnv = (h: Json) => { h.resource.environment.status = 'rejected'; };

  it('tells a release rejected at approval apart from one that failed', () => {
    expect(hook('ms.vss-release.deployment-completed-event.json')).toMatchObject({ kind: 'release_succeeded', env: 'dev', subject: 'Release-1' });
    expect(hook('ms.vss-release.deployment-completed-event.json', rejectedEnv)?.kind).toBe('release_failed');
    expect(hook('ms.vss-release.deployment-completed-event.json', (h) => {
      rejectedEnv(h);
      h.resource.environment.preDeployApprovals = [{ status: 'rejected', approvalType: 'preDeploy' }];
    })).toMatchObject({ kind: 'release_rejected', title: 'Release Release-1 was rejected at approval in dev' });
    expect(hook('ms.vss-release.deployment-completed-event.json', (h) => {
      h.resource.environment.status = 'Rejected';
      h.resource.deployment = { deploymentStatus: 'notDeployed', operationStatus: 'Rejected' };
    })?.kind).toBe('release_rejected');
    expect(hook('ms.vss-release.deployment-completed-event.json', (h) => {
      rejectedEnv(h);
      h.resource.deployment = { deploymentStatus: 'Failed', operationStatus: 'PhaseFailed' };
    })?.kind).toBe('release_failed');
    expect(hook('ms.vss-release.deployment-completed-event.json', (h) => { h.resource.environment.status = 'canceled'; })?.kind).toBe('release_canceled');
    expect(hook('ms.vss-release.deployment-completed-event.json', (h) => { h.resource.environment.status = 'inProgress'; })).toBeNull();
  });

  it('links releases to their web page, not the REST address', () => {
    expect(hook('ms.vss-release.deployment-completed-event.json')?.links.run)
      .toBe('http://fabfiber.visualstudio.com/DefaultCollection/Fabrikam-Fiber-Git/_releaseProgress?_a=release-pipeline-progress&releaseId=1');
  });

  it('maps classic and YAML approval-pending events', () => {
    expect(hook('ms.vss-release.deployment-approval-pending-event.json')).toMatchObject({
      kind: 'approval_pending', env: 'dev', subject: 'Release-1', owner: 'Chuck Reinhart', pipeline: 'Fabrikam.CD', id: 'ado:a73e7272-e96d-4249-93ac-7404eacd6801',
    });
    const check = hook('ms.vss-pipelinechecks-events.approval-pending.json')!;
    expect(check.kind).toBe('approval_pending');
    expect(check.links.run).toBe('https://dev.azure.com/fabfiber/Fabrikam-Fiber-Git/_build/results?buildId=2');
  });

  it('maps builds and pipeline runs by their outcome', () => {
    expect(hook('build.complete.json')?.kind).toBe('run_succeeded');
    const failed = hook('build.complete.json', (h) => { h.resource.status = 'failed'; })!;
    expect(failed).toMatchObject({ kind: 'run_failed', pipeline: 'ConsumerAddressModule', owner: 'Normal Paulk' });
    expect(failed.links.run).toMatch(/_build\/results\?buildId=2$/);
    expect(hook('build.complete.json', (h) => { h.resource.status = 'completed'; h.resource.result = 'Failed'; })?.kind).toBe('run_failed');
    expect(hook('ms.vss-pipelines.run-state-changed-event.json')?.kind).toBe('run_succeeded');
    expect(hook('ms.vss-pipelines.run-state-changed-event.json', (h) => { h.resource.run.result = 'failed'; }))
      .toMatchObject({ kind: 'run_failed', pipeline: 'TEST-CI', subject: '11', error: 'Run 11 succeeded.' });
    expect(hook('ms.vss-pipelines.run-state-changed-event.json', (h) => { h.resource.run.state = 'inProgress'; })).toBeNull();
  });

  it('treats a stage as a release only when it deploys to a configured environment', () => {
    expect(hook('ms.vss-pipelines.stage-state-changed-event.json')).toBeNull();
    expect(hook('ms.vss-pipelines.stage-state-changed-event.json', (h) => { h.resource.stage.name = 'PROD'; h.resource.stage.result = 'failed'; }))
      .toMatchObject({ kind: 'release_failed', env: 'prod', pipeline: 'TEST-CI' });
  });

  it('ignores unknown event types and bodies that are not hooks', () => {
    expect(hook('build.complete.json', (h) => { h.eventType = 'git.push'; })).toBeNull();
    expect(normaliseServiceHook([1, 2], settings)).toBeNull();
    expect(normaliseServiceHook(null, settings)).toBeNull();
  });
});

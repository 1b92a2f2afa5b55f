/**
 * The Azure ML side of the mlops-v2 story: three workspaces, `taxi-model` v1..5 trained in dev (v4
 * regresses a little; v3 runs in prod and v4 in preprod by their `mlops-env-*` tags), two more
 * models, training and pipeline jobs (some failed), the `taxi-batch` endpoint, an online endpoint
 * with traffic and a nightly batch schedule.
 */
import { systemData } from './arm-common';
import type { EmulatorContext } from './context';
import { isoAt } from './context';
import { ensureExperiment, newRun, trainingJobProperties } from './job-sim';
import type { ArmRecord, WorkspaceState } from './state';
import { workspaceKey } from './state';

const DAY = 86_400_000;
export const SEED_WORKSPACES = ['dev', 'preprod', 'prod'].map((env) => ({ env, resourceGroup: `rg-mlopsv2-0001${env}`, name: `mlw-mlopsv2-0001${env}` }));

/** taxi-model versions: [training job, rmse, mae, r2, days ago]. */
const TAXI_VERSIONS: [string, number, number, number, number][] = [
  ['clever_kettle_2q9k4v', 4.12, 2.95, 0.71, 40],
  ['brave_pear_7m3x1z', 3.71, 2.61, 0.76, 32],
  ['quiet_river_5d8h2n', 3.38, 2.37, 0.8, 24],
  ['sunny_maple_9w4t6c', 3.45, 2.42, 0.79, 14],
  ['bold_otter_3k7p5r', 3.09, 2.18, 0.83, 5],
];
const CLASSIFIER_VERSIONS: [string, number, number, number, number][] = [
  ['keen_heron_8c2v6b', 0.874, 0.861, 0.912, 28],
  ['witty_comet_1r5n9q', 0.891, 0.879, 0.927, 9],
];
export const SEED_FAILED_JOBS: [string, string, string, number][] = [
  ['gentle_fig_4x8s2m', 'Command', "UserError: Column 'trip_distance' not found in the input data.", 3],
  ['tidy_walrus_6h1k3d', 'Pipeline', 'Pipeline step train_model failed: Execution failed. User process exited with exit code 137 (out of memory).', 1],
];

function emptyWorkspace(resourceGroup: string, name: string, createdAt: string): WorkspaceState {
  return {
    resourceGroup, name, location: 'eastus', createdAt, models: {}, jobs: {}, schedules: {}, batchEndpoints: {},
    batchDeployments: {}, onlineEndpoints: {}, onlineDeployments: {}, experiments: {}, runs: {},
  };
}

function completedJob(emu: EmulatorContext, ws: WorkspaceState, name: string, at: number, metrics: Record<string, number>, experiment: string): void {
  const props = trainingJobProperties(emu, ws, name, `train-${experiment}`);
  props['experimentName'] = experiment;
  props['status'] = 'Completed';
  ws.jobs[name] = { properties: props, systemData: systemData(isoAt(at), 'mlops-pipeline') };
  const run = newRun(ws, name, experiment, at);
  run.status = 'FINISHED';
  run.endTime = at + 9 * 60_000;
  run.params = { learning_rate: '0.05', n_estimators: '200', max_depth: '8' };
  for (const [key, value] of Object.entries(metrics)) {
    // A short history per metric: the final value is the one runs/get reports.
    run.metrics.push({ key, value: Math.round(value * 1.15 * 1000) / 1000, timestamp: at + 3 * 60_000, step: 0 });
    run.metrics.push({ key, value, timestamp: at + 8 * 60_000, step: 1 });
  }
}

function modelVersion(at: number, jobName: string, wsPath: string, description: string, tags: Record<string, string>): ArmRecord {
  return {
    properties: {
      description, tags, properties: { 'azureml.runId': jobName }, isAnonymous: false, isArchived: false,
      flavors: { python_function: { data: { loader_module: 'mlflow.sklearn', python_version: '3.10.12' } }, sklearn: { data: { sklearn_version: '1.3.2' } } },
      jobName, modelType: 'mlflow_model', modelUri: `azureml://${wsPath}/jobs/${jobName}/outputs/artifacts/paths/model/`,
    },
    systemData: systemData(isoAt(at), 'mlops-pipeline'),
  };
}

function seedDev(emu: EmulatorContext, ws: WorkspaceState, now: number): void {
  const wsPath = `subscriptions/${emu.state.subscriptionId}/resourceGroups/${ws.resourceGroup}/workspaces/${ws.name}`;
  const taxi: ArmRecord['properties'] = { description: 'NYC taxi fare regression (mlops-v2)', tags: { team: 'mlops', task: 'regression' }, properties: {} };
  ws.models['taxi-model'] = { container: { properties: taxi, systemData: systemData(isoAt(now - 41 * DAY), 'mlops-pipeline') }, versions: {} };
  TAXI_VERSIONS.forEach(([job, rmse, mae, r2, daysAgo], i) => {
    const at = now - daysAgo * DAY;
    completedJob(emu, ws, job, at, { rmse, mae, r2 }, 'taxi-fare-training');
    const tags: Record<string, string> = { training_job: job };
    if (i === 2) Object.assign(tags, { 'mlops-env-preprod': isoAt(at + 2 * DAY), 'mlops-env-prod': isoAt(at + 3 * DAY) });
    if (i === 3) tags['mlops-env-preprod'] = isoAt(at + 2 * DAY);
    ws.models['taxi-model'].versions[String(i + 1)] = modelVersion(at + 10 * 60_000, job, wsPath, `taxi-model trained by ${job}`, tags);
  });
  const clf: ArmRecord['properties'] = { description: 'Classifies taxi fares into bands', tags: { team: 'mlops', task: 'classification' }, properties: {} };
  ws.models['taxi-fare-classifier'] = { container: { properties: clf, systemData: systemData(isoAt(now - 29 * DAY), 'mlops-pipeline') }, versions: {} };
  CLASSIFIER_VERSIONS.forEach(([job, accuracy, f1, auc, daysAgo], i) => {
    const at = now - daysAgo * DAY;
    completedJob(emu, ws, job, at, { accuracy, f1, auc }, 'taxi-fare-classifier-training');
    ws.models['taxi-fare-classifier'].versions[String(i + 1)] = modelVersion(at + 10 * 60_000, job, wsPath, `classifier trained by ${job}`, {});
  });
  const demand = modelVersion(now - 20 * DAY, '', wsPath, 'Uploaded demand forecast (no training job)', { source: 'upload' });
  delete demand.properties['jobName'];
  Object.assign(demand.properties, { modelType: 'custom_model', modelUri: `azureml://${wsPath}/datastores/workspaceblobstore/paths/models/nyc-demand/` });
  ws.models['nyc-demand-forecast'] = { container: { properties: { description: 'Hourly taxi demand forecast', tags: {}, properties: {} }, systemData: demand.systemData }, versions: { '1': demand } };
  for (const [name, jobType, error, daysAgo] of SEED_FAILED_JOBS) {
    const at = now - daysAgo * DAY;
    const props = trainingJobProperties(emu, ws, name, `train-taxi-model-failed-${daysAgo}`);
    Object.assign(props, { jobType, status: 'Failed', properties: { errorMessage: error } });
    if (jobType === 'Pipeline') {
      for (const key of ['command', 'environmentId', 'codeId', 'resources', 'distribution', 'limits', 'environmentVariables', 'parameters']) delete props[key];
      Object.assign(props, { displayName: 'taxi-training-pipeline', settings: { default_compute: props['computeId'] } });
    }
    ws.jobs[name] = { properties: props, systemData: systemData(isoAt(at), 'mlops-pipeline') };
    Object.assign(newRun(ws, name, 'taxi-fare-training', at), { status: 'FAILED', endTime: at + 4 * 60_000 });
  }
  ensureExperiment(ws, 'taxi-batch-scoring', now - 30 * DAY);
}

/** What serves in each environment: prod v3 and preprod v4 (as their tags say), dev the latest. */
const servedVersion = (env: string): number => (env === 'prod' ? 3 : env === 'preprod' ? 4 : 5);

function taxiModelId(emu: EmulatorContext, dev: { resourceGroup: string; name: string }, version: number): string {
  return `/subscriptions/${emu.state.subscriptionId}/resourceGroups/${dev.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${dev.name}/models/taxi-model/versions/${version}`;
}

/**
 * `taxi-online` as mlops-v2's blue/green deployment leaves it: `blue` serves the current version
 * with all the traffic, `green` the one before at 0% (in preprod it also gets a 10% mirror copy).
 */
export function seedOnline(emu: EmulatorContext, ws: WorkspaceState, at: string, env: string): void {
  const dev = SEED_WORKSPACES[0] ?? { resourceGroup: ws.resourceGroup, name: ws.name };
  const version = servedVersion(env);
  ws.onlineEndpoints['taxi-online'] = {
    properties: {
      description: 'Real-time taxi fare scoring', properties: {}, authMode: 'Key', traffic: { blue: 100, green: 0 },
      mirrorTraffic: env === 'preprod' ? { green: 10 } : {}, provisioningState: 'Succeeded',
    },
    systemData: systemData(at), tags: {}, location: ws.location, kind: 'Managed', identity: { type: 'SystemAssigned' },
  };
  const deployment = (v: number): ArmRecord => ({
    properties: {
      description: `taxi-model v${v}`, properties: {}, endpointComputeType: 'Managed', model: taxiModelId(emu, dev, v),
      instanceType: 'Standard_DS3_v2', scaleSettings: { scaleType: 'Default' }, provisioningState: 'Succeeded', appInsightsEnabled: true,
    },
    sku: { name: 'Default', capacity: env === 'prod' ? 2 : 1 },
    systemData: systemData(at), tags: {}, location: ws.location, kind: 'Managed',
  });
  ws.onlineDeployments = { 'taxi-online': { blue: deployment(version), green: deployment(version - 1) } };
}

function seedServing(emu: EmulatorContext, ws: WorkspaceState, now: number, env: string): void {
  const at = isoAt(now - 30 * DAY);
  const dev = SEED_WORKSPACES[0] ?? { resourceGroup: ws.resourceGroup, name: ws.name };
  const modelId = taxiModelId(emu, dev, servedVersion(env));
  ws.batchEndpoints['taxi-batch'] = {
    properties: { description: 'Nightly taxi fare scoring', properties: {}, authMode: 'AADToken', defaults: { deploymentName: 'taxi-batch-dp' }, provisioningState: 'Succeeded' },
    systemData: systemData(at), tags: {}, location: ws.location, kind: '', identity: { type: 'SystemAssigned' },
  };
  ws.batchDeployments['taxi-batch'] = {
    'taxi-batch-dp': {
      properties: {
        description: 'taxi-model batch deployment', properties: {}, compute: 'batch-cluster', errorThreshold: -1,
        retrySettings: { maxRetries: 3, timeout: 'PT5M' }, miniBatchSize: 10, loggingLevel: 'Info',
        model: { referenceType: 'Id', assetId: modelId }, maxConcurrencyPerInstance: 1,
        outputAction: 'AppendRow', outputFileName: 'predictions.csv', resources: { instanceCount: 1 }, provisioningState: 'Succeeded',
      },
      systemData: systemData(at), tags: {}, location: ws.location,
    },
  };
  if (env !== 'dev') seedOnline(emu, ws, at, env);
  ws.schedules['taxi-batch-nightly'] = {
    properties: {
      // Named the way a schedule made through the bot names its endpoint (the action's invocation body cannot).
      description: 'Scores the day’s trips every night', tags: {}, displayName: 'taxi-batch-nightly', isEnabled: true,
      properties: { 'mlops.batchEndpoint': 'taxi-batch', 'mlops.batchEndpointId': `/subscriptions/${emu.state.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}/batchEndpoints/taxi-batch` },
      trigger: { triggerType: 'Recurrence', frequency: 'Day', interval: 1, schedule: { hours: [2], minutes: [0] }, startTime: '2024-01-01T00:00:00', timeZone: 'UTC' },
      action: { actionType: 'InvokeBatchEndpoint', endpointInvocationDefinition: { properties: { InputData: { taxi_data: { JobInputType: 'UriFolder', Uri: 'azureml://datastores/workspaceblobstore/paths/taxi/daily/' } } } } },
      provisioningState: 'Succeeded',
    },
    systemData: systemData(at),
  };
}

/** State files written before online deployments existed get the seeded ones (nothing else changes). */
export function upgradeWorkspaces(emu: EmulatorContext, now: number): boolean {
  let changed = false;
  for (const { env, resourceGroup, name } of SEED_WORKSPACES) {
    const ws = emu.state.workspaces[workspaceKey(resourceGroup, name)];
    if (!ws || ws.onlineDeployments !== undefined) continue;
    ws.onlineDeployments = {};
    if (env !== 'dev') seedOnline(emu, ws, isoAt(now - 30 * DAY), env);
    changed = true;
  }
  return changed;
}

export function seedWorkspaces(emu: EmulatorContext, now: number): void {
  for (const { env, resourceGroup, name } of SEED_WORKSPACES) {
    const ws = emptyWorkspace(resourceGroup, name, isoAt(now - 60 * DAY));
    emu.state.workspaces[workspaceKey(resourceGroup, name)] = ws;
    if (env === 'dev') seedDev(emu, ws, now);
    seedServing(emu, ws, now, env);
  }
}

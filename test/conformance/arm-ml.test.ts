/**
 * Azure ML (ARM) traffic against the trimmed Microsoft.MachineLearningServices specs: the real
 * adapters (the 2022-10-01 SDK client and the raw 2024-04-01 online endpoint requests) on the
 * emulator send only what the specs describe and get only answers the specs describe; a changed
 * api-version, path, field name or discriminated type is caught.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAzureCredential } from '../../src/adapters/azure-identity';
import { AzureMlRegistry, AzureMlServing } from '../../src/adapters/azure-ml';
import type { EnvironmentSettings } from '../../src/core/settings';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { conformanceRecorder } from '../support/conformance-recorder';
import { mutationKit } from './mutations';

let dir: string;
let emu: RunningEmulator;
const recorder = conformanceRecorder();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-conformance-ml-'));
  const log = new CapturingLogger();
  emu = await startEmulator({ dataDir: dir, log, autoTick: false, jobEveryMs: 0, onExchange: recorder.onExchange });
  const environments: EnvironmentSettings[] = ['dev', 'preprod'].map((name) => ({
    name,
    workspace: { subscriptionId: emu.subscriptionId, resourceGroup: `rg-mlopsv2-0001${name}`, name: `mlw-mlopsv2-0001${name}` },
    channels: { approvals: [], audit: [], notifications: [] },
  }));
  const credential = createAzureCredential({ identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader });
  const opts = { environments, armEndpoint: emu.armUrl, ca: emu.ca, log, lroPollIntervalMs: 10, timeoutMs: 10_000 };
  const registry = new AzureMlRegistry(credential, opts);
  const serving = new AzureMlServing(credential, opts);
  const versions = await registry.listVersions('dev', 'taxi-model');
  await registry.tagVersion('dev', 'taxi-model', versions![0].version, { 'mlops-env-preprod': '2026-11-02T09:00:00Z' });
  await registry.getJob('dev', versions![0].jobName!);
  await serving.listOnlineDeployments('preprod', 'taxi-online');
  await serving.setTraffic('preprod', 'taxi-online', { blue: 90, green: 10 });
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('model versions, tags, a job, online deployments and a traffic switch: every request and answer as the specs say', () => {
  expect(recorder.violations()).toEqual([]);
  expect(recorder.covered().sort()).toEqual(expect.arrayContaining([
    'ModelVersions_List', 'ModelVersions_Get', 'ModelVersions_CreateOrUpdate', 'Jobs_Get', 'OnlineDeployments_List',
    'OnlineEndpoints_Get', 'OnlineEndpoints_CreateOrUpdate',
  ].sort()));
});

describe('a change the Azure ML spec does not have is caught', () => {
  const { find, problems } = mutationKit(recorder);
  const putEndpoint = () => find(/^PUT .*\/onlineEndpoints\/taxi-online$/);

  test('an api-version no spec of the path has', () => {
    const ex = putEndpoint();
    ex.query['api-version'] = '2023-04-01';
    expect(problems(ex)).toEqual(['api-version 2023-04-01 is not 2022-10-01 or 2024-04-01 of the spec']);
  });

  test('the traffic switch at the SDK\'s 2022-10-01: that version has no mirrorTraffic', () => {
    const ex = putEndpoint();
    ex.query['api-version'] = '2022-10-01';
    expect(problems(ex)).toEqual(['body field /properties/mirrorTraffic is not in the spec', 'body field /properties/mirrorTraffic is not in the spec']);
  });

  test('a path the spec does not have', () => {
    const ex = find(/^GET .*\/models\/taxi-model\/versions$/);
    ex.path = ex.path.replace(/\/versions$/, '/version');
    expect(problems(ex)).toEqual([expect.stringMatching(/^no operation of arm-ml-2022-10-01.json or arm-ml-2024-04-01.json has this path/)]);
  });

  test('a query value its parameter does not take', () => {
    const ex = find(/^GET .*\/models\/taxi-model\/versions$/);
    ex.query = { ...ex.query, $top: 'ten', listViewType: 'Everything' };
    expect(problems(ex)).toEqual([
      'query parameter $top=ten is not of type integer',
      'query parameter listViewType=Everything is not one of ActiveOnly|ArchivedOnly|All',
    ]);
  });

  test('a renamed field in what the adapter sends', () => {
    const ex = putEndpoint();
    ex.requestBody.properties.mirror_traffic = ex.requestBody.properties.mirrorTraffic;
    delete ex.requestBody.properties.mirrorTraffic;
    expect(problems(ex)).toEqual(['body field /properties/mirror_traffic is not in the spec']);
  });

  test('a renamed field in what the emulator answers', () => {
    const ex = find(/^GET .*\/models\/taxi-model\/versions\/[^/]+$/);
    ex.responseBody.properties.jobId = ex.responseBody.properties.jobName;
    delete ex.responseBody.properties.jobName;
    expect(problems(ex)).toEqual(['body field /properties/jobId is not in the spec']);
  });

  test('a field of another job type: a command job has no pipeline settings', () => {
    const ex = find(/^GET .*\/jobs\/[^/]+$/);
    expect(ex.responseBody.properties.jobType).toBe('Command');
    ex.responseBody.properties.settings = { default_compute: 'cpu-cluster' };
    expect(problems(ex)).toEqual(['body field /properties/settings is not in the spec']);
  });

  test('a value of the wrong type in what the emulator answers', () => {
    const ex = putEndpoint();
    ex.responseBody.properties.traffic.blue = '90';
    expect(problems(ex)).toEqual([expect.stringMatching(/^body: \/properties\/traffic\/blue must be integer/)]);
  });
});

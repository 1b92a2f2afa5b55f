/**
 * The real adapters against the local Azure emulator: the same SDK clients and code paths as with
 * real Azure, only endpoints differ (HTTPS ARM with the emulator CA, App Service style token endpoint,
 * Azure DevOps over HTTP).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevOpsReleases } from '../../src/adapters/azure-devops';
import { createAzureCredential } from '../../src/adapters/azure-identity';
import { AzureMlRegistry, AzureMlSchedules } from '../../src/adapters/azure-ml';
import type { EnvironmentSettings } from '../../src/core/settings';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { conformanceRecorder } from '../support/conformance-recorder';

const variables = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };

let now = Date.now();
let dir: string;
let emu: RunningEmulator;
let envs: EnvironmentSettings[];
let registry: AzureMlRegistry;
let schedules: AzureMlSchedules;
let releases: DevOpsReleases;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-emu-adapters-'));
  const log = new CapturingLogger();
  emu = await startEmulator({ dataDir: dir, log, onExchange: conformance.onExchange, autoTick: false, clock: { now: () => new Date(now) } });
  envs = ['dev', 'preprod', 'prod'].map((name) => ({
    name,
    workspace: { subscriptionId: emu.subscriptionId, resourceGroup: `rg-mlopsv2-0001${name}`, name: `mlw-mlopsv2-0001${name}` },
    release: { kind: 'classic', definition: 'taxi-model-deploy', stage: name, variables },
    channels: { approvals: [], audit: [], notifications: [] },
  }));
  const credential = createAzureCredential({ identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader });
  const ml = { environments: envs, armEndpoint: emu.armUrl, ca: emu.ca, log, lroPollIntervalMs: 10, timeoutMs: 10_000 };
  registry = new AzureMlRegistry(credential, ml);
  schedules = new AzureMlSchedules(credential, ml);
  releases = new DevOpsReleases({ orgUrl: emu.devopsUrl, project: emu.project, auth: { pat: 'emulator-pat' }, environments: envs, log });
});
// Every request the adapters sent and every answer the emulator gave, against the official specs.
const conformance = conformanceRecorder();
afterAll(() => {
  expect(conformance.violations()).toEqual([]);
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Azure adapters on the local emulator', () => {
  it('reads models, versions, metrics and jobs of the seeded dev workspace', async () => {
    const models = await registry.listModels('dev');
    expect(models.map((m) => m.name)).toContain('taxi-model');
    const versions = await registry.listVersions('dev', 'taxi-model');
    expect(versions?.length).toBeGreaterThan(1);
    const withRun = versions!.filter((v) => v.jobName);
    const metrics = await registry.getMetrics('dev', withRun.map((v) => v.jobName!));
    expect(Object.keys(metrics).length).toBeGreaterThan(0);
    expect(Object.values(metrics).some((m) => typeof m.rmse === 'number')).toBe(true);
    const jobs = await registry.listJobs('dev', { limit: 100 });
    expect(jobs.some((j) => j.state === 'failed')).toBe(true);
  });

  it('merges a tag into a version', async () => {
    const [latest] = (await registry.listVersions('dev', 'taxi-model'))!;
    await registry.tagVersion('dev', 'taxi-model', latest.version, { 'mlops-env-test': 'yes' });
    const after = await registry.getVersion('dev', 'taxi-model', latest.version);
    expect(after?.tags).toMatchObject({ ...latest.tags, 'mlops-env-test': 'yes' });
  });

  it('reads the seeded nightly schedule with the batch endpoint it invokes', async () => {
    const nightly = await schedules.get('prod', 'taxi-batch-nightly');
    expect(nightly?.action).toEqual({ type: 'invoke_batch_endpoint', endpoint: 'taxi-batch', input: 'azureml://datastores/workspaceblobstore/paths/taxi/daily/' });
  });

  it('tells a pipeline job from another job and from none, and lists pipeline jobs for hints', async () => {
    expect(await schedules.jobType('dev', 'tidy_walrus_6h1k3d')).toBe('Pipeline');
    expect(await schedules.jobType('dev', 'gentle_fig_4x8s2m')).toBe('Command');
    expect(await schedules.jobType('dev', 'no-such-job')).toBeNull();
    expect(await schedules.listPipelineJobs('dev', 10)).toEqual(['tidy_walrus_6h1k3d']);
  });

  it('creates, disables, reads back and deletes a schedule on a batch endpoint', async () => {
    const endpoints = await schedules.listBatchEndpoints('prod');
    expect(endpoints).toContain('taxi-batch');
    const spec = {
      name: 'adapter-test', enabled: true, timeZone: 'Europe/Paris',
      trigger: { type: 'recurrence' as const, frequency: 'day' as const, interval: 1, hours: [3], minutes: [15] },
      action: { type: 'invoke_batch_endpoint' as const, endpoint: 'taxi-batch', input: 'azureml://datastores/workspaceblobstore/paths/taxi/daily/' },
    };
    expect(await schedules.upsert('prod', spec)).toMatchObject({ name: 'adapter-test', timeZone: 'Europe/Paris', action: spec.action });
    expect((await schedules.setEnabled('prod', 'adapter-test', false))?.enabled).toBe(false);
    expect((await schedules.list('prod')).map((s) => s.name)).toContain('adapter-test');
    expect(await schedules.delete('prod', 'adapter-test')).toBe(true);
    expect(await schedules.get('prod', 'adapter-test')).toBeNull();
  });

  it('keeps the day of a monthly schedule through Azure ML', async () => {
    const spec = {
      name: 'adapter-monthly', enabled: true, timeZone: 'UTC',
      trigger: { type: 'recurrence' as const, frequency: 'month' as const, interval: 1, hours: [6], minutes: [0], monthDays: [1] },
      action: { type: 'invoke_batch_endpoint' as const, endpoint: 'taxi-batch' },
    };
    await schedules.upsert('prod', spec);
    expect((await schedules.get('prod', 'adapter-monthly'))?.trigger).toEqual(spec.trigger);
    await schedules.delete('prod', 'adapter-monthly');
  });

  it('starts a classic release once per request and lists it', async () => {
    const input = { env: 'prod', model: 'taxi-model', version: '5', requestId: 'emu-req-1', description: 'MLOps Bot promotion request emu-req-1' };
    const ref = await releases.start(input);
    expect(ref.kind).toBe('classic');
    expect((await releases.start(input)).id).toBe(ref.id);
    const status = await releases.status('prod', ref);
    expect(status.ref.id).toBe(ref.id);
    expect(status.stages.map((s) => s.name)).toEqual(['dev', 'preprod', 'prod']);
    const listed = await releases.list({ env: 'prod', model: 'taxi-model' });
    expect(listed.some((r) => r.ref.id === ref.id && r.modelVersion === '5')).toBe(true);
  });

  it('a release made for preprod stops there: prod stays manual, with no approval pending in Azure DevOps', async () => {
    const ref = await releases.start({ env: 'preprod', model: 'taxi-model', version: '5', requestId: 'emu-req-pre', description: 'request emu-req-pre' });
    let status = await releases.status('preprod', ref);
    for (let i = 0; i < 40 && status.state !== 'succeeded'; i += 1) {
      now += 5 * 60_000;
      emu.tick();
      status = await releases.status('preprod', ref);
    }
    expect(status.stages.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'not_started']);
    now += 60 * 60_000;
    emu.tick();
    expect((await releases.status('preprod', ref)).stages.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'not_started']);
    const pending = await fetch(`${emu.devopsUrl}/${emu.project}/_apis/Release/approvals?releaseIdsFilter=${ref.id}&statusFilter=pending&api-version=7.1`, {
      headers: { authorization: `Basic ${Buffer.from(':emulator-pat').toString('base64')}` },
    }).then((r) => r.json() as Promise<{ count: number }>);
    expect(pending.count).toBe(0);
  });

  it('follows the release to the prod approval, approves it, and sees it deploy', async () => {
    const ref = await releases.start({ env: 'prod', model: 'taxi-model', version: '5', requestId: 'emu-req-2', description: 'request emu-req-2' });
    let status = await releases.status('prod', ref);
    for (let i = 0; i < 40 && status.state !== 'awaiting_approval'; i += 1) {
      now += 5 * 60_000;
      emu.tick();
      status = await releases.status('prod', ref);
    }
    // The stage held at its approval says so, here and in the list (not "queued").
    expect(status.stages.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'awaiting_approval']);
    expect(status.state).toBe('awaiting_approval');
    const listed = (await releases.list({ env: 'prod', model: 'taxi-model' })).find((r) => r.ref.id === ref.id);
    expect(listed?.stages.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'awaiting_approval']);
    expect(status.pendingApprovalId).toBeDefined();
    await releases.decide('prod', ref, status.pendingApprovalId!, 'approved', 'Approved via MLOps Bot by @a (request emu-req-2)');
    await releases.decide('prod', ref, status.pendingApprovalId!, 'approved', 'again: a no-op');
    for (let i = 0; i < 40 && !['succeeded', 'failed'].includes(status.state); i += 1) {
      now += 5 * 60_000;
      emu.tick();
      status = await releases.status('prod', ref);
    }
    expect(['succeeded', 'failed']).toContain(status.state);
  });
});

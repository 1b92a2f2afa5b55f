/**
 * The serving adapter against the local emulator: the same SDK client and raw 2024-04-01 requests
 * as with real Azure, only the endpoint and the trusted CA differ.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAzureCredential } from '../../src/adapters/azure-identity';
import { AzureMlServing } from '../../src/adapters/azure-ml';
import type { EnvironmentSettings } from '../../src/core/settings';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { conformanceRecorder } from '../support/conformance-recorder';

let dir: string;
let emu: RunningEmulator;
let serving: AzureMlServing;
// Every request the adapter sent and every answer the emulator gave, against the official specs.
const conformance = conformanceRecorder();
afterAll(() => {
  expect(conformance.violations()).toEqual([]);
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-emu-serving-'));
  const log = new CapturingLogger();
  emu = await startEmulator({ dataDir: dir, log, autoTick: false, onExchange: conformance.onExchange });
  const envs: EnvironmentSettings[] = ['dev', 'preprod', 'prod'].map((name) => ({
    name,
    workspace: { subscriptionId: emu.subscriptionId, resourceGroup: `rg-mlopsv2-0001${name}`, name: `mlw-mlopsv2-0001${name}` },
    channels: { approvals: [], audit: [], notifications: [] },
  }));
  const credential = createAzureCredential({ identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader });
  serving = new AzureMlServing(credential, { environments: envs, armEndpoint: emu.armUrl, ca: emu.ca, log, lroPollIntervalMs: 10, timeoutMs: 10_000 });
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serving on the local emulator', () => {
  it('reads taxi-online in prod as mlops-v2 leaves it: blue serves v3 with all traffic, green v2 at 0%', async () => {
    const endpoints = await serving.listOnlineEndpoints('prod');
    const online = endpoints.find((e) => e.name === 'taxi-online')!;
    expect(online).toMatchObject({ env: 'prod', traffic: { blue: 100, green: 0 }, mirrorTraffic: {}, state: 'succeeded', authMode: 'Key' });
    expect(online.scoringUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/inference\//);
    const deployments = await serving.listOnlineDeployments('prod', 'taxi-online');
    const byName = Object.fromEntries(deployments!.map((d) => [d.name, d]));
    expect(byName['blue']).toMatchObject({ model: { name: 'taxi-model', version: '3', source: 'workspace', container: 'mlw-mlopsv2-0001dev' }, instanceType: 'Standard_DS3_v2', instanceCount: 2, state: 'succeeded' });
    expect(byName['green'].model?.version).toBe('2');
  });

  it('reads the mirror split in preprod and the batch default deployment', async () => {
    const preprod = await serving.getOnlineEndpoint('preprod', 'taxi-online');
    expect(preprod?.mirrorTraffic).toEqual({ green: 10 });
    const batch = await serving.listBatchEndpoints('prod');
    expect(batch.map((b) => [b.name, b.defaultDeployment])).toEqual([['taxi-batch', 'taxi-batch-dp']]);
    const deployments = await serving.listBatchDeployments('prod', 'taxi-batch');
    expect(deployments?.[0]).toMatchObject({ name: 'taxi-batch-dp', model: { name: 'taxi-model', version: '3' }, compute: 'batch-cluster', instanceCount: 1 });
  });

  it('answers null for an endpoint that does not exist', async () => {
    expect(await serving.getOnlineEndpoint('prod', 'nope')).toBeNull();
    expect(await serving.listOnlineDeployments('prod', 'nope')).toBeNull();
    expect(await serving.listBatchDeployments('prod', 'nope')).toBeNull();
  });

  it('switches traffic with a PUT followed to the end; the deployment now live is no longer mirrored to', async () => {
    const after = await serving.setTraffic('preprod', 'taxi-online', { blue: 0, green: 100 });
    expect(after).toMatchObject({ traffic: { blue: 0, green: 100 }, mirrorTraffic: {}, state: 'succeeded' });
    expect((await serving.getOnlineEndpoint('preprod', 'taxi-online'))?.traffic).toEqual({ blue: 0, green: 100 });
  });

  it('refuses traffic to a deployment the endpoint does not have, with Azure’s message', async () => {
    await expect(serving.setTraffic('prod', 'taxi-online', { red: 100 })).rejects.toMatchObject({ code: 'upstream_invalid', message: expect.stringContaining('red') });
  });
});

/**
 * `npm run emulator:tag`: tags a version in the embedded default's emulator through the bot's own
 * Azure ML adapter, so the emulated live metrics of its deployment misbehave; bad input is refused.
 */
import { join } from 'node:path';
import { createAzureCredential } from '../../src/adapters/azure-identity';
import { AzureMonitorLiveMetrics } from '../../src/adapters/azure-monitor';
import { runEmulatorTag } from '../../src/cli/emulator-tag';
import { demoSettings } from '../../src/config';
import { startEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { tempDir } from './emulator-client';

jest.setTimeout(60_000);

it('tags taxi-model v3 (blue in prod) and prod’s live metrics show its 5xx; usage errors change nothing', async () => {
  const tmp = tempDir();
  try {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (l: string) => err.push(l) };
    const env = { DATABASE_URL: `sqlite:${join(tmp.dir, 'bot.db')}` };
    expect(await runEmulatorTag(['taxi-model', '3'], env, io)).toBe(2);
    expect(err.join('\n')).toContain('usage: npm run emulator:tag');
    expect(await runEmulatorTag(['taxi-model', '3', 'emulator.errorRate=0.2'], env, io)).toBe(0);
    expect(out).toEqual(['taxi-model v3 in dev: emulator.errorRate=0.2']);

    // The emulator's state on disk has the tag: its metrics show blue's errors.
    const emu = await startEmulator({ dataDir: join(tmp.dir, 'emulator'), log: new CapturingLogger(), autoTick: false, jobEveryMs: 0 });
    try {
      const environments = demoSettings().environments.map((e) => ({ ...e, workspace: { ...e.workspace, subscriptionId: emu.subscriptionId } }));
      const credential = createAzureCredential({ identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader });
      const metrics = new AzureMonitorLiveMetrics(credential, { environments, armEndpoint: emu.armUrl, ca: emu.ca, log: new CapturingLogger() });
      const to = new Date();
      const [blue] = await metrics.deploymentFigures('prod', 'taxi-online', { from: new Date(to.getTime() - 120_000), to }, ['blue']);
      expect(blue.errors5xx! / blue.requests!).toBeGreaterThan(0.15);
    } finally {
      await emu.close();
    }
  } finally {
    tmp.cleanup();
  }
});

/**
 * Notifications end to end on the local emulator: its training jobs run and fail, Event Grid
 * deliveries reach the bot's real HTTP endpoint (handshake, key), the job poller lists the same
 * workspace through the Azure ML SDK, and the failure reaches the alerts channel once. An admin
 * action reaches the audit channel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AzureEndpoints } from '../../src/app/azure';
import { composeApp, type ComposedApp } from '../../src/app/compose';
import { keepDeliverableChannels } from '../../src/app/demo';
import { createWebhookForwarder, demoWebhookSecrets } from '../../src/app/demo-webhooks';
import { mountWebhooks } from '../../src/app/webhooks';
import { demoSettings, parseRuntimeEnv, type LoadedConfig } from '../../src/config';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { startHttpServer, type HttpServer } from '../../src/http';
import { CapturingLogger } from '../fakes/logger';
import { RecordingChat } from '../support/recording-chat';
import { conformanceRecorder } from '../support/conformance-recorder';
import { emulatorAzure } from '../support/emulator-azure';

jest.setTimeout(120_000);

let dir: string;
let now = Date.now();
const clock = { now: () => new Date(now) };
let emu: RunningEmulator;
let app: ComposedApp;
let http: HttpServer;
let chat: RecordingChat;
let emitted = 0;
const stops: (() => void)[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-notify-e2e-'));
  const log = new CapturingLogger();
  emu = await startEmulator({ dataDir: join(dir, 'emulator'), log, onExchange: conformance.onExchange, autoTick: false, clock, jobEveryMs: 60_000 });
  const azure: AzureEndpoints = emulatorAzure(emu);
  const loaded: LoadedConfig = {
    runtime: parseRuntimeEnv({ DATABASE_URL: `sqlite:${join(dir, 'bot.db')}` }),
    settings: keepDeliverableChannels(demoSettings(), ['cli'], log),
    mode: 'demo',
  };
  app = await composeApp({ loaded, log, azure, clock });
  chat = new RecordingChat();
  app.chat.register('cli', chat);
  http = await startHttpServer({ port: 0, host: '127.0.0.1', log });
  const secrets = demoWebhookSecrets({});
  mountWebhooks(http, app.notifications.router, loaded.settings, secrets, log);
  stops.push(emu.subscribe(() => { emitted++; }));
  stops.push(emu.subscribe(createWebhookForwarder(http.url, secrets, log)));
});

// Every request the adapters sent and every answer the emulator gave, against the official specs.
const conformance = conformanceRecorder();
afterAll(() => {
  expect(conformance.violations()).toEqual([]);
});
afterAll(async () => {
  for (const stop of stops) stop();
  await http?.close();
  await app?.close();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until every event the emulator raised has been answered by the bot's endpoints. */
async function forwarded(): Promise<void> {
  const t = app.notifications.router.totals;
  for (let i = 0; i < 1000; i++) {
    if (t.accepted + t.duplicates + t.ignored >= emitted) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`only ${t.accepted + t.duplicates + t.ignored} of ${emitted} emulator events reached the bot`);
}

const alertTitles = () => chat.in('cli:alerts').map((m) => (m.data as { title: string }).title);

describe('failed-run notifications on the emulator', () => {
  it('delivers a training failure to the alerts channel once, though Event Grid and the poller both see it', async () => {
    await app.pollJobsOnce(); // the first poll starts the watermark; seeded failures are days old
    let failedRounds = 0;
    let polledDuplicates = 0;
    for (let i = 0; i < 40 && failedRounds === 0; i++) {
      now += 60_000;
      emu.tick();
      await forwarded();
      const polled = await app.pollJobsOnce();
      expect(polled.failed).toBe(0);
      await app.runBackgroundOnce();
      if (chat.in('cli:alerts').length > 0) { failedRounds = i + 1; polledDuplicates = polled.duplicates; }
    }
    expect(failedRounds).toBeGreaterThan(0);
    // Event Grid was answered first; the poller then listed the same failed job and found it seen.
    expect(polledDuplicates).toBe(1);
    // The emulator stands still now: more polls and passes see the same failure again.
    for (let i = 0; i < 3; i++) {
      now += 1000;
      await app.pollJobsOnce();
      await app.runBackgroundOnce();
    }
    expect(alertTitles()).toHaveLength(1);
    // Named as `runs` names it (the display name), with the job's error text, though Event Grid carries neither.
    expect(alertTitles()[0]).toMatch(/^Azure ML job failed in dev: train-taxi-model-\d+$/);
    const card = chat.in('cli:alerts')[0];
    expect(card).toMatchObject({ template: 'run-failed', data: { links: [expect.objectContaining({ title: 'Open in studio' })] } });
    expect((card.data as { error: string }).error).not.toBe('');
    expect((card.data as { facts: { title: string; value: string }[] }).facts).toContainEqual({ title: 'Job', value: expect.stringMatching(/^train-taxi-model-\d+ \(\S+\)$/) });
    const runs = await app.core.handle({ text: 'runs --failed --env dev', caller: { id: 'cli:carol', platform: 'cli', displayName: 'carol' }, correlationId: 'runs-1' });
    const row = (runs.reply.data as { rows: { name: string; status: string }[] }).rows.find((r) => alertTitles()[0].endsWith(r.name));
    expect(row?.status).toBe(`Failed: ${(card.data as { error: string }).error.split('\n')[0]}`);
  });

  it('without Event Grid deliveries, the poller alone reports the next failure, once', async () => {
    stops.splice(1, 1)[0]();
    const before = alertTitles();
    let viaPoller = 0;
    for (let i = 0; i < 40 && viaPoller === 0; i++) {
      now += 60_000;
      emu.tick();
      viaPoller = (await app.pollJobsOnce()).accepted;
      await app.runBackgroundOnce();
    }
    expect(viaPoller).toBe(1);
    expect((await app.pollJobsOnce()).accepted).toBe(0);
    await app.runBackgroundOnce();
    const added = alertTitles().slice(before.length);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^Azure ML job failed in dev: train-taxi-model-\d+$/);
    expect((chat.in('cli:alerts').at(-1)!.data as { error: string }).error).not.toBe('');
    expect(before).not.toContain(added[0]);
  });

  it('posts an admin action to the audit channel', async () => {
    const outcome = await app.core.handle({
      text: 'subscribe failed-runs --env prod', caller: { id: 'cli:admin', platform: 'cli', displayName: 'admin' },
      channel: 'cli:ops', correlationId: 'e2e-subscribe',
    });
    expect(outcome.status).toBe('ok');
    await app.runBackgroundOnce();
    const audit = chat.in('cli:audit');
    expect(audit).toHaveLength(1);
    // The post is one short line with where to read the rest; the full card comes on demand.
    const posted = audit[0].data as { title: string; facts: { title: string; value: string }[]; hash: string };
    const seq = /^Audit #(\d+): subscription\.added$/.exec(posted.title)?.[1];
    expect(seq).toBeDefined();
    expect(posted.hash).toBe('');
    expect(posted.facts).toEqual([
      { title: 'Summary', value: 'cli:admin · prod' },
      { title: 'Full entry', value: expect.stringMatching(new RegExp(`^\`audit show ${seq}\` \\(hash [0-9a-f]{12}…\\)$`)) },
      { title: 'Chain head', value: expect.stringMatching(new RegExp(`^#${seq} [0-9a-f]{16}$`)) },
    ]);
    const shown = await app.core.handle({ text: `audit show ${seq}`, caller: { id: 'cli:carol', platform: 'cli', displayName: 'carol' }, correlationId: 'e2e-show' });
    expect(shown.reply).toMatchObject({ template: 'audit-entry', data: { title: 'Audit: subscription.added', hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect((shown.reply.data as { facts: { title: string; value: string }[] }).facts).toEqual(expect.arrayContaining([
      { title: 'Who', value: 'cli:admin' }, { title: 'Environment', value: 'prod' }, { title: 'Channel', value: 'cli:ops' },
    ]));
    expect((await app.core.handle({ text: 'audit show 9999', caller: { id: 'cli:carol', platform: 'cli', displayName: 'carol' }, correlationId: 'e2e-show-2' })).status).toBe('not_found');
  });
});

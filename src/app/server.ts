/**
 * `npm start`: the bot's HTTP server with its background work, and in demo mode the local Azure
 * emulator it talks to. Returns a handle whose close() shuts everything down in order.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig, parseRuntimeEnv, runtimeSecrets } from '../config';
import { createMetrics, ROUTES, startHttpServer } from '../http';
import { authCallbackHandler } from '../adapters/account-links';
import { accountLinkSetup } from './account-links';
import { createLogger } from '../logging';
import { ConsoleChat } from '../cli/console-chat';
import { expandCard } from '../cards/expand';
import { headline, renderCardText } from '../cli/render-text';
import { endpointsFromRuntime } from './azure';
import { registerBusinessMetrics } from './business-metrics';
import { startChartLinks } from './charts';
import { composeApp } from './compose';
import { demoDataDir, demoPlatforms, keepDeliverableChannels, startDemoAzure, type DemoAzure } from './demo';
import { createWebhookForwarder, demoWebhookSecrets } from './demo-webhooks';
import { mountWebhooks, type WebhookSecrets } from './webhooks';
import { join } from 'node:path';

export interface RunningBot {
  url: string;
  close(): Promise<void>;
}

export async function runServer(env: Record<string, string | undefined>, out: (line: string) => void): Promise<RunningBot> {
  const runtime = parseRuntimeEnv(env);
  const log = createLogger({ level: runtime.logLevel, secrets: runtimeSecrets(runtime) });
  const loaded = await loadConfig(runtime, (p) => readFile(p, 'utf8'));
  let demo: DemoAzure | undefined;
  if (loaded.mode === 'demo') {
    demo = await startDemoAzure(demoDataDir(runtime.database), log, { attach: false });
    loaded.settings = keepDeliverableChannels(loaded.settings, demoPlatforms(runtime.slack !== undefined), log);
  }
  const metrics = createMetrics();
  const azure = demo?.endpoints ?? endpointsFromRuntime(runtime);
  let ownUrl: string | undefined;
  const accountLinks = accountLinkSetup(runtime, loaded.mode, azure, { dataDir: demoDataDir(runtime.database), ownUrl: () => ownUrl });
  const app = await composeApp({ loaded, log, metrics, azure, ...(accountLinks ? { accountLinks } : {}) });
  app.chat.register('cli', new ConsoleChat(app.store, (m) => out(`[${m.ref.channel}] ${m.edited ? 'updated: ' : ''}${headline(renderCardText(expandCard(m.message)))}`)));
  // Anonymous Teams (demo, or MLOPS_TEAMS_LOCAL) is for this machine only: bind loopback unless HOST says otherwise.
  const localOnly = loaded.mode === 'demo' || runtime.teams.local === true;
  const http = await startHttpServer({ port: runtime.port, host: runtime.host ?? (localOnly ? '127.0.0.1' : undefined), log, metrics });
  ownUrl = http.url;
  if (app.accountLinks) {
    http.route('GET', ROUTES.authCallback, authCallbackHandler(app.accountLinks, log));
    // After a key rotation, links sealed under an older key of MLOPS_TOKEN_KEY are re-sealed under the first.
    app.accountLinks.resealStale().then(
      (n) => { if (n > 0) log.info({ links: n }, 'linked accounts re-sealed under the current token key'); },
      (err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 're-sealing linked accounts failed; they are re-sealed on their next refresh'),
    );
  }
  http.addReadinessCheck('store', async () => (await app.store.getDoc('health', 'probe'), true));
  // Followers are ready too: leading only decides where pollers and timers run.
  http.addHealthInfo('leader', () => app.replicas.leadership.isLeader());
  http.addHealthInfo('leadership', () => app.replicas.leadership.status());
  registerBusinessMetrics(http.metrics, { store: app.store, clock: app.ports.clock, chat: app.chat, replicas: app.replicas });
  const given: WebhookSecrets = {
    eventGridKey: runtime.webhooks.eventGridKey?.reveal(),
    devopsHookUser: runtime.webhooks.devopsHookUser,
    devopsHookPassword: runtime.webhooks.devopsHookPassword?.reveal(),
  };
  const secrets = demo ? demoWebhookSecrets(given) : given;
  log.addSecrets([secrets.eventGridKey, secrets.devopsHookPassword].filter((v): v is string => Boolean(v)));
  mountWebhooks(http, app.notifications.router, loaded.settings, secrets, log);
  const stopForwarding = demo?.subscribe?.(createWebhookForwarder(http.url, demoWebhookSecrets(secrets), log));
  const chartLinks = startChartLinks(http, app.ports.charts, runtime, app.ports.clock, log);
  // The Teams surface (the Agents SDK) and the Playground load once the server listens: /healthz answers first.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { reportUnreachableTeamsChannels, startDemoPlayground, startTeams } = require('./teams') as typeof import('./teams');
  const teams = startTeams(app, http, runtime, log, loaded.mode, chartLinks);
  // Bolt is loaded only when Slack is configured: it is a large share of start-up otherwise.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const slack = runtime.slack ? await (require('./slack') as typeof import('./slack')).startSlack(app, http, runtime.slack, log) : undefined;
  app.startBackground();
  // The Playground sends no tokens: it can only talk to an anonymous bot.
  const playground = demo && teams.enabled && runtime.teams.anonymous ? await startDemoPlayground(teams, loaded.settings, http.url, join(demoDataDir(runtime.database), 'playground'), env, log) : undefined;
  await reportUnreachableTeamsChannels(teams, loaded.settings, log);
  out(`MLOps Bot listening on ${http.url} (${loaded.mode === 'demo' ? 'demo: local Azure emulator' : `config ${runtime.configPath}`})`);
  out(`  health: ${http.url}/healthz   metrics: ${http.url}/metrics`);
  if (playground) out(`  Teams-like client (Agents Playground): ${playground.url}  (you are Alex: you request, Megan and Adele approve; after link you approve others' requests as yourself)`);
  else if (demo) out('  Teams-like client (Agents Playground): not started, MicrosoftAppId is set and the Playground only talks to a bot without one');
  if (!teams.enabled) out('  Teams: off (no MicrosoftAppId); set MicrosoftAppId and MicrosoftAppPassword to connect Teams, or MLOPS_TEAMS_LOCAL=true for a local client');
  if (loaded.mode === 'demo') out('  try it: npm run cli -- "models" --as cli:alice');
  // The chart libraries load in their worker thread now, not on the first `model` or `compare`.
  app.ports.charts?.warm();
  return {
    url: http.url,
    async close() {
      stopForwarding?.();
      await playground?.stop();
      await http.close();
      await slack?.stop();
      await app.close();
      await demo?.close();
    },
  };
}


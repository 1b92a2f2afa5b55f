/**
 * The Slack surface: Bolt over the bot's HTTP server at /slack/events (or Socket Mode), inbound
 * slash commands, buttons, the reject modal and app events turned into BotCore calls, and the
 * outbound Chat and Directory for `slack:` ids. Nothing here decides policy; the core does.
 */
import { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { BotCore } from '../../core/surface';
import type { Clock, Directory, Logger } from '../../core/ports';
import type { HttpServer } from '../../http/server';
import { ROUTES } from '../../http/router';
import { sendJson } from '../../http/respond';
import type { EffectHandler } from '../../core/outbox/worker';
import { registerAppEvents } from './app-events';
import { commandReplayHandlers, DEFAULT_REPLAY_AFTER_MS } from './command-journal';
import { boltLogger } from './bolt-logger';
import { registerButtons } from './button-actions';
import { DEFAULT_API_URL, DEFAULT_COMMAND, DEFAULT_WEB_API_TIMEOUT_MS, reveal, type SlackSurfaceConfig } from './config';
import { Tasks, type HandlerDeps } from './handler-deps';
import { Limiter } from '../../core/limiter';
import { CORRELATION_HEADER, httpReceiver, socketReceiver } from './receivers';
import { registerRejectModal } from './reject-modal';
import { SlackChat } from './slack-chat';
import { SlackDirectory } from './slack-directory';
import { readSignedBody } from './signed-body';
import { registerSlashCommand } from './slash-command';
import { startup, type Startup } from './startup';

export interface SlackSurfaceOptions {
  core: BotCore;
  config: SlackSurfaceConfig;
  log: Logger;
  /** Group membership for approvers named by Entra group (Graph); without it, never a member. */
  directory?: Pick<Directory, 'isMemberOf'>;
  clock?: Clock;
}

export interface SlackSurface {
  /** Chat port for `slack:` channels and users. */
  chat: SlackChat;
  /** Directory port for `slack:` principals (email via users.info, cached). */
  directory: SlackDirectory;
  client: WebClient;
  /** Serves POST /slack/events on the bot's server (HTTP mode; a no-op in Socket Mode). */
  mount(server: Pick<HttpServer, 'route'>): void;
  /** Verifies the token (auth.test), retrying in the background; connects in Socket Mode. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For /healthz: the token works, the app is installed, and (Socket Mode) the socket is up. */
  ready(): Promise<boolean>;
  /** Resolves when the work started after acks has finished (shutdown, tests). */
  idle(): Promise<void>;
  /** Outbox handlers of the surface (slash commands replayed after a crash); the composition adds them. */
  effectHandlers: Record<string, EffectHandler>;
}

function boundedFetch(ms: number): typeof fetch {
  return (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(ms) });
}

export function createSlackSurface(opts: SlackSurfaceOptions): SlackSurface {
  const { core, config } = opts;
  const log = opts.log.child({ component: 'slack' });
  const logger = boltLogger(log.child({ component: 'bolt' }));
  const receiver = config.mode === 'socket' ? socketReceiver(config, logger) : httpReceiver(config, logger);
  const app = new App({
    token: reveal(config.botToken),
    receiver,
    logger,
    deferInitialization: true,
    convoStore: false,
    clientOptions: {
      slackApiUrl: config.apiUrl ?? DEFAULT_API_URL, retryConfig: { retries: config.webApiRetries ?? 2 }, rejectRateLimitedCalls: true,
      timeout: config.timeoutMs ?? DEFAULT_WEB_API_TIMEOUT_MS,
      // Bolt's respond() (response_url) uses this fetch; it has no timeout of its own.
      fetch: boundedFetch(config.timeoutMs ?? DEFAULT_WEB_API_TIMEOUT_MS),
    },
  });
  app.error(async (e) => log.error({ code: e.code, err: e.message }, 'slack listener failed'));

  const clock = opts.clock ?? { now: () => new Date() };
  const chat = new SlackChat(app.client, log);
  const directory = new SlackDirectory({ client: app.client, store: core.store, clock, log, ttlMs: config.userCacheTtlMs, groups: opts.directory });
  const tasks = new Tasks();
  const deps: HandlerDeps = {
    core, chat, log, clock, tasks, deliveries: new Limiter(config.deliveryConcurrency ?? 8), replayAfterMs: config.commandReplayAfterMs ?? DEFAULT_REPLAY_AFTER_MS,
  };
  const state: Startup = startup(app, config, log);

  registerSlashCommand(app, deps, config.command ?? DEFAULT_COMMAND);
  registerButtons(app, deps);
  registerRejectModal(app, deps);
  registerAppEvents(app, deps, (why) => state.revoke(why));

  return {
    chat, directory, client: app.client, effectHandlers: commandReplayHandlers(deps),
    mount(server) {
      if (config.mode === 'socket') return;
      const listener = (receiver as ReturnType<typeof httpReceiver>).requestListener;
      const secret = reveal(config.signingSecret ?? '');
      server.route('POST', ROUTES.slackEvents, async (req, res, ctx) => {
        // Until auth.test has passed Bolt cannot authorise anything; Slack retries a 503.
        if (!state.initialized()) return sendJson(res, 503, { error: 'starting', message: 'The Slack surface is not ready yet.' }, { 'retry-after': '5' });
        // Verified here on the bytes as they arrive; Bolt checks the same bytes again, unread.
        // Wall-clock time, as Slack signs with it (Bolt's own check uses it too).
        const rawBody = await readSignedBody(req, secret, Date.now(), config.bodyLimitBytes);
        Object.assign(req, { rawBody });
        req.headers[CORRELATION_HEADER] = ctx.correlationId;
        listener(req, res);
      });
    },
    start: () => state.start(),
    async stop() {
      await state.stop();
      await tasks.idle();
    },
    ready: async () => state.ready(),
    idle: () => tasks.idle(),
  };
}

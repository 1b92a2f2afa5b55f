/**
 * Bringing Bolt up: auth.test (through App#init) proves the token before anything is handled, and
 * is retried in the background while Slack cannot be reached, so an outage at boot does not stop
 * the rest of the bot. Socket Mode then opens the socket; readiness follows the connection.
 */
import type { App, SocketModeReceiver } from '@slack/bolt';
import type { Logger } from '../../core/ports';
import type { SlackSurfaceConfig } from './config';

export interface Startup {
  start(): Promise<void>;
  stop(): Promise<void>;
  initialized(): boolean;
  ready(): boolean;
  revoke(why: string): void;
}

export function startup(app: App, config: SlackSurfaceConfig, log: Logger): Startup {
  let initialized = false;
  let connected = false;
  let revoked: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let attempt: Promise<void> | undefined;
  const socket = config.mode === 'socket' ? (app as unknown as { receiver: SocketModeReceiver }).receiver.client : undefined;
  socket?.on('connected', () => void (connected = true));
  socket?.on('disconnected', () => void (connected = false));

  const tryStart = async (): Promise<void> => {
    try {
      await app.init();
      initialized = true;
      if (socket) await app.start();
      log.info({ mode: config.mode }, 'slack surface started');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (stopped) return;
      log.warn({ err: message, retryInMs: config.initRetryMs ?? 30_000 }, 'slack start failed; retrying');
      timer = setTimeout(() => void (attempt = tryStart()), config.initRetryMs ?? 30_000);
      timer.unref();
    }
  };

  return {
    async start() {
      stopped = false;
      attempt = tryStart();
      await attempt;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await attempt;
      if (socket && initialized) await app.stop().catch(() => undefined);
    },
    initialized: () => initialized,
    ready: () => initialized && revoked === undefined && (socket === undefined || connected),
    revoke(why) {
      revoked = why;
    },
  };
}

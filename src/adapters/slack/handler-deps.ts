/**
 * What the inbound handlers share: the bot, the outbound Slack chat, a clock for dedupe keys, and a
 * tracker of the work that continues after the ack (so shutdown and tests can wait for it).
 */
import type { BotCore } from '../../core/surface';
import type { Caller } from '../../core/identity';
import type { Clock, Logger } from '../../core/ports';
import { newCorrelationId } from '../../logging/logger';
import { qualified } from './ids';
import type { Limiter } from '../../core/limiter';
import type { SlackChat } from './slack-chat';

export interface HandlerDeps {
  core: BotCore;
  chat: SlackChat;
  log: Logger;
  clock: Clock;
  tasks: Tasks;
  /** Gate for rendering and posting answers after the core is done (see limiter.ts). */
  deliveries: Limiter;
  /** When a recorded command is run again if its process did not finish it (command-journal.ts). */
  replayAfterMs: number;
}

/** Work started after an ack; failures are logged here, never thrown into Bolt (the HTTP answer is gone). */
export class Tasks {
  private readonly running = new Set<Promise<void>>();

  run(log: Logger, what: string, work: () => Promise<void>): void {
    const p = work()
      .catch((err: unknown) => log.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, `${what} failed after the ack`))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves once no work is running (including work started while waiting). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/** True the first time Slack delivers this key; a store failure lets it through rather than drop it. */
export async function firstDelivery(deps: HandlerDeps, key: string, log: Logger): Promise<boolean> {
  try {
    const first = await deps.core.store.markSeen(key, deps.clock.now());
    if (!first) log.info({ key }, 'repeated slack delivery ignored');
    return first;
  } catch (err) {
    log.warn({ key, err: err instanceof Error ? err.message : String(err) }, 'dedupe check failed; handling the delivery');
    return true;
  }
}

export function slackCaller(user: { id: string; name?: string; username?: string }, fallbackName?: string): Caller {
  return { id: qualified(user.id), platform: 'slack', displayName: user.name || user.username || fallbackName || user.id };
}

export function correlationOf(context: Record<string, unknown>): string {
  const id = context.correlationId;
  return typeof id === 'string' && id !== '' ? id : newCorrelationId();
}

/**
 * Slash commands survive the process. Before "Working on it…" is sent, the command is recorded as
 * an outbox effect due a little later (`replayAfterMs`); the process that acknowledged it runs it at
 * once and marks the effect done. If that process dies first (kill -9 right after the ack), the
 * outbox runs the effect on the next start: the command is handled and the answer goes to its
 * response_url (valid 30 minutes). `promote` derives its request id from the trigger id, so a
 * command that had already created its request before the crash finds it instead of doubling it.
 */
import type { RespondFn } from '@slack/bolt';
import type { Invocation } from '../../core/commands/types';
import type { EffectHandler } from '../../core/outbox/worker';
import type { Logger, Store } from '../../core/ports';
import { deliverCommandOutcome, deliverFailure } from './deliver';
import type { HandlerDeps } from './handler-deps';

export const SLACK_COMMAND_EFFECT = 'slack-command';
export const DEFAULT_REPLAY_AFTER_MS = 2 * 60_000;

interface CommandPayload { invocation: Invocation & { channel: string }; responseUrl: string }

export async function recordCommand(store: Store, key: string, payload: CommandPayload, notBefore: Date): Promise<void> {
  await store.enqueueEffects([{ key, kind: SLACK_COMMAND_EFFECT, payload: payload as unknown as Record<string, unknown>, notBefore: notBefore.toISOString() }]);
}

/** The command was handled by the process that acknowledged it: nothing to replay. */
export async function commandDone(store: Store, key: string, log: Logger): Promise<void> {
  try {
    const effect = await store.getEffect(key);
    if (effect && effect.status !== 'done') await store.completeEffect(effect.id, { handled: 'at once' });
  } catch (err) {
    // The replay will run it again: promote finds its request, read commands answer twice at worst.
    log.warn({ key, err: err instanceof Error ? err.message : String(err) }, 'could not mark the command handled');
  }
}

/** Runs a recorded command whose process died before handling it; the answer goes to the response_url. */
export function commandReplayHandlers(deps: HandlerDeps): Record<string, EffectHandler> {
  return {
    [SLACK_COMMAND_EFFECT]: async (effect, { log }) => {
      const { invocation, responseUrl } = effect.payload as unknown as CommandPayload;
      const respond = responder(responseUrl);
      log.info({ channel: invocation.channel }, 'replaying a slash command the previous process acknowledged but did not finish');
      try {
        const outcome = await deps.core.handle(invocation);
        await deliverCommandOutcome(deps, outcome, { channel: invocation.channel, respond, correlationId: invocation.correlationId, log });
        return { replayed: true, status: outcome.status };
      } catch (e) {
        await deliverFailure(e, respond, invocation.correlationId, log);
        return { replayed: true, status: 'failed' };
      }
    },
  };
}

/** A response_url poster bounded in time (Bolt's respond() is only available inside a listener). */
function responder(url: string): RespondFn {
  return (async (message: unknown) => {
    const res = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(typeof message === 'string' ? { text: message } : message), signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`the response_url answered HTTP ${res.status}`);
    return res;
  }) as unknown as RespondFn;
}

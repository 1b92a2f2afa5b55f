/**
 * `/mlops <text>`: acknowledged at once with a note (Slack shows an error after 3 s), then the
 * command runs in the background and its outcome is delivered (deliver.ts). A repeated delivery of
 * the same invocation (same trigger_id) is acknowledged and otherwise ignored.
 */
import type { AllMiddlewareArgs, App, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Invocation } from '../../core/commands/types';
import type { Logger } from '../../core/ports';
import { invocationLog } from './lazy-log';
import { commandDone, recordCommand } from './command-journal';
import { deliverCommandOutcome, deliverFailure } from './deliver';
import { correlationOf, firstDelivery, slackCaller, type HandlerDeps } from './handler-deps';
import { dedupeKeys, qualified } from './ids';

export const WORKING_NOTE = 'Working on it…';

export function registerSlashCommand(app: App, deps: HandlerDeps, command: string): void {
  // Global middleware rather than app.command: Bolt runs every listener chain (buttons, modal,
  // events) for every request, and slash commands, the busiest path, must ack fast. Any other
  // request, including another command name, goes on to the listeners as before.
  app.use(async (args) => {
    if ('command' in args && args.command?.command === command) return handle(deps, args);
    await args.next();
  });
}

async function handle(deps: HandlerDeps, { command: cmd, ack, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
  const retryNum = context.retryNum;
  const correlationId = correlationOf(context);
  const log = invocationLog(deps.log, correlationId, { surface: 'slack', user: cmd.user_id, ...(retryNum ? { retryNum } : {}) });
  const key = dedupeKeys.command(cmd.trigger_id || cmd.response_url);
  if (!(await firstDelivery(deps, key, log))) {
    await ack();
    return;
  }
  // Built now so the work below keeps only what it needs, not the whole payload, while the core runs.
  const channel = qualified(cmd.channel_id);
  const invocation = { text: cmd.text ?? '', caller: slackCaller({ id: cmd.user_id, name: cmd.user_name }), channel, correlationId, idempotencyKey: key };
  // Recorded before the ack, so an acknowledged command survives a crash (command-journal.ts).
  await journal(deps, key, invocation, cmd.response_url, log);
  await ack({ response_type: 'ephemeral', text: WORKING_NOTE });
  runCommand(deps, log, key, invocation, respond);
}

async function journal(deps: HandlerDeps, key: string, invocation: Invocation & { channel: string }, responseUrl: string, log: Logger): Promise<void> {
  try {
    await recordCommand(deps.core.store, key, { invocation, responseUrl }, new Date(deps.clock.now().getTime() + deps.replayAfterMs));
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not record the command; running it without a replay');
  }
}

function runCommand(deps: HandlerDeps, log: Logger, key: string, invocation: Invocation & { channel: string }, respond: RespondFn): void {
  const { channel, correlationId } = invocation;
  deps.tasks.run(log, 'slash command', async () => {
    try {
      const outcome = await deps.core.handle(invocation);
      await deps.deliveries.run(() => deliverCommandOutcome(deps, outcome, { channel, respond, correlationId, log }));
    } catch (e) {
      await deliverFailure(e, respond, correlationId, log);
    } finally {
      await commandDone(deps.core.store, key, log);
    }
  });
}

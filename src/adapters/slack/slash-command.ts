/**
 * `/mlops <text>`: acknowledged at once with a note (Slack shows an error after 3 s), then the
 * command runs in the background and its outcome is delivered (deliver.ts). A repeated delivery of
 * the same invocation (same trigger_id) is acknowledged and otherwise ignored.
 */
import type { App } from '@slack/bolt';
import { invocationLog } from './lazy-log';
import { deliverCommandOutcome, deliverFailure } from './deliver';
import { correlationOf, firstDelivery, slackCaller, type HandlerDeps } from './handler-deps';
import { dedupeKeys, qualified } from './ids';

export const WORKING_NOTE = 'Working on it…';

export function registerSlashCommand(app: App, deps: HandlerDeps, command: string): void {
  app.command(command, async ({ command: cmd, ack, respond, context }) => {
    const retryNum = context.retryNum;
    const correlationId = correlationOf(context);
    const log = invocationLog(deps.log, correlationId, { surface: 'slack', user: cmd.user_id, ...(retryNum ? { retryNum } : {}) });
    if (!(await firstDelivery(deps, dedupeKeys.command(cmd.trigger_id || cmd.response_url), log))) {
      await ack();
      return;
    }
    await ack({ response_type: 'ephemeral', text: WORKING_NOTE });
    const channel = qualified(cmd.channel_id);
    deps.tasks.run(log, 'slash command', async () => {
      try {
        const outcome = await deps.core.handle({ text: cmd.text ?? '', caller: slackCaller({ id: cmd.user_id, name: cmd.user_name }), channel, correlationId });
        await deps.deliveries.run(() => deliverCommandOutcome(deps, outcome, { channel, respond, correlationId, log }));
      } catch (e) {
        await deliverFailure(e, respond, correlationId, log);
      }
    });
  });
}

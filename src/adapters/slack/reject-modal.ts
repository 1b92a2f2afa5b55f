/**
 * The Reject button's modal: asks for the reason (required, like the typed `reject <id> <reason>`),
 * then runs the rejection through core.act. The modal carries the request id and the card's channel
 * in private_metadata, which Slack returns signed with the submission.
 */
import type { App, types } from '@slack/bolt';

type ModalView = types.ModalView;
import { errorOutcome } from '../../core/commands/error-sink';
import type { Outcome } from '../../core/commands/types';
import type { Logger } from '../../core/ports';
import { invocationLog } from './lazy-log';
import { correlationOf, firstDelivery, slackCaller, type HandlerDeps } from './handler-deps';
import { dedupeKeys, qualified } from './ids';

export const REJECT_CALLBACK_ID = 'mlops_reject';
const REASON = 'reason';
const MAX_REASON = 500;

interface ModalMeta { requestId: string; channel?: string }

export function rejectModal(requestId: string, where: { channel?: string }): ModalView {
  const meta: ModalMeta = { requestId, ...(where.channel ? { channel: where.channel } : {}) };
  return {
    type: 'modal',
    callback_id: REJECT_CALLBACK_ID,
    private_metadata: JSON.stringify(meta),
    title: { type: 'plain_text', text: 'Reject promotion' },
    submit: { type: 'plain_text', text: 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'plain_text', text: `Reject ${requestId}? The requester and the audit trail will see your reason.` } },
      {
        type: 'input', block_id: REASON, label: { type: 'plain_text', text: 'Reason' },
        element: { type: 'plain_text_input', action_id: REASON, multiline: true, max_length: MAX_REASON },
      },
    ],
  };
}

export function registerRejectModal(app: App, deps: HandlerDeps): void {
  app.view(REJECT_CALLBACK_ID, async ({ ack, body, view, context }) => {
    const reason = (view.state.values[REASON]?.[REASON]?.value ?? '').trim();
    if (reason === '') {
      await ack({ response_action: 'errors', errors: { [REASON]: 'Say why, so the requester knows what to change.' } });
      return;
    }
    await ack();
    const correlationId = correlationOf(context);
    const log = invocationLog(deps.log, correlationId, { surface: 'slack', user: body.user.id, verb: 'reject' });
    if (!(await firstDelivery(deps, dedupeKeys.view(view.id), log))) return;
    const meta = parseMeta(view.private_metadata);
    const caller = slackCaller(body.user);
    deps.tasks.run(log, 'reject modal', async () => {
      let outcome: Outcome;
      try {
        outcome = await deps.core.act({
          verb: 'reject', data: { requestId: meta.requestId, reason }, caller, ...(meta.channel ? { channel: qualified(meta.channel) } : {}), correlationId,
        });
      } catch (e) {
        outcome = errorOutcome(e, correlationId, log);
      }
      if (outcome.status !== 'ok') await deps.deliveries.run(() => tellSubmitter(deps, outcome, caller.id, meta.channel, log));
    });
  });
}

/** No response_url comes with a submission: ephemeral in the card's channel, else a DM. */
async function tellSubmitter(deps: HandlerDeps, outcome: Outcome, userId: string, channel: string | undefined, log: Logger): Promise<void> {
  try {
    if (channel) await deps.chat.postEphemeral(qualified(channel), userId, outcome.reply);
    else await deps.chat.post(userId, outcome.reply);
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not tell the submitter');
  }
}

function parseMeta(raw: string): ModalMeta {
  try {
    const v = JSON.parse(raw) as Partial<ModalMeta>;
    return { requestId: typeof v.requestId === 'string' ? v.requestId : '', ...(typeof v.channel === 'string' ? { channel: v.channel } : {}) };
  } catch {
    return { requestId: '' };
  }
}

import { BotError } from '../errors';
import { promotionOutcome, refusalOutcome, requiredArg, serviceFor } from '../promotion/command-support';
import type { CommandSpec } from './types';

const usage = 'reject <request-id> <reason>';

export const rejectCommand: CommandSpec = {
  name: 'reject',
  summary: 'Reject a promotion request with a reason (the same as the card\'s Reject button).',
  usage,
  examples: ['reject PR-7K3QX rmse regressed on the holdout set'],
  args: [{ name: 'request-id', required: true, description: 'The request id shown on the card, e.g. PR-7K3QX' }],
  rest: { name: 'reason', description: 'Why; shown to the requester and passed on to Azure DevOps' },
  flags: [],
  permission: 'approver',
  async handler(ctx, args) {
    const requestId = requiredArg(args, 'request-id', usage);
    const reason = args.rest.join(' ').trim();
    if (!reason) throw new BotError('usage', 'A rejection needs a reason.', { remedy: `Usage: ${usage}, e.g. reject ${requestId} metrics look off` });
    const result = await serviceFor(ctx).decide({
      caller: ctx.invocation.caller, requestId, decision: 'reject', comment: reason, correlationId: ctx.invocation.correlationId,
    });
    if (!result.ok) return refusalOutcome(result.refusal, result.request?.id);
    return promotionOutcome(result.request, 'private');
  },
};

import { promotionOutcome, refusalOutcome, requiredArg, serviceFor } from '../promotion/command-support';
import type { CommandSpec } from './types';

const usage = 'approve <request-id> [comment]';

export const approveCommand: CommandSpec = {
  name: 'approve',
  summary: 'Approve a promotion request (the same as the card\'s Approve button).',
  usage,
  examples: ['approve PR-7K3QX', 'approve PR-7K3QX metrics look good'],
  args: [{ name: 'request-id', required: true, description: 'The request id shown on the card, e.g. PR-7K3QX' }],
  rest: { name: 'comment', description: 'Optional comment, passed on to Azure DevOps' },
  flags: [],
  // Per-environment approvers are checked by the service (deny by default, refusals audited).
  permission: 'approver',
  async handler(ctx, args) {
    const comment = args.rest.join(' ').trim();
    const result = await serviceFor(ctx).decide({
      caller: ctx.invocation.caller,
      requestId: requiredArg(args, 'request-id', usage),
      decision: 'approve',
      ...(comment ? { comment } : {}),
      correlationId: ctx.invocation.correlationId,
    });
    if (!result.ok) return refusalOutcome(result.refusal, result.request?.id);
    return promotionOutcome(result.request, 'private');
  },
};

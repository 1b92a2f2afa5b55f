import { promotionOutcome, refusalOutcome, requiredArg, serviceFor } from '../promotion/command-support';
import type { CommandSpec } from './types';

const usage = 'retry <request-id>';

export const retryCommand: CommandSpec = {
  name: 'retry',
  summary: 'Retry the step of a promotion request the bot gave up on (approvers and admins).',
  usage,
  examples: ['retry PR-7K3QX'],
  args: [{ name: 'request-id', required: true, description: 'The request id shown on the card, e.g. PR-7K3QX' }],
  flags: [],
  // Approvers of the request's environment or admins: the service checks it per request.
  permission: 'anyone',
  async handler(ctx, args) {
    const result = await serviceFor(ctx).retry({
      caller: ctx.invocation.caller, requestId: requiredArg(args, 'request-id', usage), correlationId: ctx.invocation.correlationId,
    });
    if (!result.ok) return refusalOutcome(result.refusal, result.request?.id);
    return promotionOutcome(result.request, 'private');
  },
};
